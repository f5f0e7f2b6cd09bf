import type { SimNode } from './sim.js';

/** A connection not open: the next transaction on it connects first. */
const CLOSED = -1;

/**
 * One process's pooled connections to one backend, as Synapse reaches its database (psycopg2
 * connections in Twisted's adbapi pool, one per pool thread). A process that is up when a run
 * starts has served before and has one open; a process that starts (again) during the run has
 * none. Another is opened when a call finds no idle one, to the backend's incarnation of that
 * moment. A restart of the backend leaves every open connection dead without the process
 * knowing: the next call on each is reset (its command is stale for the new incarnation,
 * src/sim.ts), which closes it, and the call after that connects again. In Synapse (1.8 to today, `synapse/storage/database.py`) that failed call
 * is a 500: `new_transaction` retries an OperationalError on the same connection, whose
 * `rollback()` and `cursor()` then raise InterfaceError, and only the next `runWithConnection`
 * sees the connection closed and reconnects (docs/real.md, "A database restart breaks every
 * pooled connection").
 *
 * Connections are taken lowest index first among the idle ones. Twisted's thread pool instead
 * hands calls to its idle threads in no fixed order, so a real process uses every connection it
 * ever opened, and opens one more whenever transactions overlap, its background work's included:
 * after a backend restart, one 500 for each. The real deployments therefore run with one
 * connection a process (`cp_max` 1, real/synapse-config.ts), where a call that finds it busy
 * waits. Here it opens another, without a bound (Synapse's sample config has `cp_max` 10). The
 * two agree when the calls overlap after the backend's restart (the new connection is fresh),
 * and differ when they overlapped before it: this process then holds two connections to the old
 * backend, two 500s where the real deployment has one. About 0.5% of store-restart runs have a
 * process with two connections at the restart (a review's count, 2,000 runs of sql and of
 * pinned-1.12); capping this pool at one, as the deployments are, would change the model.
 */
export class ConnectionPool {
  /** By connection: the backend incarnation it is open to, or CLOSED. */
  private readonly incarnations: number[] = [];
  private readonly busy: boolean[] = [];

  /** A new pool holds `openAtStart` connections, open to the backend as it is then (conform saw
   * real 1.13.0, whose processes had served earlier cases, answer 500 to a case's first request
   * after a database restart that came before it). */
  constructor(
    private readonly backend: SimNode,
    openAtStart: number,
  ) {
    for (let i = 0; i < openAtStart; i++) {
      this.busy.push(false);
      this.incarnations.push(backend.up ? backend.incarnation : CLOSED);
    }
  }

  /** Takes an idle connection (connecting it if closed) or opens one; returns its index. */
  acquire(): number {
    let index = this.busy.indexOf(false);
    if (index === -1) {
      index = this.busy.length;
      this.busy.push(false);
      this.incarnations.push(CLOSED);
    }
    this.busy[index] = true;
    // Connecting to a backend that is down is refused: the command is sent to the incarnation
    // that is down, so it is refused on arrival, or stale if the backend is back by then.
    if (this.incarnations[index] === CLOSED) this.incarnations[index] = this.backend.incarnation;
    return index;
  }

  /** The backend incarnation a command on this connection is meant for. */
  incarnationOf(index: number): number {
    return this.incarnations[index] as number;
  }

  /** The call on this connection is answered; a reset closes it. */
  release(index: number, reset: boolean): void {
    this.busy[index] = false;
    if (reset) this.incarnations[index] = CLOSED;
  }
}
