/**
 * `npm run bench`: throughput of the simulator against the same handler logic in a bare loop,
 * and the time from start to a shrunk counterexample. Wall-clock time is fine here: the bench
 * measures the engine, it is not part of the simulated world.
 */
import { performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import { findFaultProfile } from '../properties/fault-profiles.js';
import { search } from '../properties/search.js';
import { steadyCase, runBareLoop } from './bare-loop.js';
import { runCase } from '../models/world.js';
import { exploreLines } from './explore.js';
import { columnCases } from '../properties/cell.js';
import { findStrategy } from '../models/strategies.js';
import type { Case } from '../models/world.js';

const SECONDS = Number(process.argv[2] ?? 2.5);

interface Throughput {
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  /** Over all 5 rounds: the garbage collector's share of the time, and what its scavenges moved
   * into the old generation per run (objects that outlive a scavenge; docs/performance.md,
   * "nepotism": a finished run should leave next to nothing behind). */
  readonly gcShare: number;
  readonly promotedBytesPerRun: number;
}

/** Median of 5 rounds of SECONDS/5 each, after a warm-up: this machine's wall clock is noisy
 * (two shared cores), and a median of rounds resists a burst of load in one of them. */
function measure(run: (seed: number) => { requests: number; events: number }): Throughput {
  for (let seed = 0; seed < 300; seed++) run(seed); // warm-up
  const rounds: { requestsPerSecond: number; eventsPerSecond: number }[] = [];
  let seed = 1000;
  const gc = new GCProfiler();
  gc.start();
  const measuredStart = performance.now();
  for (let round = 0; round < 5; round++) {
    let requests = 0;
    let events = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < (SECONDS * 1000) / 5) {
      for (let i = 0; i < 50; i++) {
        const r = run(seed++);
        requests += r.requests;
        events += r.events;
      }
      elapsed = performance.now() - start;
    }
    rounds.push({ requestsPerSecond: (requests / elapsed) * 1000, eventsPerSecond: (events / elapsed) * 1000 });
  }
  const measuredMs = performance.now() - measuredStart;
  const runs = seed - 1000;
  let gcCostUs = 0;
  let promotedBytes = 0;
  for (const entry of gc.stop().statistics) {
    gcCostUs += entry.cost;
    if (entry.gcType === 'Scavenge') promotedBytes += oldSpaceUsed(entry.afterGC) - oldSpaceUsed(entry.beforeGC);
  }
  rounds.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = rounds[2] as { requestsPerSecond: number; eventsPerSecond: number };
  return { ...median, gcShare: gcCostUs / 1000 / measuredMs, promotedBytesPerRun: Math.max(0, promotedBytes) / runs };
}

function oldSpaceUsed(snapshot: { readonly heapSpaceStatistics: readonly { readonly spaceName: string; readonly spaceUsedSize: number }[] }): number {
  return snapshot.heapSpaceStatistics.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;
}

/** Runs the case `caseAt` gives for each seed: its answered requests and delivered events. */
function simRun(caseAt: (seed: number) => Case): (seed: number) => { requests: number; events: number } {
  return (seed) => {
    const result = runCase(caseAt(seed));
    let requests = 0;
    for (const o of result.observations) if (o.phase === 'received') requests++;
    return { requests, events: result.steps };
  };
}

/** A simulated line's throughput and what the garbage collector made of it. */
function simulatedFigures(t: Throughput): string {
  return `${fmt(t.requestsPerSecond)} answered requests/s, ${fmt(t.eventsPerSecond)} events/s (GC ${(t.gcShare * 100).toFixed(0)}% of the time, ${(t.promotedBytesPerRun / 1024).toFixed(1)} KB promoted a run)`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const lines: string[] = [];
for (const strategy of ['memory-1.8', 'sql'] as const) {
  const sim = measure(simRun((seed) => steadyCase(strategy, seed)));
  const bare = measure((seed) => ({ requests: runBareLoop(steadyCase(strategy, seed)), events: 0 }));
  lines.push(
    `${strategy.padEnd(10)}  simulated: ${simulatedFigures(sim)}` +
      `;  bare loop: ${fmt(bare.requestsPerSecond)} requests/s;  bare/simulated = ${(bare.requestsPerSecond / sim.requestsPerSecond).toFixed(2)}x`,
  );
}

// Time from start to a shrunk, 1-minimal counterexample for memory-1.8 (module load excluded).
const faultProfile = findFaultProfile('any-restart');
if (faultProfile === undefined) throw new Error('bench: fault profile any-restart is missing');

// The runs `check --strategy sql` makes (mix workload, a restart of any process): cases drawn
// beforehand, so this is the model alone, with faults (the fault injector's anchors and restarts
// are where finished runs once kept their world alive: docs/performance.md "nepotism").
const sqlProfile = findStrategy('sql')?.profile;
if (sqlProfile === undefined) throw new Error('bench: strategy sql is missing');
const checkCases = columnCases({ strategy: 'sql', profile: sqlProfile, faultProfile, workload: 'mix', property: 'progress-never-lost' }, 500, 1);
const faulted = measure(simRun((seed) => checkCases[seed % checkCases.length] as Case));
lines.push(`sql, mix workload, any-restart (check's runs): ${simulatedFigures(faulted)}`);

const settings = { strategy: 'memory-1.8', profile: '1.8' as const, faultProfile, workload: 'registration', property: 'progress-never-lost' as const };
search(settings, 100, 99); // warm-up
const times: number[] = [];
let requests = 0;
for (let seed = 1; seed <= 5; seed++) {
  const start = performance.now();
  const outcome = search(settings, 100, seed);
  times.push(performance.now() - start);
  if (outcome.verdict !== 'violated') throw new Error(`bench: memory-1.8 was not caught with seed ${seed}`);
  requests = Math.max(requests, outcome.violation.requests);
}
times.sort((a, b) => a - b);
lines.push(`memory-1.8  time to a shrunk counterexample: median ${(times[2] ?? 0).toFixed(1)} ms of 5 (seeds 1-5; at most ${requests} requests)`);
lines.push(...exploreLines());
console.log(lines.join('\n'));
