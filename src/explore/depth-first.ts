import { RaceTracker } from './dpor.js';
import type { Decider, DecisionPoint, Step } from './orders-scheduler.js';
import { newStats, type BranchOutcome, type ExploreSettings, type RunPath } from './types.js';

/** A sleep-set entry: an option's causal key and the node it acts on (-1: every node). */
type Sleeper = readonly [string, number];

interface Level {
  /** How many decisions come before this one. */
  readonly at: number;
  readonly width: number;
  chosen: number;
  readonly keys: readonly string[] | null;
  readonly targets: readonly number[] | null;
  /** The sleep set this level was entered with. */
  readonly asleep: ReadonlyMap<string, number>;
  /** Options explored at this level before `chosen`. */
  readonly done: Sleeper[];
  /** DPOR: the options a race asked for (the first taken included), and those tried; null
   * without DPOR, where every option is tried. */
  readonly backtrack: Set<number> | null;
  readonly tried: Set<number> | null;
  /** DPOR: the option whose disabled siblings were last looked for (-1: none yet). A run
   * re-running this level with the same option disables the same ones: the prefix is the same. */
  disabledCheckedFor: number;
}

/**
 * Depth-first through the subtree under the decisions `pinned` (a task of src/explore/split.ts;
 * the one path when the run makes no decision), with a fingerprint set of its own: what it
 * explores does not depend on the other tasks, so the tasks can run on any threads in any order
 * (docs/explore.md "--jobs"). The first `pinned.length` decisions take the pinned options and
 * never backtrack. With sleep sets, the options before a pinned one count as explored (their
 * subtrees are other tasks, explored by whoever), as they would be by a depth-first search
 * from the root arriving here: the sleep sets are those of the search without the split.
 */
