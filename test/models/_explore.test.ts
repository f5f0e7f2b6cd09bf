import { it } from 'vitest';
import { runCase, type Case } from '../../models/world.js';
import type { ClientAction } from '../../models/clients/workload.js';

function mk(strategy: string, profile: '1.8' | '1.13', actions: ClientAction[], faults: Case['faultPlan']['faults'] = [], extra: Partial<{ adoptsNewSession: boolean; retries: number }> = {}): Case {
  return {
    strategy, profile, faultProfile: 'steady',
    workload: { clients: [{ actions, adoptsNewSession: extra.adoptsNewSession ?? true, retries: extra.retries ?? 0, requestTimeoutMs: 30000, thinkMs: 0 }] },
    faultPlan: { faults }, tapes: { actors: [[], []], shared: [] }, seed: 1,
  };
}
function show(c: Case) {
  const r = runCase(c, { capture: true });
  console.log(r.nodeNames.join(','));
  for (const o of r.observations) console.log(o.atMs, o.actor, o.msgId, o.phase, o.status, r.nodeNames[o.servedBy] ?? o.servedBy, o.key, o.detail, JSON.stringify(o.tags));
  console.log(JSON.stringify(r.lifecycle));
}
it('explore', () => {
  const a6705: ClientAction[] = [{ kind: 'start' }, { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false }, { kind: 'resubmit' }];
  show(mk('memory-1.8', '1.8', a6705));
  show(mk('sql', '1.13', a6705));
  show(mk('sql', '1.13', a6705, [{ kind: 'crash', node: 'db', atMs: 0, after: { actor: 'browser A', nthResponse: 1 }, downMs: 100 }]));
  show(mk('memory-1.8', '1.8', [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.recaptcha' }, { kind: 'resubmit' }], [{ kind: 'crash', node: 'reader1', atMs: 0, after: { actor: 'app A', nthResponse: 2 }, downMs: 100 }]));
  show(mk('memory-1.8', '1.8', [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.recaptcha' }, { kind: 'resubmit' }], [{ kind: 'crash', node: 'reader1', atMs: 0, after: { actor: 'app A', nthResponse: 2 }, downMs: 100 }], { adoptsNewSession: false }));
  show(mk('sql', '1.13', [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.recaptcha' }], [{ kind: 'crash', node: 'reader2', atMs: 0, after: { actor: 'app A', nthResponse: 1 }, downMs: 2500 }], { retries: 2 }));
});
