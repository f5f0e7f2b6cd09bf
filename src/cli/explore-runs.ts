import type { CaseVerdict } from '../../properties/check-case.js';
import { frontierPrefixes, startBfs, takeLevel, type ProbeChain } from '../explore/breadth-first.js';
import type { SplitTasks } from '../explore/split.js';
import { mergeBranches, verdictOf, type BranchOutcome, type ExploreOutcome, type ExploreStats } from '../explore/driver.js';
import { computeExploreTask, type ExploreSpec, type ExploreTask, type ExploreTaskResult, type LoadedExplore } from './explore-tasks.js';
import { builtWorker, superviseTasks, type TaskOutcome } from './supervisor.js';

const WORKER = new URL('./explore-worker.js', import.meta.url);

export interface ThreadsOptions {
  readonly jobs: number;
  readonly runTimeoutMs: number;
  /** The counts so far, after each task (the TTY progress line). */
  readonly onProgress?: (stats: ExploreStats) => void;
}

export interface ThreadedExploration {
  readonly outcome: ExploreOutcome<CaseVerdict>;
  /** Ctrl-C stopped it: the counts are what was covered. */
  readonly interrupted: boolean;
}

/** A run went past --run-timeout in a worker: the model or a plug-in is stuck. */
export class HungRunError extends Error {}

type Skip = (index: number) => boolean;
type OnOutcome = (index: number, outcome: TaskOutcome<ExploreTaskResult>) => void;

/** Breadth-first levels cut into tasks of at most this many prefixes (a run each). */
const MAX_PROBES_PER_TASK = 64;
/** Breadth-first tasks queued ahead of the threads, per thread. */
const TASKS_AHEAD_PER_THREAD = 2;
/** Stands in for a task once its level is taken (its prefixes no longer needed). */
const EMPTIED_TASK: ExploreTask = { kind: 'probes', prefixes: [] };

/**
 * The exploration of `spec` on `jobs` worker threads (this thread under vitest): depth-first,
 * one thread task per task of its split (src/explore/split.ts); breadth-first, each level's
 * prefixes in slices, taken in order once the level is done. Same counts and counterexample as
 * `explore` in one thread (docs/explore.md).
 */
export async function exploreOnThreads(spec: ExploreSpec, loaded: LoadedExplore, options: ThreadsOptions): Promise<ThreadedExploration> {
  const settings = loaded.settings;
  const stopped = (): boolean => settings.shouldStop?.() === true;
  const run = (tasks: ExploreTask[], skip: Skip, onOutcome: OnOutcome): Promise<TaskOutcome<ExploreTaskResult>[]> => runTasks(spec, loaded, options, tasks, skip, onOutcome);
  const withVerdict = (decisions: readonly number[] | null): ExploreOutcome<CaseVerdict>['counterexample'] =>
    decisions === null ? null : { decisions, verdict: verdictOf(loaded.reportPath, decisions) };

  if (settings.search === 'dfs') {
    const { width, outcomes } = await exploreBranches(spec, loaded, options, (count) => Array.from({ length: count }, (_, index) => index));
    const interrupted = stopped();
    const merged = mergeBranches(outcomes, width, settings.maxStates, interrupted);
    return { outcome: { stats: merged.stats, counterexample: interrupted ? null : withVerdict(merged.counterexample), complete: merged.complete, fingerprints: null }, interrupted };
  }

  const state = startBfs();
  const tasks: ExploreTask[] = [];
  const answers: (ProbeChain[] | undefined)[] = [];
  /** The level's first task, its frontier entries handed to tasks so far, and its tasks answered. */
  let levelStart = 0;
  let queued = 0;
  let answered = 0;
  let size = 1;
  // A level's prefixes are spelled out a few tasks ahead of the threads, not all at once: a
  // frontier of millions would hold them all (src/explore/prefix-tree.ts).
  const topUp = (): void => {
    while (queued < state.toProbe.length && tasks.length - levelStart - answered < options.jobs * TASKS_AHEAD_PER_THREAD) {
      tasks.push({ kind: 'probes', prefixes: frontierPrefixes(state, queued, queued + size) });
      queued += size;
    }
  };
  const queueLevel = (): void => {
    levelStart = tasks.length;
    queued = 0;
    answered = 0;
    size = Math.min(MAX_PROBES_PER_TASK, Math.max(1, Math.ceil(state.toProbe.length / (options.jobs * 4))));
    topUp();
  };
  const levelAnswers = (): ProbeChain[] => {
    const out: ProbeChain[] = [];
    for (let i = levelStart; i < tasks.length; i++) {
      const answer = answers[i];
      if (answer === undefined) break;
      out.push(...answer);
      const task = tasks[i] as ExploreTask;
      if (task.kind === 'probes' && answer.length < task.prefixes.length) break;
    }
    return out;
  };
  /** The level's tasks and answers, once taken: emptied, not only dropped, since the pool keeps
   * every outcome (these arrays) until it ends. */
  const forgetLevel = (): void => {
    for (let i = levelStart; i < tasks.length; i++) {
      tasks[i] = EMPTIED_TASK;
      answers[i]?.splice(0);
      answers[i] = undefined;
    }
  };
  queueLevel();
  await run(tasks, () => state.ended || stopped(), (i, outcome) => {
    if (outcome.kind === 'done' && outcome.result.kind === 'probes') {
      answers[i] = outcome.result.results as ProbeChain[];
      answered++;
    }
    if (state.ended || stopped()) return;
    topUp();
    if (queued < state.toProbe.length) return;
    for (let t = levelStart; t < tasks.length; t++) if (answers[t] === undefined) return;
    takeLevel(state, levelAnswers(), settings);
    forgetLevel();
    options.onProgress?.(state.stats);
    if (!state.ended) queueLevel();
  });
  const interrupted = stopped() && !state.ended;
  // Interrupted: the current level's answers, in order, up to the first missing one.
  if (interrupted) takeLevel(state, levelAnswers(), { ...settings, shouldStop: () => false });
  return { outcome: { stats: state.stats, counterexample: withVerdict(state.counterexample), complete: state.complete && !interrupted, fingerprints: null }, interrupted };
}

