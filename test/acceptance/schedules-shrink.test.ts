// Issue 4 items 5 and 6: a counterexample whose minimal form needs a non-natural schedule shrinks
// to a non-empty, 1-minimal tape and prints the interleaving that matters; shrinking keeps the
// searched property violated and never drifts into another failure; a shrink cut short by its
// budget is marked partial.
import { describe, expect, it, vi } from 'vitest';
import { collidingIdsStore } from '../../models/stores/mutants/colliding-ids.js';
import { rmwCompletedStore } from '../../models/stores/mutants/rmw-completed.js';
import { findStrategy, withPlugins } from '../../models/strategies.js';
import type { Case } from '../../models/world.js';
import { checkCase } from '../../properties/check-case.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';
import { reductions } from '../../properties/minimize.js';
import type { PropertySettings } from '../../properties/property.js';
import { search } from '../../properties/search.js';
import { runCheck } from '../../src/cli/check.js';

function faults(name: string): FaultProfile {
  const profile = findFaultProfile(name);
  if (profile === undefined) throw new Error(`no fault profile ${name}`);
  return profile;
}

const sql = findStrategy('sql');
if (sql === undefined) throw new Error('no sql strategy');
const rmw = withPlugins(sql, rmwCompletedStore, undefined);
const rmwSettings: PropertySettings = { strategy: rmw.name, profile: 'head', faultProfile: faults('steady'), workload: 'registration', property: 'progress-never-lost', runOptions: { strategy: rmw } };
const violates = (c: Case): boolean => checkCase(c, 'progress-never-lost', { strategy: rmw }).violation !== null;

/** One-entry changes of the tapes only: remove an entry, or zero a non-zero one. */
function tapeReductions(c: Case): Case[] {
  const tapes = [...c.tapes.actors, c.tapes.shared];
  const out: Case[] = [];
  const withTape = (t: number, tape: readonly number[]): Case =>
    t === c.tapes.actors.length ? { ...c, tapes: { actors: c.tapes.actors, shared: tape } } : { ...c, tapes: { actors: c.tapes.actors.map((x, i) => (i === t ? tape : x)), shared: c.tapes.shared } };
  tapes.forEach((tape, t) => {
    tape.forEach((entry, k) => {
      out.push(withTape(t, [...tape.slice(0, k), ...tape.slice(k + 1)]));
      if (entry !== 0) out.push(withTape(t, tape.map((v, at) => (at === k ? 0 : v))));
    });
  });
  return out;
}

describe('the read-modify-write mutant (progress-never-lost, steady, 100 runs, seed 2): a race that needs its schedule', () => {
  const outcome = search(rmwSettings, 100, 2);
  if (outcome.verdict !== 'violated') throw new Error(`the rmw mutant was not caught: ${outcome.verdict}`);

  it('shrinks completely, to one client, with a non-empty tape', () => {
    expect(outcome.shrinkComplete).toBe(true);
    expect(outcome.case.workload.clients).toHaveLength(1);
    // Not the natural order: some actor's tape makes a non-zero choice.
    expect([...outcome.case.tapes.actors, outcome.case.tapes.shared].some((tape) => tape.some((entry) => entry !== 0))).toBe(true);
  });

  it('the schedule matters: the same case in the natural order (every tape empty) passes', () => {
    expect(violates({ ...outcome.case, tapes: { actors: outcome.case.tapes.actors.map(() => []), shared: [] } })).toBe(false);
  });

  it('the tape is 1-minimal: removing or zeroing any one entry makes the case pass', () => {
    const candidates = tapeReductions(outcome.case);
    expect(candidates.length).toBeGreaterThan(0);
    for (const candidate of candidates) expect(violates(candidate), JSON.stringify(candidate.tapes)).toBe(false);
  });

  it('the whole case is 1-minimal: every one-step reduction passes', () => {
    for (const smaller of reductions(outcome.case)) expect(violates(smaller), JSON.stringify(smaller.workload)).toBe(false);
  });

  it('check prints the tape and the two requests in flight whose writes raced, then the steps', async () => {
    const output = await runCheck({ store: 'models/stores/mutants/rmw-completed.ts', faults: 'steady', workload: 'registration', runs: 100, seed: 2 });
    expect(output.exitCode).toBe(1);
    const lines = output.stdout.split('\n');
    // The schedule the search found, as the shrunk tapes, the same ones the search returned.
    const tapes = outcome.case.tapes.actors.map((tape, actor) => ({ tape, actor })).filter(({ tape }) => tape.length > 0);
    for (const { tape, actor } of tapes) expect(lines.some((l) => l.includes(`${actor % 2 === 0 ? 'app' : 'browser'} A tape [${tape.join(', ')}]`))).toBe(true);
    // Two requests of the session were in flight at once: one read the completed set before the
    // other wrote it, and wrote it back after: a stage is gone.
    expect(lines.some((l) => /^ {2}in flight at once: requests \d+ \((app|browser) A, sent \d+ ms, answered \d+ ms\) and \d+ \((app|browser) A, /.test(l))).toBe(true);
    expect(output.stdout).toMatch(/completed \[[^\]]*\] +<-- progress lost/);
  }, 60_000);
});

