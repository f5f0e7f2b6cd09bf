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
