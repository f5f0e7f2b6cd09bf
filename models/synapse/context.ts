import type { Rng } from '../../src/rng.js';
import type { SessionStore } from '../stores/contract.js';
import type { SynapseConfig } from './config.js';
import type { HandlerDefect } from './defects.js';
import type { FactWriter } from './facts.js';
import type { Profile } from './profile.js';
import type { Ratelimiter } from './ratelimiter.js';
import type { SamlOutstandingRequest } from './sso/saml-state.js';

/** What a servlet running in one process incarnation can use. */
export interface SynapseContext {
  readonly profile: Profile;
  /** The homeserver config (same for every process of the deployment). */
  readonly config: SynapseConfig;
  readonly store: SessionStore;
  /** Node id of the database service. */
  readonly database: number;
  /** This process's node id (stamped on responses by the engine). */
  readonly processId: number;
  readonly rng: Rng;
  readonly serverName: string;
  nowMs(): number;
  /** Writes a server-side fact to the trace (see facts.ts). */
  readonly fact: FactWriter;
  /** Node id of the captcha service the recaptcha checker calls (siteverify, uia §1.5); absent:
   * no service in the topology, the checker verifies locally (unit tests). */
  readonly captchaNode?: number;
  /** SAML outstanding requests, in this process's memory (#7530, uia §2.6, §3.4); absent: no
   * process memory (unit tests get a fresh one per call). */
  readonly samlOutstanding?: Map<string, SamlOutstandingRequest>;
  /** uia §2.5: `rc_login.failed_attempts`, in this process's memory (lost on restart, uia §3.4). */
  readonly failedUiaAttempts: Ratelimiter;
  /** Deliberate defects planted by a mutant (models/synapse/defects.ts); absent in every
   * strategy that models Synapse. */
  readonly defects?: readonly HandlerDefect[];
}