/** Depth-first tasks (src/explore/split.ts): the ones picked, and what each found. */
export interface ExploredBranches {
  /** The first decision's width (0: the run makes no decision). */
  readonly width: number;
  /** Every task's pinned decisions, in depth-first order. */
  readonly prefixes: readonly (readonly number[])[];
  /** The tasks picked (indexes into `prefixes`), in increasing order. */
  readonly picked: readonly number[];
  /** By task index: each picked task that ran; a picked task after one of them that ended the
   * search (a counterexample, the state limit) is not needed and may be missing. */
  readonly outcomes: readonly (BranchOutcome<null> | undefined)[];
}

/**
 * The depth-first tasks `pick(count)` returns (in increasing order), one thread task each on
 * `options.jobs` threads: every task for `explore`, every n-th for `explore --shard k/n`.
 */
export async function exploreBranches(spec: ExploreSpec, loaded: LoadedExplore, options: ThreadsOptions, pick: (count: number) => readonly number[]): Promise<ExploredBranches> {
  const settings = loaded.settings;
  // The split runs the first path: on a thread like every other run, under the watchdog, so a
  // model or plug-in stuck there is a hung run (exit 3), not a main thread that never returns.
  // Its answer queues the tasks picked, after it (task t + 1 is picked[t]).
  const tasks: ExploreTask[] = [{ kind: 'split' }];
  let split: SplitTasks = { width: 0, prefixes: [] };
  let picked: readonly number[] = [];
  let outcomes: (BranchOutcome<null> | undefined)[] = [];
  // A task after one that ended the search (a counterexample, the state limit) is not needed.
  const skip: Skip = (t) => settings.shouldStop?.() === true || (t > 0 && outcomes.slice(0, picked[t - 1]).some((o) => o !== undefined && !o.complete));
  await runTasks(spec, loaded, options, tasks, skip, (t, outcome) => {
    if (outcome.kind !== 'done') return;
    const result = outcome.result;
    if (result.kind === 'split') {
      split = result.split;
      outcomes = split.prefixes.map(() => undefined);
      picked = pick(split.prefixes.length);
      for (const index of picked) tasks.push({ kind: 'branch', prefix: split.prefixes[index] as readonly number[] });
      return;
    }
    if (result.kind === 'branch') outcomes[picked[t - 1] as number] = result.outcome;
    options.onProgress?.({ ...mergeBranches(outcomes, split.width, settings.maxStates, true).stats, frontier: picked.length - outcomes.filter((o) => o !== undefined).length });
  });
  return { width: split.width, prefixes: split.prefixes, picked, outcomes };
}

/** Supervised worker threads when the CLI runs from its build; otherwise (vitest, on the
 * sources) this thread, in order, with no watchdog and no Ctrl-C. */
async function runTasks(spec: ExploreSpec, loaded: LoadedExplore, options: ThreadsOptions, tasks: ExploreTask[], skip: Skip, onOutcome: OnOutcome): Promise<TaskOutcome<ExploreTaskResult>[]> {
  const worker = builtWorker(WORKER);
  const check = (outcome: TaskOutcome<ExploreTaskResult>): void => {
    if (outcome.kind === 'hung') throw new HungRunError(`a run of the model did not return within ${options.runTimeoutMs / 1000} s (--run-timeout): the model or a plug-in is stuck`);
  };
  if (worker !== null) {
    const outcomes = await superviseTasks({ workerUrl: worker, setup: spec, jobs: options.jobs, runTimeoutMs: options.runTimeoutMs, tasks, skip, onOutcome });
    outcomes.forEach(check);
    return outcomes;
  }
  const outcomes: TaskOutcome<ExploreTaskResult>[] = [];
  for (const [index, task] of tasks.entries()) {
    const outcome: TaskOutcome<ExploreTaskResult> = skip(index) ? { kind: 'skipped' } : { kind: 'done', result: computeExploreTask(loaded, task) };
    outcomes.push(outcome);
    onOutcome(index, outcome);
  }
  return outcomes;
}
