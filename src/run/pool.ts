import { parentPort, Worker } from 'node:worker_threads';

/** What a pool worker posts: one `progress` per item done, then all its results. */
export type WorkerMessage<R> = { readonly kind: 'progress' } | { readonly kind: 'done'; readonly results: readonly R[] };

/** The worker side: computes its items in order, reporting each one done. */
export function serveWorkItems<T, R>(items: readonly T[], compute: (item: T) => R): void {
  const results = items.map((item) => {
    const result = compute(item);
    parentPort?.postMessage({ kind: 'progress' } satisfies WorkerMessage<R>);
    return result;
  });
  parentPort?.postMessage({ kind: 'done', results } satisfies WorkerMessage<R>);
}

/**
 * Runs `items` across `jobs` worker threads of `workerUrl` (each receives its share as
 * `workerData` and posts back one result per item, in order); results come back in the order
 * of `items`, so output does not depend on the number of threads. With jobs <= 1 nothing is
 * spawned: `inline` computes everything in this thread.
 */
export async function mapInWorkers<T, R>(items: readonly T[], jobs: number, workerUrl: URL, inline: (item: T) => R, onProgress?: () => void): Promise<R[]> {
  if (jobs <= 1 || items.length <= 1) {
    return items.map((item) => {
      const result = inline(item);
      onProgress?.();
      return result;
    });
  }
  const shares: { index: number; item: T }[][] = Array.from({ length: Math.min(jobs, items.length) }, () => []);
  items.forEach((item, index) => shares[index % shares.length]?.push({ index, item }));
  const results = new Array<R>(items.length);
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerUrl, { workerData: share.map((s) => s.item) });
          worker.on('message', (message: WorkerMessage<R>) => {
            if (message.kind === 'progress') {
              onProgress?.();
              return;
            }
            share.forEach((s, i) => (results[s.index] = message.results[i] as R));
            resolve();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker exited with code ${code}`))));
        }),
    ),
  );
  return results;
}

/** A task sent to a supervised worker (src/cli/supervisor.ts). */
export interface TaskRequest<T> {
  readonly id: number;
  readonly task: T;
}

/** A supervised worker's answer to one task. */
export type TaskReply<R> =
  /** Set up (modules and plug-ins loaded): the watchdog's clock for a task starts when it is sent. */
  | { readonly kind: 'ready'; readonly id: -1 }
  | { readonly kind: 'done'; readonly id: number; readonly result: R } | { readonly kind: 'failed'; readonly id: number; readonly message: string; readonly stack: string };

/** What a supervised worker receives as `workerData`. */
export interface SupervisedWorkerData<S> {
  readonly setup: S;
  /** A RunBeacon's buffer (src/run/run-beacon.ts): the worker marks each run's start in it. */
  readonly beacon: SharedArrayBuffer;
}

/** The worker side of a supervised pool: answers each task with its result, one at a time. */
export function serveTasks<T, R>(compute: (task: T) => R): void {
  parentPort?.postMessage({ kind: 'ready', id: -1 } satisfies TaskReply<R>);
  parentPort?.on('message', (request: TaskRequest<T>) => {
    let reply: TaskReply<R>;
    try {
      reply = { kind: 'done', id: request.id, result: compute(request.task) };
    } catch (error) {
      reply = { kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? (error.stack ?? '') : '' };
    }
    parentPort?.postMessage(reply);
  });
}
