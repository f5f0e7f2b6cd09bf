import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RunBeacon } from '../run/run-beacon.js';
import type { TaskReply, TaskRequest } from '../run/pool.js';

/** How a supervised task ended. */
export type TaskOutcome<R> =
  | { readonly kind: 'done'; readonly result: R }
  /** One of its runs went past the run timeout: the worker was stopped. `runsStarted` counts the
   * task's runs up to and including the hung one; `subject` is what that run was given, null
   * when it was not written down: `unrecorded` when the task can rebuild it from its index, not
   * when it did not fit. */
  | { readonly kind: 'hung'; readonly runsStarted: number; readonly subject: unknown; readonly unrecorded: boolean }
  /** Not needed any more (`skip` said so): never started, or stopped. */
  | { readonly kind: 'skipped' };

export interface SuperviseOptions<T, R> {
  /** The worker script: it calls `serveTasks` (src/run/pool.ts). */
  readonly workerUrl: URL;
  /** Given to every worker (with its beacon) as `workerData.setup`. */
  readonly setup: unknown;
  readonly jobs: number;
  /** Wall-clock limit of one run (docs/architecture.md: a run that never returns is a finding, exit 3). */
  readonly runTimeoutMs: number;
  /** The tasks; `onOutcome` may push more (they run after the ones before them). */
  readonly tasks: readonly T[];
  /** Asked before a task starts, of running tasks after every outcome (true stops it), and by
   * the watchdog of a running task stuck in one run for STOP_GRACE_MS (true stops it too). */
  readonly skip?: (index: number) => boolean;
  readonly onOutcome?: (index: number, outcome: TaskOutcome<R>) => void;
}

/** How long a running task that is no longer needed (`skip`) may stay in one run before its
 * thread is stopped: a thread stops between runs, and one run takes milliseconds, unless it is
 * stuck. */
export const STOP_GRACE_MS = 1_000;

/** The worker script next to `url` exists when the CLI runs from its build; under vitest the
 * sources run as TypeScript and there is nothing to start a thread from. */
export function builtWorker(url: URL): URL | null {
  return existsSync(fileURLToPath(url)) ? url : null;
}

interface Slot {
  readonly worker: Worker;
  readonly beacon: RunBeacon;
  /** Set up and asking for tasks (a new thread is busy loading until it says ready). */
  ready: boolean;
  task: { index: number; startCount: number; lastCount: number; lastChangeMs: number } | null;
}

/**
 * Runs tasks on `jobs` worker threads, each task in order of `tasks` as a thread frees up, with
 * a watchdog: a thread whose run counter has not moved for `runTimeoutMs` is terminated (a
 * thread stuck in a loop cannot be interrupted any other way), its task reported hung, and a new
 * thread takes the remaining tasks. Outcomes come back indexed like `tasks`, whatever the order
 * they finished in. A thread with nothing to do waits while others run (their outcomes may add
 * tasks: explore's next level), and threads are added up to `jobs` as tasks are.
 */