describe('shrinking keeps the same property violated', () => {
  it('memory-1.8: the progress loss shrinks to a progress loss, though a smaller case shows only a phantom stage', () => {
    const outcome = search({ strategy: 'memory-1.8', profile: '1.8', faultProfile: faults('any-restart'), workload: 'registration', property: 'progress-never-lost' }, 100, 1);
    if (outcome.verdict !== 'violated') throw new Error(`memory-1.8: ${outcome.verdict}`);
    expect(outcome.violation.property).toBe('progress-never-lost');
    const smaller = [...reductions(outcome.case)];
    // A one-step reduction still fails, but as no-phantom-stage (the fallback's throwaway session,
    // uia §2.2): a predicate of "any failure" would have shrunk into it.
    expect(smaller.some((c) => checkCase(c, 'no-phantom-stage').violation !== null)).toBe(true);
    expect(smaller.filter((c) => checkCase(c, 'progress-never-lost').violation !== null)).toEqual([]);
  });

  it('the colliding-ids mutant searched for no-phantom-stage shrinks to a no-phantom-stage violation', () => {
    const colliding = withPlugins(sql, collidingIdsStore, undefined);
    const outcome = search({ ...rmwSettings, strategy: colliding.name, property: 'no-phantom-stage', runOptions: { strategy: colliding } }, 30, 4);
    if (outcome.verdict !== 'violated') throw new Error(`colliding ids: ${outcome.verdict}`);
    expect(outcome.shrinkComplete).toBe(true);
    expect(outcome.violation.property).toBe('no-phantom-stage');
    expect(checkCase(outcome.case, 'no-phantom-stage', { strategy: colliding }).violation?.property).toBe('no-phantom-stage');
  });
});

describe('a shrink budget (check --max-shrink-ms) marks an unfinished shrink as partial', () => {
  const settings: PropertySettings = { strategy: 'memory-1.8', profile: '1.8', faultProfile: faults('any-restart'), workload: 'registration', property: 'progress-never-lost' };

  it('a budget spent at once: the case still violates the property, marked partial, and is not minimal', () => {
    let started = 0;
    const outcome = search(settings, 100, 1, {
      startShrinkBudget: () => {
        started++;
        return () => true;
      },
    });
    if (outcome.verdict !== 'violated') throw new Error(`memory-1.8: ${outcome.verdict}`);
    expect(started).toBe(1);
    expect(outcome.shrinkComplete).toBe(false);
    expect(outcome.violation.property).toBe('progress-never-lost');
    expect(checkCase(outcome.case, 'progress-never-lost').violation).not.toBeNull();
    expect([...reductions(outcome.case)].some((c) => checkCase(c, 'progress-never-lost').violation !== null)).toBe(true);
  });

  it('a budget never spent changes nothing: the same minimal case as without one', () => {
    const unbudgeted = search(settings, 100, 1);
    const budgeted = search(settings, 100, 1, { startShrinkBudget: () => () => false });
    if (unbudgeted.verdict !== 'violated' || budgeted.verdict !== 'violated') throw new Error('not caught');
    expect(budgeted.shrinkComplete).toBe(true);
    expect(budgeted.case).toEqual(unbudgeted.case);
  });

  it('check --max-shrink-ms: a spent budget prints PARTIAL and JSON shrink.complete false; an ample one neither', async () => {
    // The CLI owns the wall clock: a clock that jumps 1 s per reading spends a 1 ms budget at
    // the first question, deterministically.
    let nowMs = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => (nowMs += 1_000));
    try {
      const text = await runCheck({ strategy: 'memory-1.8', runs: 100, seed: 1, maxShrinkMs: 1 });
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toContain('shrink PARTIAL: stopped by --max-shrink-ms');
      expect(text.stdout).toContain('Counterexample (partly shrunk):');
      const json = JSON.parse((await runCheck({ strategy: 'memory-1.8', runs: 100, seed: 1, maxShrinkMs: 1, format: 'json' })).stdout) as { shrink: { complete: boolean } };
      expect(json.shrink.complete).toBe(false);
      const ample = await runCheck({ strategy: 'memory-1.8', runs: 100, seed: 1, maxShrinkMs: 3_600_000_000 });
      expect(ample.stdout).toContain('then made 1-minimal');
      expect(ample.stdout).toContain('Minimal counterexample:');
    } finally {
      clock.mockRestore();
    }
  });
});

describe('a runaway shrink is capped by a count of candidates, deterministically', () => {
  // At seed 2 fast-check would try 202,683 candidates (40 s) on this multi-client case.
  const colliding = withPlugins(sql, collidingIdsStore, undefined);
  const settings: PropertySettings = { ...rmwSettings, strategy: colliding.name, property: 'no-phantom-stage', runOptions: { strategy: colliding } };

  it('stops fast-check at the cap, then still makes the case 1-minimal: the same property, the same case every time', () => {
    const once = search(settings, 30, 2, { maxShrinkCandidates: 500 });
    const again = search(settings, 30, 2, { maxShrinkCandidates: 500 });
    if (once.verdict !== 'violated' || again.verdict !== 'violated') throw new Error('colliding ids not caught');
    expect(once.violation.property).toBe('no-phantom-stage');
    // The 1-minimal pass ran after the capped fast-check shrink: no one-step reduction still fails.
    expect(once.shrinkComplete).toBe(true);
    for (const smaller of reductions(once.case)) expect(checkCase(smaller, 'no-phantom-stage', { strategy: colliding }).violation).toBeNull();
    expect(checkCase(once.case, 'no-phantom-stage', { strategy: colliding }).violation).not.toBeNull();
    expect(again.case).toEqual(once.case);
  });
});
