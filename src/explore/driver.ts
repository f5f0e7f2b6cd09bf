import type { Decider, DecisionPoint } from './orders-scheduler.js';

/** One run of the model along a path: the caller builds the world with `decider` and returns
 * its verdict (null when it holds; not asked for when `wasCut()`, the driver ended the run
 * early). The driver knows nothing else of the model. */
export type RunPath<V> = (decider: Decider, wasCut: () => boolean) => V | null;

export interface ExploreSettings {
  readonly search: 'dfs' | 'bfs';
  /** Prune a path when it reaches a state (fingerprint) explored already. */
  readonly fingerprints: boolean;
  /** Sleep sets (DFS only): do not re-run an option that commutes with one explored already. */
  readonly sleepSets: boolean;
  /** Deeper than this, a path takes the natural order without branching (a bound of the scope). */
  readonly maxDecisions: number;
  /** Stop after this many distinct states (the result says it was cut short). */
  readonly maxStates: number;
  /** Asked between runs: stop now (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /** Called every `progressEvery` runs with the counts so far. */
  readonly onProgress?: (stats: ExploreStats) => void;
  /** Only the subtrees under these first decisions (the --jobs split), all when absent. */
  readonly firstDecisions?: readonly number[];
  /** Keep every fingerprint seen (the equivalence tests). */
  readonly keepFingerprints?: boolean;
}

export interface ExploreStats {
  /** Runs that went to their end: the schedules checked. */
  schedules: number;
  /** Runs ended early at a state explored already (fingerprints) or with every option asleep. */
  pruned: number;
  /** Runs of the model in all (complete, pruned, and BFS's partial runs). */
  runs: number;
  /** Distinct fingerprints at decision points. */
  states: number;
  /** The most decisions any schedule made. */
  depth: number;
  /** Schedules that reached the decision bound (they went on in the natural order). */
  bounded: number;
  /** Width of the first decision (what --jobs splits). */
  rootWidth: number;
  /** BFS: paths waiting. */
  frontier: number;
}

export interface ExploreOutcome<V> {
  readonly stats: ExploreStats;
  /** The violating path found first (BFS: with the fewest decisions) and its verdict. */
  readonly counterexample: { readonly decisions: readonly number[]; readonly verdict: V } | null;
  /** Every path explored (no state bound, no stop). */
  readonly complete: boolean;
  readonly fingerprints: ReadonlySet<string> | null;
}

class Stop extends Error {}

function newStats(): ExploreStats {
  return { schedules: 0, pruned: 0, runs: 0, states: 0, depth: 0, bounded: 0, rootWidth: 0, frontier: 0 };
}

/** Explores every order the scope allows, depth-first or breadth-first (see docs/explore.md). */
export function explore<V>(runPath: RunPath<V>, settings: ExploreSettings): ExploreOutcome<V> {
  return settings.search === 'bfs' ? breadthFirst(runPath, settings) : depthFirst(runPath, settings);
}

/** A sleep-set entry: an option's causal key and the node it acts on (-1: every node). */
type Sleeper = readonly [string, number];

interface Level {
  readonly width: number;
  chosen: number;
  readonly keys: readonly string[] | null;
  readonly targets: readonly number[] | null;
  /** The sleep set this level was entered with. */
  readonly asleep: ReadonlyMap<string, number>;
  /** Options explored at this level before `chosen`. */
  readonly done: Sleeper[];
}

