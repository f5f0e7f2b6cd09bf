// uia §4.2: tests/replication/test_client_reader_shard.py (#7830, v1.18), replayed on profile
// `head` with main and two generic workers; each request goes straight to the worker the test
// names (the test talks to each worker's site, no proxy in between).
import { describe, expect, it } from 'vitest';
import { REGISTER_PATH } from '../../models/matrix/protocol.js';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, post, sessionOf } from './harness.js';

const WORKERS = ['worker1', 'worker2'] as const;

describe('ClientReaderTestCase (main + 2 generic workers)', () => {
  it('test_register_single_worker', () => {
    const hs = deployment({ profile: 'head', workers: WORKERS, config: SYNAPSE_TEST_CONFIG });
    const first = hs.send('worker1', post(REGISTER_PATH, { username: 'user', type: 'm.login.password', password: 'bar' }));
    expect(first.status).toBe(401);
    expect(first.servedBy).toBe('worker1');
    const session = sessionOf(first);
    // "also complete the dummy auth"
    const second = hs.send('worker1', post(REGISTER_PATH, { auth: { session, type: 'm.login.dummy' } }));
    expect(second.status).toBe(200);
    // "We're given a registered user."
    expect(second.body['user_id']).toBe('@user:test');
  });

  it('test_register_multi_worker', () => {
    const hs = deployment({ profile: 'head', workers: WORKERS, config: SYNAPSE_TEST_CONFIG });
    const first = hs.send('worker1', post(REGISTER_PATH, { username: 'user', type: 'm.login.password', password: 'bar' }));
    expect(first.status).toBe(401);
    const session = sessionOf(first);
    // The session started on worker 1 is completed on worker 2 (uia §2.7: every process reads the
    // UI-auth tables directly).
    const second = hs.send('worker2', post(REGISTER_PATH, { auth: { session, type: 'm.login.dummy' } }));
    expect(second.status).toBe(200);
    expect(second.servedBy).toBe('worker2');
    expect(second.body['user_id']).toBe('@user:test');
  });
});
