import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCase, type Case } from '../../models/world.js';
import { caseArbitrary } from '../../properties/case-arbitrary.js';
import { FAULT_PROFILES, findFaultProfile } from '../../properties/fault-profiles.js';
import { STRATEGIES } from '../../models/strategies.js';
import { hashEvents, type TraceEvent } from '../../src/trace.js';
import { GOLDEN_CASES } from '../../scripts/golden-cases.js';

const faultProfile = findFaultProfile('any-restart');
if (faultProfile === undefined) throw new Error('fault profile any-restart is missing');

/** Case i is generated from seed i, alternating the two strategies. */
const cases: Case[] = Array.from({ length: 100 }, (_, seed) => {
  const strategy = seed % 2 === 0 ? 'memory-1.8' : 'sql';
  const arbitrary = caseArbitrary({ strategy, profile: strategy === 'sql' ? '1.13' : '1.8', faultProfile, workload: 'registration' });
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0] as Case;
});

/** Every fault profile (the nine columns, captcha-trouble and any-restart) under the
 * registration workload, the default `mix` and the adversarial `session-reuse`, each on several
 * strategies in turn: 4 cases per (fault profile, workload), 132 in all. */
const everyWorkload: Case[] = FAULT_PROFILES.flatMap((profile, p) =>
  (['registration', 'mix', 'session-reuse'] as const).flatMap((workload, w) =>
    Array.from({ length: 4 }, (_, i) => {
      const strategy = STRATEGIES[(p * 8 + w * 4 + i) % STRATEGIES.length];
      if (strategy === undefined) throw new Error('no strategy');
      return fc.sample(caseArbitrary({ strategy: strategy.name, profile: strategy.profile, faultProfile: profile, workload }), { seed: 1000 + p * 8 + w * 4 + i, numRuns: 1 })[0] as Case;
    }),
  ),
);

function hashesInWorker(batch: readonly Case[]): Promise<string[]> {
  // The worker runs the built JavaScript (npm test builds dist/ first, as `prepare` does).
  const worker = new Worker(new URL('../../dist/scripts/hash-worker.js', import.meta.url), { workerData: batch });
  return new Promise((resolve, reject) => {
    worker.once('message', (hashes: string[]) => resolve(hashes));
    worker.once('error', reject);
  });
}

describe('determinism: the same case gives the same trace, byte for byte', () => {
  const first = cases.map((c) => runCase(c).traceHash);

  it('100 seeds: each case run twice in-process gives identical hashes', () => {
    expect(cases.map((c) => runCase(c).traceHash)).toEqual(first);
  });

  it('and once more in a worker thread', async () => {
    expect(await hashesInWorker(cases)).toEqual(first);
  });

  it('the 100 cases give about 100 distinct traces', () => {
    expect(new Set(first).size).toBeGreaterThanOrEqual(95);
  });

  it('every fault profile, under registration, mix and session-reuse: the same hash twice in-process, captured or not, and in a worker thread', async () => {
    const hashes = everyWorkload.map((c) => runCase(c).traceHash);
    expect(new Set(everyWorkload.map((c) => `${c.faultProfile}/${c.workload.name}`)).size).toBe(FAULT_PROFILES.length * 3);
    expect(everyWorkload.map((c) => runCase(c).traceHash)).toEqual(hashes);
    expect(everyWorkload.map((c) => runCase(c, { capture: true }).traceHash)).toEqual(hashes);
    expect(await hashesInWorker(everyWorkload)).toEqual(hashes);
    expect(new Set(hashes).size).toBeGreaterThanOrEqual(everyWorkload.length - 2);
  });

  it('the hash does not depend on whether the trace is captured', () => {
    for (const c of cases.slice(0, 20)) expect(runCase(c, { capture: true }).traceHash).toBe(runCase(c).traceHash);
  });
});

describe('the trace hash covers every field of every event', () => {
  const c = GOLDEN_CASES['sql-two-clients-db-restart'] as Case;
  const events = runCase(c, { capture: true }).events as readonly TraceEvent[];
  const original = hashEvents(events);

  function mutate(value: unknown): unknown {
    if (typeof value === 'number') return value + 1;
    if (typeof value === 'string') return `${value}x`;
    if (Array.isArray(value)) return [...(value as unknown[]), 'x'];
    throw new Error(`unexpected field value ${String(value)}`);
  }

  it('the captured events hash to the run hash', () => {
    expect(original).toBe(runCase(c).traceHash);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['deliver', 'drop', 'crash', 'restart', 'observe', 'fact']));
  });

  it('changing any one field of any one event changes the hash', () => {
    let checked = 0;
    events.forEach((event, index) => {
      for (const field of Object.keys(event)) {
        if (field === 'kind') continue;
        // Not an event of the run but bookkeeping for the real driver (real/crash-order.ts): the
        // messages sent so far, cancelled timers included, which no event records.
        if (field === 'nextMessageId') continue;
        let changed: unknown = mutate((event as unknown as Record<string, unknown>)[field]);
        if (field === 'msgKind') changed = event.kind === 'deliver' && event.msgKind === 'request' ? 'response' : 'request';
        if (field === 'reason') changed = event.kind === 'drop' && event.reason === 'down' ? 'stale' : 'down';
        if (field === 'phase') changed = event.kind === 'observe' && event.phase === 'sent' ? 'received' : 'sent';
        const mutated = events.map((e, at) => (at === index ? ({ ...e, [field]: changed } as TraceEvent) : e));
        expect(hashEvents(mutated), `event ${index} field ${field}`).not.toBe(original);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(500);
  });

  it('swapping two events changes the hash', () => {
    const swapped = [...events];
    [swapped[3], swapped[4]] = [swapped[4] as TraceEvent, swapped[3] as TraceEvent];
    expect(hashEvents(swapped)).not.toBe(original);
  });
});
