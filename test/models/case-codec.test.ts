// Cases in replay tokens (models/case-codec.ts): issue 3's operations and workloads round-trip,
// version-1 tokens (before operations existed) still decode, and bad fields fail by name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseFormatError, decodeCase, decodeTokenPayload, MODEL_VERSION } from '../../models/case-codec.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';
import { caseArbitrary } from '../../properties/case-arbitrary.js';
import { replayToken } from '../../properties/replay-token.js';
import { decodeToken, encodeToken } from '../../src/run/token.js';

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