export function superviseTasks<T, R>(options: SuperviseOptions<T, R>): Promise<TaskOutcome<R>[]> {
  const { tasks, skip = () => false } = options;
  const outcomes: (TaskOutcome<R> | undefined)[] = [];
  let next = 0;
  const slots = new Set<Slot>();
  /** Threads waiting for tasks that running ones may add. */
  const idle = new Set<Slot>();
  return new Promise<TaskOutcome<R>[]>((resolve, reject) => {
    let finished = false;
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const slot of slots) void slot.worker.terminate();
      slots.clear();
      idle.clear();
      if (error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(tasks.map((_, i) => outcomes[i] ?? { kind: 'skipped' }));
    };
    const settle = (index: number, outcome: TaskOutcome<R>): void => {
      outcomes[index] = outcome;
      options.onOutcome?.(index, outcome);
      // Tasks made pointless by this outcome stop now.
      for (const slot of [...slots]) {
        if (slot.task !== null && skip(slot.task.index)) {
          outcomes[slot.task.index] = { kind: 'skipped' };
          retire(slot);
        }
      }
    };
    const retire = (slot: Slot): void => {
      slots.delete(slot);
      idle.delete(slot);
      void slot.worker.terminate();
      rebalance();
    };
    const busy = (slot: Slot): boolean => !slot.ready || slot.task !== null;
    /** After any outcome: waiting threads take new tasks, threads are added up to `jobs`, and
     * with no task left and none running, the pool is done. */
    const rebalance = (): void => {
      if (finished) return;
      for (const slot of [...idle]) {
        if (!hasWork()) break;
        idle.delete(slot);
        dispatch(slot);
      }
      while (!finished && hasWork() && slots.size < options.jobs) spawn();
      if (!finished && !hasWork() && ![...slots].some(busy)) finish();
    };
    const hasWork = (): boolean => {
      while (next < tasks.length && skip(next)) outcomes[next++] = { kind: 'skipped' };
      return next < tasks.length;
    };
    const dispatch = (slot: Slot): void => {
      if (!hasWork()) {
        idle.add(slot);
        if (![...slots].some(busy)) finish();
        return;
      }
      const index = next++;
      const count = slot.beacon.runsStarted();
      slot.task = { index, startCount: count, lastCount: count, lastChangeMs: Date.now() };
      slot.worker.postMessage({ id: index, task: tasks[index] as T } satisfies TaskRequest<T>);
    };
    const spawn = (): void => {
      const buffer = RunBeacon.allocate();
      const worker = new Worker(options.workerUrl, { workerData: { setup: options.setup, beacon: buffer } });
      const slot: Slot = { worker, beacon: new RunBeacon(buffer), ready: false, task: null };
      slots.add(slot);
      worker.on('message', (reply: TaskReply<R>) => {
        if (reply.kind === 'ready') {
          slot.ready = true;
          if (!finished && slots.has(slot)) dispatch(slot);
          return;
        }
        if (finished || slot.task === null || reply.id !== slot.task.index) return;
        slot.task = null;
        if (reply.kind === 'failed') {
          finish(new WorkerTaskError(reply.message, reply.stack, reply.data));
          return;
        }
        settle(reply.id, { kind: 'done', result: reply.result });
        if (!finished && slots.has(slot)) dispatch(slot);
        rebalance();
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!finished && slots.has(slot) && code !== 0) finish(new Error(`a worker thread exited with code ${code}`));
      });
    };
    const watchdog = setInterval(
      () => {
        const now = Date.now();
        for (const slot of [...slots]) {
          const task = slot.task;
          if (finished || task === null) continue;
          const count = slot.beacon.runsStarted();
          if (count !== task.lastCount) {
            task.lastCount = count;
            task.lastChangeMs = now;
          } else if (skip(task.index) && now - task.lastChangeMs > Math.min(STOP_GRACE_MS, options.runTimeoutMs)) {
            // Not needed any more (explore's Ctrl-C), and still in the run it was in: a thread
            // stops between runs, and this one has not, so it is stopped where it is, without
            // waiting out the run timeout for a run whose finding nobody asked for.
            outcomes[task.index] = { kind: 'skipped' };
            slot.task = null;
            retire(slot);
          } else if (now - task.lastChangeMs > options.runTimeoutMs) {
            slot.task = null;
            // A task hung before its first run names no case (the beacon still holds an earlier task's).
            const started = count > task.startCount;
            const hung: TaskOutcome<R> = { kind: 'hung', runsStarted: count - task.startCount, subject: started ? slot.beacon.lastSubject() : null, unrecorded: started && slot.beacon.lastRunUnrecorded() };
            slots.delete(slot);
            void slot.worker.terminate();
            settle(task.index, hung);
            rebalance();
          }
        }
      },
      Math.max(20, Math.min(500, options.runTimeoutMs / 10)),
    );
    if (!hasWork()) {
      finish();
      return;
    }
    for (let i = 0; i < Math.min(options.jobs, tasks.length); i++) if (hasWork()) spawn();
  });
}

/** A task that threw in its worker (not a run: runs report their own errors). */
export class WorkerTaskError extends Error {
  constructor(
    message: string,
    readonly workerStack: string,
    /** The error's `data` in the worker, when it had one (src/run/pool.ts). */
    readonly data?: unknown,
  ) {
    super(message);
  }
}
