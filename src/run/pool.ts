import { parentPort } from 'node:worker_threads';
import { messageOf, stackOf } from '../error-message.js';

/** A task sent to a supervised worker (src/cli/supervisor.ts). */
export interface TaskRequest<T> {
  readonly id: number;
  readonly task: T;
}

/** A supervised worker's answer to one task. */
export type TaskReply<R> =
  /** Set up (modules and plug-ins loaded): the watchdog's clock for a task starts when it is sent. */
  | { readonly kind: 'ready'; readonly id: -1 }
  | { readonly kind: 'done'; readonly id: number; readonly result: R }
  /** `data`: the error's own `data` field, when it has one (plain data a caller can act on). */
  | { readonly kind: 'failed'; readonly id: number; readonly message: string; readonly stack: string; readonly data?: unknown };

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
      const data = (error as { readonly data?: unknown } | null)?.data;
      reply = { kind: 'failed', id: request.id, message: messageOf(error), stack: stackOf(error), ...(data === undefined ? {} : { data }) };
    }
    try {
      parentPort?.postMessage(reply);
    } catch (error) {
      // An error's `data` that cannot be cloned: the failure goes without it.
      if (reply.kind !== 'failed' || reply.data === undefined) throw error;
      parentPort?.postMessage({ kind: 'failed', id: reply.id, message: reply.message, stack: reply.stack } satisfies TaskReply<R>);
    }
  });
}