function depthFirst<V>(runPath: RunPath<V>, settings: ExploreSettings): ExploreOutcome<V> {
  const stats = newStats();
  const seen = new Map<string, ReadonlySet<string> | null>();
  const kept = settings.keepFingerprints === true ? new Set<string>() : null;
  const levels: Level[] = [];
  const first = settings.firstDecisions;
  let counterexample: ExploreOutcome<V>['counterexample'] = null;
  let complete = true;

  const nextAwake = (level: Level, from: number): number => {
    for (let i = from; i < level.width; i++) {
      if (first !== undefined && levels[0] === level && !first.includes(i)) continue;
      if (level.keys === null || !level.asleep.has(level.keys[i] as string)) return i;
    }
    return -1;
  };

  for (;;) {
    if (settings.shouldStop?.() === true || stats.states >= settings.maxStates) {
      complete = false;
      break;
    }
    let depth = 0;
    let cut = false;
    let bounded = false;
    const decider: Decider = {
      decide(n: number, point: DecisionPoint): number {
        const d = depth++;
        const known = levels[d];
        if (known !== undefined) {
          if (known.width !== n) throw new Error(`explore: decision ${d} had ${known.width} options, now ${n}; the model is not deterministic`);
          return known.chosen;
        }
        if (d >= settings.maxDecisions) {
          bounded = true;
          return 0;
        }
        if (d === 0) stats.rootWidth = n;
        const fingerprint = point.fingerprint();
        const asleep = entrySleepSet(levels[d - 1]);
        const isNew = !seen.has(fingerprint);
        if (isNew) {
          stats.states++;
          kept?.add(fingerprint);
        }
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
        const level: Level = { width: n, chosen: 0, keys, targets, asleep, done: [] };
        levels.push(level);
        const awake = nextAwake(level, 0);
        if (awake < 0) {
          levels.pop();
          cut = true;
          return -1;
        }
        level.chosen = awake;
        return awake;
      },
    };
    const verdict = runPath(decider, () => cut);
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
        advanced = true;
        break;
      }
      levels.pop();
    }
    if (!advanced) break;
  }
  return { stats, counterexample, complete: complete && counterexample === null, fingerprints: kept };
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

/** Breadth-first: every path of d decisions before any of d + 1, so the first violation found
 * has the fewest decisions. Each frontier entry costs a run of its prefix. */
function breadthFirst<V>(runPath: RunPath<V>, settings: ExploreSettings): ExploreOutcome<V> {
  const stats = newStats();
  const seen = new Set<string>();
  const kept = settings.keepFingerprints === true ? new Set<string>() : null;
  let frontier: number[][] = [[]];
  let complete = true;
  try {
    for (let d = 0; frontier.length > 0; d++) {
      const next: number[][] = [];
      for (let f = 0; f < frontier.length; f++) {
        if (settings.shouldStop?.() === true || stats.states >= settings.maxStates) throw new Stop();
        const prefix = frontier[f] as number[];
        stats.frontier = frontier.length - f + next.length;
        let depth = 0;
        let width = 0;
        let cut = false;
        let bounded = false;
        const decider: Decider = {
          decide(n: number, point: DecisionPoint): number {
            const at = depth++;
            if (at < prefix.length) return prefix[at] as number;
            if (at >= settings.maxDecisions) {
              bounded = true;
              return 0;
            }
            if (at === 0) stats.rootWidth = n;
            const fingerprint = point.fingerprint();
            const isNew = !seen.has(fingerprint);
            if (isNew) {
              seen.add(fingerprint);
              stats.states++;
              kept?.add(fingerprint);
            } else if (settings.fingerprints) {
              cut = true;
              stats.pruned++;
              return -1;
            }
            width = n;
            cut = true;
            return -1;
          },
        };
        const verdict = runPath(decider, () => cut);
        stats.runs++;
        if (cut) {
          for (let i = 0; i < width; i++) {
            if (d === 0 && settings.firstDecisions !== undefined && !settings.firstDecisions.includes(i)) continue;
            next.push([...prefix, i]);
          }
          continue;
        }
        stats.schedules++;
        if (bounded) stats.bounded++;
        if (prefix.length > stats.depth) stats.depth = prefix.length;
        if (verdict !== null) return { stats, counterexample: { decisions: prefix, verdict }, complete: false, fingerprints: kept };
        if (settings.onProgress !== undefined && stats.runs % 256 === 0) settings.onProgress(stats);
      }
      frontier = next;
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    complete = false;
  }
  stats.frontier = 0;
  return { stats, counterexample: null, complete, fingerprints: kept };
}
