// Cases in replay tokens (models/case-codec.ts): issue 3's operations and workloads round-trip,
// version-1 tokens (before operations existed) still decode, and bad fields fail by name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseFormatError, decodeCase, decodeTokenPayload, MODEL_VERSION } from '../../models/case-codec.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';
import { caseArbitrary } from '../../properties/case-arbitrary.js';
import { replayToken } from '../../properties/replay-token.js';
import { decodeToken, encodeToken } from '../../src/run/token.js';
import type { Case } from '../../models/world.js';

const anyRestart = findFaultProfile('any-restart') as FaultProfile;

describe('case codec', () => {
  it('every generated mix case (all operations, stages and behaviours) survives a token round trip', () => {
    const cases = fc.sample(caseArbitrary({ strategy: 'sql', profile: 'head', faultProfile: anyRestart, workload: 'mix' }), { numRuns: 100, seed: 3 });
    for (const c of cases) {
      const payload = decodeTokenPayload(decodeToken(replayToken(c, 'progress-never-lost', 'h')));
      expect(payload.model).toBe(MODEL_VERSION);
      expect(payload.case).toEqual(JSON.parse(JSON.stringify(c)));
    }
    expect(new Set(cases.map((c) => c.workload.name))).toEqual(new Set(['mix']));
  });

  it('session-reuse cases (wrong-operation, other-user) survive a token round trip', () => {
    const cases = fc.sample(caseArbitrary({ strategy: 'sql', profile: 'head', faultProfile: anyRestart, workload: 'session-reuse' }), { numRuns: 50, seed: 3 });
    const kinds = new Set(cases.flatMap((c) => c.workload.clients.flatMap((spec) => spec.actions.map((a) => a.kind))));
    expect(kinds).toContain('wrong-operation');
    expect(kinds).toContain('other-user');
    for (const c of cases) expect(decodeTokenPayload(decodeToken(replayToken(c, 'user-binding', 'h'))).case).toEqual(JSON.parse(JSON.stringify(c)));
  });

  it('carries the captcha trouble of a case (slow or failing windows) through a token', () => {
    const trouble = findFaultProfile('captcha-trouble') as FaultProfile;
    const cases = fc.sample(caseArbitrary({ strategy: 'sql', profile: 'head', faultProfile: trouble, workload: 'registration' }), { numRuns: 30, seed: 4 });
    expect(cases.every((c) => (c.captcha?.windows.length ?? 0) > 0)).toBe(true);
    for (const c of cases) expect(decodeTokenPayload(decodeToken(replayToken(c, 'liveness', ''))).case).toEqual(JSON.parse(JSON.stringify(c)));
    expect(() => decodeCase({ ...cases[0], captcha: { windows: [{ fromMs: 0, untilMs: 1, mode: 'down' }] } })).toThrow('field case.captcha.windows[0].mode:');
  });

  it('carries --set switches through a token; a token without them decodes without them; a bad one names the field', () => {
    const switches = { 'sso.samlEnabled': true, 'uiAuth.sessionTimeoutMs': 5000, unknownSession: 'fresh-session' };
    const [c] = fc.sample(caseArbitrary({ strategy: 'sql', profile: 'head', faultProfile: anyRestart, workload: 'mix', switches }), { numRuns: 1, seed: 5 });
    expect(c?.switches).toEqual(switches);
    const decoded = decodeTokenPayload(decodeToken(replayToken(c as Case, 'liveness', ''))).case;
    expect(decoded.switches).toEqual(switches);
    const { switches: _, ...without } = c as Case;
    expect('switches' in decodeCase(JSON.parse(JSON.stringify(without)))).toBe(false);
    expect(() => decodeCase({ ...without, switches: { 'sso.samlEnabled': 'yes' } })).toThrow('field case.switches.sso.samlEnabled: expected switch sso.samlEnabled takes true | false, not "yes"');
    expect(() => decodeCase({ ...without, switches: { 'sso.nope': true } })).toThrow('field case.switches.sso.nope: expected unknown switch sso.nope');
  });

  it('a version-1 token (no operation, no workload name) still decodes: its clients register', () => {
    const v1 = {
      format: 1,
      model: 1,
      property: 'progress-never-lost',
      traceHash: '',
      case: {
        strategy: 'memory-1.8',
        profile: '1.8',
        faultProfile: 'steady',
        workload: { clients: [{ actions: [{ kind: 'start' }, { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: true }, { kind: 'resubmit' }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30000, thinkMs: 0 }] },
        faultPlan: { faults: [] },
        tapes: { actors: [[], []], shared: [] },
        seed: 1,
      },
    };
    const payload = decodeTokenPayload(decodeToken(encodeToken(v1)));
    expect(payload.model).toBe(1);
    expect(payload.case.workload.name).toBeUndefined();
    expect(payload.case.workload.clients[0]?.operation).toBeUndefined();
  });

  it('names the bad field: an unknown operation, workload, stage or action kind', () => {
    const base = { strategy: 'sql', profile: 'head', faultProfile: 'steady', faultPlan: { faults: [] }, tapes: { actors: [], shared: [] }, seed: 0 };
    const spec = { actions: [], adoptsNewSession: false, retries: 0, requestTimeoutMs: 1, thinkMs: 0 };
    const bad: [unknown, string][] = [
      [{ clients: [{ ...spec, operation: 'rename' }] }, 'case.workload.clients[0].operation'],
      [{ name: 'everything', clients: [] }, 'case.workload.name'],
      [{ clients: [{ ...spec, actions: [{ kind: 'direct', stage: 'm.login.sso' }] }] }, 'case.workload.clients[0].actions[0].stage'],
      [{ clients: [{ ...spec, actions: [{ kind: 'teleport' }] }] }, 'case.workload.clients[0].actions[0].kind'],
      [{ clients: [{ ...spec, actions: [{ kind: 'resubmit', concurrent: 'yes' }] }] }, 'case.workload.clients[0].actions[0].concurrent'],
    ];
    for (const [workload, field] of bad) {
      expect(() => decodeCase({ ...base, workload })).toThrow(CaseFormatError);
      expect(() => decodeCase({ ...base, workload })).toThrow(`field ${field}:`);
    }
  });
});
