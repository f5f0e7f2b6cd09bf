// src/connection-pool.ts and ProcessNode's pooled backends: a backend restart leaves the pooled
// connections dead, and the first call on each fails (found against real Synapse 1.13.0,
// docs/real.md "A database restart breaks every pooled connection").
import { describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/connection-pool.js';
import { call, isBackendUnavailable, type Task } from '../../src/effects.js';
import { httpResponse, type HttpResponse } from '../../src/http.js';
import { ProcessNode } from '../../src/process.js';
import { RecorderNode, makeSim, request } from './helpers.js';

describe('ConnectionPool', () => {
  const backend = { id: 0, name: 'db', up: true, incarnation: 1, receive() {} };

  it('opens its connections at start to the backend as it is, and more when all are busy', () => {
    const pool = new ConnectionPool({ ...backend, incarnation: 3 }, 1);
    expect(pool.acquire()).toBe(0);
    expect(pool.incarnationOf(0)).toBe(3);
    // The first is busy: a second connection, open to the backend's incarnation now.
    expect(pool.acquire()).toBe(1);
    expect(pool.incarnationOf(1)).toBe(3);
    pool.release(1, false);
    pool.release(0, false);
    // Lowest index first among the idle ones.
    expect(pool.acquire()).toBe(0);
  });

  it('keeps a connection bound to the incarnation it opened to; a reset closes it and the next use reconnects', () => {
    const db = { ...backend };
    const pool = new ConnectionPool(db, 1);
    db.incarnation = 2; // the backend restarted: the process does not know
    const dead = pool.acquire();
    expect(pool.incarnationOf(dead)).toBe(1);
    pool.release(dead, true);
    expect(pool.incarnationOf(pool.acquire())).toBe(2);
  });

  it('a connection made while the backend is down is to the incarnation that is down', () => {
    const pool = new ConnectionPool({ ...backend, up: false, incarnation: 4 }, 1);
    expect(pool.incarnationOf(pool.acquire())).toBe(4);
  });
});

describe('a process with a pooled backend', () => {
  /** A client, a key-value `db`, and a process `web` whose every request reads `db` once. */
  function world(pooled: boolean) {
    const sim = makeSim({ seed: 5 });
    const client = sim.addNode((id) => new RecorderNode(sim, id, 'client'));
    const db = sim.addNode((id) => new ProcessNode(sim, id, 'db', () => ({ handleCommand: () => 7 })));
    const web = sim.addNode(
      (id) =>
        new ProcessNode(
          sim,
          id,
          'web',
          (ctx) => ({
            *handleRequest(): Task<HttpResponse> {
              try {
                return httpResponse(200, { value: yield* call<number>(db.id, { op: 'get' }) }, ctx.node.id);
              } catch (error) {
                if (isBackendUnavailable(error)) return httpResponse(500, { errcode: 'M_UNKNOWN' }, ctx.node.id);
                throw error;
              }
            },
          }),
          pooled ? { pooledBackends: [db.id] } : {},
        ),
    );
    const ask = (): void => {
      sim.send('request', client.id, web.id, 0, -1, -1, request('/'));
      sim.run();
    };
    const statuses = () => client.received.map(({ message }) => (message.kind === 'response' ? message.payload.status : message.kind));
    return { db, web, ask, statuses };
  }

  it('answers 500 to the first request after the backend restarted, then reconnects', () => {
    const { db, ask, statuses } = world(true);
    ask();
    db.crash();
    db.restart();
    ask();
    ask();
    expect(statuses()).toEqual([200, 500, 200]);
  });

  it('restarted itself, it starts with fresh connections', () => {
    const { db, web, ask, statuses } = world(true);
    db.crash();
    db.restart();
    web.crash();
    web.restart();
    ask();
    expect(statuses()).toEqual([200]);
  });

  it('restarted, it has no connection until its first call, so a backend restart then costs nothing', () => {
    // A process up at the run's start has served before and holds one connection; one that
    // started during the run opens its first at its first call (Synapse's start-up queries use a
    // connection of their own).
    const { db, web, ask, statuses } = world(true);
    web.crash();
    web.restart();
    db.crash();
    db.restart();
    ask();
    expect(statuses()).toEqual([200]);
  });

  it('without a pool, a backend restart costs no request', () => {
    const { db, ask, statuses } = world(false);
    ask();
    db.crash();
    db.restart();
    ask();
    expect(statuses()).toEqual([200, 200]);
  });
});
