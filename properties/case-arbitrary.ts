import fc from 'fast-check';
import { operationsFor, WORKLOAD_NAMES, type ClientSpec, type WorkloadName } from '../models/clients/workload.js';
import { PROFILES, type ProfileName } from '../models/synapse/profile.js';
import { applySwitches, type Switches } from '../models/synapse/profile-set.js';
import { DEFAULT_CONFIG } from '../models/synapse/config.js';
import type { Case } from '../models/world.js';
import type { FaultProfile } from './fault-profiles.js';
import { clientSpecFor, tape } from './workload-arbitraries.js';

export interface CaseSettings {
  readonly strategy: string;
  readonly profile: ProfileName;
  readonly faultProfile: FaultProfile;
  readonly workload: string;
  readonly maxClients?: number;
  /** The property the cases are for: liveness needs clients that follow the protocol to the end. */
  readonly property?: string;
  /** `--set` switches every case carries (none: the profile as it is). */
  readonly switches?: Switches;
}

/** Liveness needs clients that follow the protocol to the end (persistent), so it draws cases of
 * its own. Every other property draws the very same cases for the same settings and seed, which is
 * what lets their runs be shared (`compare` and `check` with `--property all`). */
export function drawsOwnCases(property: string | undefined): boolean {
  return property === 'liveness';
}

/** Throws unless `properties` can share one stream of cases (at most one, or none drawing its own). */
export function assertSharedCases(properties: readonly (string | undefined)[], who: string): void {
  if (properties.length > 1 && properties.some(drawsOwnCases)) throw new Error(`${who}: liveness draws cases of its own (persistent clients) and cannot share a scan`);
}

interface GeneratedClient {
  readonly spec: ClientSpec;
  readonly appTape: readonly number[];
  readonly browserTape: readonly number[];
}

/**
 * Cases for one (strategy, profile, fault profile): 1 to 4 clients, each carrying the tapes of
 * its two actors, so that deleting a client deletes its choices and nobody else's; a fault plan
 * from the profile; a shared tape; a data seed. Everything shrinks independently.
 */
export function caseArbitrary(settings: CaseSettings): fc.Arbitrary<Case> {
  const workload = WORKLOAD_NAMES.find((w) => w === settings.workload);
  if (workload === undefined) throw new Error(`unknown workload ${settings.workload}; one of ${WORKLOAD_NAMES.join(', ')}`);
  // Only the operations this Synapse version has (no login/get_token before v1.69, uia §3.1).
  const profile = applySwitches(PROFILES[settings.profile], DEFAULT_CONFIG, settings.switches).profile;
  const operations = operationsFor(workload, profile.endpoints);
  const base = settings.faultProfile.clients?.(workload, operations) ?? clientSpecFor(workload, operations);
  const specs = drawsOwnCases(settings.property) ? base.map((spec) => ({ ...spec, persistent: true })) : base;
  const client: fc.Arbitrary<GeneratedClient> = fc.record({ spec: specs, appTape: tape, browserTape: tape });
  return fc
    .record({
      clients: fc.array(client, { minLength: 1, maxLength: settings.maxClients ?? 4 }),
      faultPlan: settings.faultProfile.plans,
      captcha: settings.faultProfile.captcha ?? fc.constant(undefined),
      shared: tape,
      seed: fc.nat(),
    })
    .map(({ clients, faultPlan, captcha, shared, seed }) => ({
      strategy: settings.strategy,
      profile: settings.profile,
      faultProfile: settings.faultProfile.name,
      workload: { name: workload as WorkloadName, clients: clients.map((c) => c.spec) },
      faultPlan,
      tapes: { actors: clients.flatMap((c) => [c.appTape, c.browserTape]), shared },
      seed,
      ...(captcha === undefined ? {} : { captcha }),
      ...(settings.switches === undefined || Object.keys(settings.switches).length === 0 ? {} : { switches: settings.switches }),
    }));
}
