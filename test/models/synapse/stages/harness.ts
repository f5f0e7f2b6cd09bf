// A Synapse process for the stage tests: the helpers' processFor plus a captcha service node,
// SAML memory, and a driver that also runs sleeps (advancing the clock) and CPU effects.
import { UNAVAILABLE, type Effect, type Task } from '../../../../src/effects.js';
import { CaptchaService, type CaptchaBehaviour } from '../../../../models/synapse/captcha-service.js';
import type { SynapseContext } from '../../../../models/synapse/context.js';
import type { ProfileName } from '../../../../models/synapse/profile.js';
import { DB_NODE, processFor, type Process } from '../../helpers.js';

export const CAPTCHA_NODE = 5;

export interface StageRun<R> {
  readonly value: R;
  readonly commands: readonly unknown[];
  readonly cpuMs: number;
  readonly sleptMs: number;
}

export interface StageProcess extends Omit<Process, 'run' | 'ctx'> {
  readonly ctx: SynapseContext;
  readonly captcha: CaptchaService;
  run<R>(task: Task<R>): StageRun<R>;
}

export function stageProcess(
  profile: ProfileName,
  options: Parameters<typeof processFor>[1] & { readonly captcha?: CaptchaBehaviour; readonly captchaDown?: boolean } = {},
): StageProcess {
  const p = processFor(profile, options);
  const captcha = new CaptchaService(options.captcha);
  const ctx: SynapseContext = { ...p.ctx, captchaNode: CAPTCHA_NODE, samlOutstanding: new Map() };
  const run = <R>(task: Task<R>): StageRun<R> => {
    const commands: unknown[] = [];
    let cpuMs = 0;
    let sleptMs = 0;
    let input: unknown = undefined;
    for (;;) {
      const step = task.next(input);
      if (step.done === true) return { value: step.value, commands, cpuMs, sleptMs };
      const effect: Effect = step.value;
      input = undefined;
      switch (effect.kind) {
        case 'cpu':
          cpuMs += effect.ms;
          p.clock.ms += effect.ms;
          break;
        case 'sleep':
          sleptMs += effect.ms;
          p.clock.ms += effect.ms;
          break;
        case 'notify':
          break;
        case 'call':
          commands.push(effect.command);
          if (effect.to === DB_NODE) input = p.db.execute(effect.command, p.clock.ms);
          else if (effect.to === CAPTCHA_NODE) input = options.captchaDown === true ? UNAVAILABLE : captcha.execute(effect.command, p.clock.ms);
          else throw new Error(`stage harness: a call to node ${effect.to}`);
          break;
      }
    }
  };
  return { ...p, ctx, captcha, run };
}

/** The `op` of every command. */
export function opsOf(commands: readonly unknown[]): string[] {
  return commands.map((c) => (c as { op: string }).op);
}
