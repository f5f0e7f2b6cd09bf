// The workload arbitraries (properties/workload-arbitraries.ts, case-arbitrary.ts): the default
// workload (mix) generates every operation, stage type and client behaviour of docs/architecture.md
// "Clients" (a floor, so a change that drops one fails here), and each workload only its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_STAGES, DEFAULT_WORKLOAD, OPERATIONS, operationsOf, REUSE_OPERATIONS, WORKLOAD_NAMES, type ClientSpec } from '../../models/clients/workload.js';
import { STAGES } from '../../models/matrix/protocol.js';
import { caseArbitrary } from '../../properties/case-arbitrary.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';

function clientsOf(workload: string, faults = 'any-restart', numRuns = 300, property?: string): ClientSpec[] {
  const faultProfile = findFaultProfile(faults) as FaultProfile;
  const arbitrary = caseArbitrary({ strategy: 'sql', profile: 'head', faultProfile, workload, ...(property === undefined ? {} : { property }) });
  return fc.sample(arbitrary, { numRuns, seed: 11 }).flatMap((c) => c.workload.clients);
}

/** Every behaviour a generated client can show, named. */
function behaviours(spec: ClientSpec): string[] {
  const out = [`operation ${spec.operation ?? 'register'}`];
  if (spec.adoptsNewSession) out.push('adopts a new session');
  if (spec.retries > 0) out.push('retries');
  if (spec.thinkMs > 0) out.push('thinks');
  for (const a of spec.actions) {
    out.push(a.kind);
    if (a.kind === 'direct') out.push(`direct ${a.stage}`, ...(a.legacyUser === true ? ['legacy user'] : []));
    if (a.kind === 'fallback') out.push(`fallback ${a.stage}`, ...(a.loadsPage ? ['loads the page'] : ['posts only']), ...(a.concurrent === true ? ['concurrent fallback'] : []));
    if (a.kind === 'resubmit' && a.concurrent === true) out.push('second tab');
    if (a.kind === 'pause' && a.ms >= 60_000) out.push('pause of minutes');
    if (a.kind === 'pause' && a.ms >= 86_400_000) out.push('pause of days');
  }
  return out;
}

describe('workload arbitraries', () => {
  it(`the default workload (${DEFAULT_WORKLOAD}) generates every operation, every stage type and every behaviour`, () => {
    const seen = new Set(clientsOf(DEFAULT_WORKLOAD).flatMap(behaviours));
    const wanted = [
      ...OPERATIONS.map((o) => `operation ${o}`),
      ...CLIENT_STAGES.filter((s) => s !== 'm.login.sso').map((s) => `direct ${s}`),
      ...['m.login.recaptcha', 'm.login.terms', 'm.login.registration_token', 'm.login.sso'].map((s) => `fallback ${s}`),
      ...['start', 'resubmit', 'email', 'pause', 'abandon', 'legacy user', 'loads the page', 'posts only', 'concurrent fallback', 'second tab', 'pause of minutes'],
      ...['adopts a new session', 'retries', 'thinks'],
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });

  it('every stage type the model knows (protocol.ts STAGES) is one the clients can complete', () => {
    expect([...STAGES].sort()).toEqual([...CLIENT_STAGES].sort());
  });

  it('slow users pause for days (expiry matters); liveness clients are persistent', () => {
    expect(clientsOf('password', 'slow-user', 200).flatMap(behaviours)).toContain('pause of days');
    expect(clientsOf('mix', 'steady', 50, 'liveness').every((c) => c.persistent === true)).toBe(true);
  });

  it('each workload generates only its own operations, every client starting with `start`', () => {
    for (const workload of WORKLOAD_NAMES) {
      const clients = clientsOf(workload, 'steady', 60);
      expect(new Set(clients.map((c) => c.operation))).toEqual(new Set(operationsOf(workload)));
      expect(clients.every((c) => c.actions[0]?.kind === 'start')).toBe(true);
    }
  });

  it('session-reuse takes both adversarial steps, with every other operation of its own; no other workload takes either (issue 11)', () => {
    const seen = new Set(clientsOf('session-reuse', 'steady', 200).flatMap((c) => c.actions.map((a) => (a.kind === 'wrong-operation' ? `${c.operation} -> ${a.operation}` : a.kind))));
    expect(seen).toContain('other-user');
    for (const own of REUSE_OPERATIONS) for (const other of REUSE_OPERATIONS) if (own !== other) expect(seen).toContain(`${own} -> ${other}`);
    for (const op of REUSE_OPERATIONS) expect(seen).not.toContain(`${op} -> ${op}`);
    for (const workload of WORKLOAD_NAMES.filter((w) => w !== 'session-reuse')) {
      const kinds = new Set(clientsOf(workload, 'steady', 100).flatMap((c) => c.actions.map((a) => a.kind)));
      expect([...kinds].filter((k) => k === 'wrong-operation' || k === 'other-user'), workload).toEqual([]);
    }
  });

  it('an unknown workload is refused by name', () => {
    expect(() => clientsOf('everything', 'steady', 1)).toThrow('unknown workload everything');
  });
});
