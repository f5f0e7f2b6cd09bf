// real/compare.ts: how a model run and a real run of one case are compared, request by request.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../models/world.js';
import { compareRuns, rowMark } from '../../real/compare.js';
import { Agreement } from '../../real/coverage.js';
import type { RealRun } from '../../real/driver.js';
import type { ObserveEvent } from '../../src/trace.js';

const NODES = ['main', 'reader1', 'reader2'];
const APP_A = 0;
const APP_B = 2;

function sent(actor: number, msgId: number, detail: string, key = '', tags: string[] = []): ObserveEvent {
  return { kind: 'observe', atMs: 0, actor, msgId, phase: 'sent', status: 0, servedBy: -1, key, detail, tags };
}

function received(actor: number, msgId: number, status: number, servedBy: number, key = '', tags: string[] = []): ObserveEvent {
  return { kind: 'observe', atMs: 0, actor, msgId, phase: 'received', status, servedBy, key, detail: status === 502 ? 'bad gateway' : '', tags };
}

function runs(model: ObserveEvent[], real: ObserveEvent[], pairs: [number, number][]): { model: RunResult; real: RealRun } {
  const result = (observations: ObserveEvent[]) => ({ observations, nodeNames: NODES }) as unknown as RunResult;
  return { model: result(model), real: { result: result(real), pairs: new Map(pairs), notes: [], raw: new Map(), wallMs: 0 } };
}

describe('compareRuns: a race, and what a client does after its answers raced apart', () => {
  // Two clients' first requests in flight together while reader2 crashes: in the model A's is
  // answered and B's meets the crash; on the real deployment the other way round. B then has a
  // session on the real side only, and sends the dummy stage there only (conform's shortest
  // any-restart disagreement on 1.13.0, seed 1, before `after race`).
  const { model, real } = runs(
    [sent(APP_A, 1, 'POST /register'), sent(APP_B, 2, 'POST /register'), received(APP_A, 1, 401, 2, 'm1'), received(APP_B, 2, 502, -1)],
    [sent(APP_A, 1, 'POST /register'), sent(APP_B, 2, 'POST /register'), received(APP_A, 1, 502, -1), received(APP_B, 2, 401, 2, 'r1'), sent(APP_B, 3, 'POST /register', 'r1', ['m.login.dummy']), received(APP_B, 3, 502, -1, 'r1')],
    [[0, 0], [1, 1]],
  );

  it("marks the raced answers race and B's request sent on the real side only after race, not DIFFER", () => {
    const rows = compareRuns(model, real);
    expect(rows.map((r) => [r.request, r.actor, rowMark(r)])).toEqual([
      [1, 'app A', 'race'],
      [2, 'app B', 'race'],
      [3, 'app B', 'after race'],
    ]);
    const agreement = new Agreement();
    agreement.add(rows);
    expect(agreement.lines()[0]).toBe('0 of 1 cases agree on every request; 1 more differ only on requests in flight together (2 raced answers and 1 of the same clients after them, not counted below).');
  });

  it('a client whose answers did not race keeps DIFFER on a request only one side sent', () => {
    // The same first two requests, then a request of a third client, whose answers never raced:
    // DIFFER.
    const APP_C = 4;
    const third = runs(
      [...model.observations],
      [...real.result.observations.slice(0, 4), sent(APP_C, 3, 'POST /register'), received(APP_C, 3, 401, 1, 'r2')],
      [[0, 0], [1, 1]],
    );
    expect(compareRuns(third.model, third.real).map(rowMark)).toEqual(['race', 'race', 'DIFFER']);
  });

  it('a race whose answers agree parts nothing: a later difference of that client is DIFFER', () => {
    const agreed = runs(
      [sent(APP_A, 1, 'POST /register'), sent(APP_B, 2, 'POST /register'), received(APP_A, 1, 401, 1, 'm1'), received(APP_B, 2, 401, 2, 'm2'), sent(APP_B, 3, 'POST /register', 'm2', ['m.login.dummy']), received(APP_B, 3, 200, 2, 'm2')],
      [sent(APP_A, 1, 'POST /register'), sent(APP_B, 2, 'POST /register'), received(APP_A, 1, 401, 1, 'r1'), received(APP_B, 2, 401, 2, 'r2'), sent(APP_B, 3, 'POST /register', 'r2', ['m.login.dummy']), received(APP_B, 3, 401, 2, 'r2')],
      [[0, 0], [1, 1], [4, 4]],
    );
    expect(compareRuns(agreed.model, agreed.real).map(rowMark)).toEqual(['agree', 'agree', 'DIFFER']);
  });
});
