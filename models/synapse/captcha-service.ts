import type { App } from '../../src/process.js';
import type { Sim } from '../../src/sim.js';
import type { StoreService } from '../stores/contract.js';

/** The node that stands for Google's reCAPTCHA `siteverify` API in the topology. */
export const CAPTCHA_SERVICE = 'captcha';

/**
 * How the captcha service behaves over virtual time: the hook fault profiles use to make it
 * slow or failing (a crash or a partition of the `captcha` node also works: the call then fails
 * like a refused connection). Outside every window it answers at once, and a non-empty response
 * (the user solved the puzzle) verifies.
 */
export interface CaptchaBehaviour {
  readonly windows: readonly CaptchaWindow[];
}

export interface CaptchaWindow {
  readonly fromMs: number;
  readonly untilMs: number;
  /** `slow`: answers after `delayMs`; `failing`: answers `success: false` (Google's
   * `timeout-or-duplicate`, an overloaded or misconfigured key). */
  readonly mode: 'slow' | 'failing';
  readonly delayMs?: number;
}

export const HEALTHY_CAPTCHA: CaptchaBehaviour = { windows: [] };

export interface SiteverifyCommand {
  readonly op: 'captcha.siteverify';
  readonly response: string;
  readonly remoteIp: string;
}

/** What siteverify answers, and how long it took to (the caller waits that long: a slow call
 * holds the request without occupying the process's CPU). */
export interface SiteverifyReply {
  readonly success: boolean;
  readonly delayMs: number;
  readonly errorCodes: readonly string[];
}

export class CaptchaService implements StoreService {
  /** Every verification asked for (tests, like test_auth.py's DummyRecaptchaChecker). */
  readonly attempts: string[] = [];

  constructor(private readonly behaviour: CaptchaBehaviour = HEALTHY_CAPTCHA) {}

  execute(command: unknown, nowMs: number): SiteverifyReply {
    const c = command as SiteverifyCommand;
    if (c.op !== 'captcha.siteverify') throw new Error(`captcha service: unknown command ${JSON.stringify(command)}`);
    this.attempts.push(c.response);
    return siteverify(this.behaviour, c, nowMs);
  }
}

/** siteverify's answer at `nowMs` under `behaviour`. */
export function siteverify(behaviour: CaptchaBehaviour, c: SiteverifyCommand, nowMs: number): SiteverifyReply {
  let delayMs = 0;
  let failing = false;
  for (const w of behaviour.windows) {
    if (nowMs < w.fromMs || nowMs >= w.untilMs) continue;
    if (w.mode === 'slow') delayMs = Math.max(delayMs, w.delayMs ?? 0);
    else failing = true;
  }
  if (failing) return { success: false, delayMs, errorCodes: ['timeout-or-duplicate'] };
  if (c.response === '') return { success: false, delayMs, errorCodes: ['missing-input-response'] };
  return { success: true, delayMs, errorCodes: [] };
}

/** The captcha node's app (one service per incarnation: it keeps nothing that matters). */
export function captchaApp(sim: Sim, behaviour: CaptchaBehaviour): App {
  const service = new CaptchaService(behaviour);
  return { handleCommand: (command) => service.execute(command, sim.nowMs) };
}