export function depthFirstBranch<V>(runPath: RunPath<V>, settings: ExploreSettings, pinned: readonly number[]): BranchOutcome<V> {
  const stats = newStats();
  const seen = new Map<string, ReadonlySet<string> | null>();
  const levels: Level[] = [];
  let counterexample: BranchOutcome<V>['counterexample'] = null;
  let complete = true;

  if (settings.dpor === true && (settings.fingerprints || !settings.sleepSets)) throw new Error('explore: DPOR runs with sleep sets and without fingerprint pruning (docs/explore.md "DPOR")');
  const nextAwake = (level: Level, from: number): number => {
    const pin = pinned[level.at];
    const { backtrack, tried } = level;
    // DPOR backtracks only to the options races asked for, in option order, wherever they are.
    const start = backtrack === null ? from : 0;
    for (let i = start; i < level.width; i++) {
      if (pin !== undefined && i !== pin) continue;
      if (backtrack !== null && tried !== null && tried.size > 0 && (!backtrack.has(i) || tried.has(i))) continue;
      if (level.keys === null || !level.asleep.has(level.keys[i] as string)) return i;
    }
    return -1;
  };
  /** DPOR: where `level` may add backtrack points (not at a pinned decision: other tasks' business). */
  const backtrackable = (level: Level | undefined): { readonly backtrack: Set<number>; readonly keys: readonly string[] } | null =>
    level === undefined || level.backtrack === null || level.keys === null || pinned[level.at] !== undefined ? null : { backtrack: level.backtrack, keys: level.keys };
  /** DPOR: the options of `level` that its chosen step disabled (absent from the next state's
   * options `next`: a response that cancels a due timeout, a fault that spends the budget, the
   * step that ends the run) are tried there too, since no later step could race with them. */
  const addDisabled = (level: Level, next: readonly string[]): void => {
    const open = backtrackable(level);
    if (open !== null) for (let i = 0; i < level.width; i++) if (i !== level.chosen && !next.includes(open.keys[i] as string)) open.backtrack.add(i);
  };
  /** DPOR: a race asks decision `depth` to try the option named `key` (every option when it was
   * not an option there). */
  const onRace = (depth: number, key: string): void => {
    const open = backtrackable(levels[depth]);
    if (open === null) return;
    const option = open.keys.indexOf(key);
    if (option >= 0) open.backtrack.add(option);
    else for (let i = 0; i < open.keys.length; i++) open.backtrack.add(i);
  };

  for (;;) {
    if (settings.shouldStop?.() === true || stats.states >= settings.maxStates) {
      complete = false;
      break;
    }
    let depth = 0;
    let cut = false;
    let bounded = false;
    const races = settings.dpor === true ? new RaceTracker() : null;
    /** The decision the next step was chosen at; -1 for a forced or bounded one. */
    let choosing = -1;
    /** DPOR: the level whose step was just taken, until the next state's options show what it
     * disabled (once per option taken: a re-run of the same prefix disables the same); and the
     * run's last step. */
    let disabling: Level | null = null;
    let lastStep: Step | null = null;
    const disabledNow = (next: readonly string[]): void => {
      if (disabling !== null) addDisabled(disabling, next);
      disabling = null;
    };
    const watchDisabled = (level: Level): void => {
      if (level.disabledCheckedFor === level.chosen) return;
      level.disabledCheckedFor = level.chosen;
      disabling = level;
    };
    const decider: Decider = {
      decide(n: number, point: DecisionPoint): number {
        const d = depth++;
        if (disabling !== null) disabledNow(Array.from({ length: n }, (_, i) => point.keyOf(i)));
        const known = levels[d];
        if (known !== undefined) {
          if (known.width !== n) throw new Error(`explore: decision ${d} had ${known.width} options, now ${n}; the model is not deterministic`);
          choosing = d;
          // Its options' races were reported when the level was new: the prefix is the same.
          if (races !== null) watchDisabled(known);
          return known.chosen;
        }
        // Every option's race with the steps so far, taken or not (DPOR looks at every state's).
        if (races !== null) for (let i = 0; i < n; i++) races.pending(point.stepOf(i), onRace);
        if (d >= settings.maxDecisions) {
          bounded = true;
          return 0;
        }
        if (d === 0) stats.rootWidth = n;
        const fingerprint = point.fingerprint();
        const asleep = entrySleepSet(levels[d - 1]);
        const isNew = !seen.has(fingerprint);
        if (isNew) stats.states++;
        const previous = isNew ? undefined : seen.get(fingerprint);
        if (settings.fingerprints && !isNew) {
          // With sleep sets, a state seen before was explored with its own sleep set: prune only
          // if that one was no larger than ours (it explored at least what we would).
          if (previous === null || previous === undefined || isSubset(previous, asleep)) {
            cut = true;
            return -1;
          }
        }
        seen.set(fingerprint, settings.sleepSets ? intersect(previous, asleep) : null);
        const keys = settings.sleepSets ? Array.from({ length: n }, (_, i) => point.keyOf(i)) : null;
        const targets = settings.sleepSets ? Array.from({ length: n }, (_, i) => point.targetOf(i)) : null;
        const done: Sleeper[] = [];
        const pin = pinned[d];
        if (pin !== undefined && pin >= n) throw new Error(`explore: decision ${d} has ${n} options, and the task pins option ${pin}; the model is not deterministic`);
        // A pinned decision: the options before the pinned one were explored (by whoever).
        if (pin !== undefined && keys !== null && targets !== null) for (let i = 0; i < pin; i++) done.push([keys[i] as string, targets[i] as number]);
        const dpor = races !== null;
        const level: Level = { at: d, width: n, chosen: 0, keys, targets, asleep, done, backtrack: dpor ? new Set() : null, tried: dpor ? new Set() : null, disabledCheckedFor: -1 };
        levels.push(level);
        const awake = nextAwake(level, 0);
        if (awake < 0) {
          levels.pop();
          cut = true;
          return -1;
        }
        level.chosen = awake;
        level.backtrack?.add(awake);
        level.tried?.add(awake);
        choosing = d;
        if (races !== null) watchDisabled(level);
        return awake;
      },
      ...(races === null
        ? {}
        : {
            stepped(step: Step): void {
              const at = choosing;
              choosing = -1;
              // A forced step: the state it leaves had this one option.
              if (at < 0 && disabling !== null) disabledNow([step.key]);
              // A chosen step's race was reported with its decision's options.
              races.step(step, at, at < 0 ? onRace : undefined);
              lastStep = step;
            },
          }),
    };
    const verdict = runPath(decider, () => cut);
    // DPOR: the run ended (the last client finished) with its last step, which disabled
    // everything else: it acts on every node.
    if (races !== null && !cut) {
      disabledNow([]);
      if (lastStep !== null) races.endedBy(lastStep, onRace);
    }
    stats.runs++;
    if (cut) stats.pruned++;
    else {
      stats.schedules++;
      if (bounded) stats.bounded++;
      const made = Math.min(depth, levels.length);
      if (made > stats.depth) stats.depth = made;
      if (verdict !== null) {
        counterexample = { decisions: levels.map((l) => l.chosen), verdict };
        complete = false;
        break;
      }
    }
    if (settings.onProgress !== undefined && stats.runs % 256 === 0) settings.onProgress(stats);
    // Backtrack: the deepest level with an option left.
    levels.length = Math.min(levels.length, depth);
    let advanced = false;
    while (levels.length > 0) {
      const level = levels[levels.length - 1] as Level;
      if (level.keys !== null && level.targets !== null) level.done.push([level.keys[level.chosen] as string, level.targets[level.chosen] as number]);
      const next = nextAwake(level, level.chosen + 1);
      if (next >= 0) {
        level.chosen = next;
        level.tried?.add(next);
        advanced = true;
        break;
      }
      levels.pop();
    }
    if (!advanced) break;
  }
  return { stats, counterexample, complete: complete && counterexample === null, fingerprints: [...seen.keys()] };
}

/** The sleep set of the level below `parent`: what slept or was done there and commutes with
 * the option taken (acts on another node, and neither acts on every node). */
function entrySleepSet(parent: Level | undefined): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  if (parent === undefined || parent.keys === null || parent.targets === null) return out;
  const target = parent.targets[parent.chosen] as number;
  if (target < 0) return out;
  for (const [key, t] of parent.asleep) if (t >= 0 && t !== target) out.set(key, t);
  for (const [key, t] of parent.done) if (t >= 0 && t !== target) out.set(key, t);
  return out;
}

function isSubset(small: ReadonlySet<string>, big: ReadonlyMap<string, number>): boolean {
  for (const key of small) if (!big.has(key)) return false;
  return true;
}

function intersect(previous: ReadonlySet<string> | null | undefined, asleep: ReadonlyMap<string, number>): ReadonlySet<string> {
  if (previous === null || previous === undefined) return new Set(asleep.keys());
  const out = new Set<string>();
  for (const key of previous) if (asleep.has(key)) out.add(key);
  return out;
}
