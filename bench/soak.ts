/**
 * `npm run soak [requests]`: 1,000,000 simulated client requests (sql, workload mix, faults
 * any-restart: crashes and restarts of every kind of process), each run checked for
 * progress-never-lost as `check` does, printing the process's resident memory (RSS) every
 * 100,000 requests on stderr. Memory must stay flat: a run keeps nothing once it is checked, so
 * RSS after warm-up is what one run needs, whatever the count. Exit 1 if RSS ever passes 300 MB
 * or a run violates the property. Wall-clock time is fine here: the soak measures the process.
 */
import fc from 'fast-check';
import { findStrategy, type Strategy } from '../models/strategies.js';
import { caseArbitrary } from '../properties/case-arbitrary.js';
import { checkCase } from '../properties/check-case.js';
import { findFaultProfile, type FaultProfile } from '../properties/fault-profiles.js';

const TARGET_REQUESTS = Number(process.argv[2] ?? 1_000_000);
const REPORT_EVERY = 100_000;
const LIMIT_MB = 300;
const BATCH = 500;

const strategy = findStrategy('sql') as Strategy;
const settings = { strategy: strategy.name, profile: strategy.profile, faultProfile: findFaultProfile('any-restart') as FaultProfile, workload: 'mix', property: 'progress-never-lost' as const };
const arbitrary = caseArbitrary(settings);
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

const started = Date.now();
let requests = 0;
let runs = 0;
let nextReport = REPORT_EVERY;
let peakMb = 0;
let afterWarmUpMb: number | null = null;
let violations = 0;
process.stderr.write(`soak: sql, workload mix, faults any-restart, until ${TARGET_REQUESTS.toLocaleString('en-US')} requests; RSS every ${REPORT_EVERY.toLocaleString('en-US')}\n`);
for (let batch = 0; requests < TARGET_REQUESTS; batch++) {
  for (const c of fc.sample(arbitrary, { seed: batch, numRuns: BATCH })) {
    const verdict = checkCase(c, 'progress-never-lost', { strategy });
    runs++;
    if (verdict.violation !== null) violations++;
    for (const o of verdict.result.observations) if (o.phase === 'sent') requests++;
    if (requests >= nextReport) {
      const rss = mb(process.memoryUsage().rss);
      peakMb = Math.max(peakMb, rss);
      afterWarmUpMb ??= rss;
      const seconds = (Date.now() - started) / 1000;
      process.stderr.write(`${requests.toLocaleString('en-US').padStart(10)} requests  ${String(runs).padStart(7)} runs  RSS ${String(rss).padStart(4)} MB  heap ${String(mb(process.memoryUsage().heapUsed)).padStart(4)} MB  ${seconds.toFixed(1)} s\n`);
      nextReport += REPORT_EVERY;
    }
    if (requests >= TARGET_REQUESTS) break;
  }
}
const finalMb = mb(process.memoryUsage().rss);
peakMb = Math.max(peakMb, finalMb);
const growth = afterWarmUpMb === null ? 0 : peakMb - afterWarmUpMb;
process.stderr.write(`soak: ${requests.toLocaleString('en-US')} requests in ${runs} runs, ${violations} violations; RSS peak ${peakMb} MB (limit ${LIMIT_MB}), ${growth} MB above the first report\n`);
process.exitCode = peakMb >= LIMIT_MB || violations > 0 ? 1 : 0;
