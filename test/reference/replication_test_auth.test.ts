// uia §4.2: tests/replication/test_auth.py (WorkerAuthenticationTestCase), profile `head`, main +
// 2 generic workers. Its `_test_register` registers in two steps on a worker. The replication
// secret the test varies is not simulated (see mapping.ts): the model's worker reaches the
// shared database directly, so only the two secret-agnostic outcomes are replayed.
import { describe, expect, it } from 'vitest';
import { REGISTER_PATH } from '../../models/matrix/protocol.js';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, post, sessionOf, type Reply } from './harness.js';

/** WorkerAuthenticationTestCase._test_register: 401, then dummy + session, on the worker. */
function testRegister(): Reply {
  const hs = deployment({ profile: 'head', workers: ['worker1', 'worker2'], config: SYNAPSE_TEST_CONFIG });
  const first = hs.send('worker1', post(REGISTER_PATH, { username: 'user', type: 'm.login.password', password: 'bar' }));
  expect(first.status).toBe(401);
  const session = sessionOf(first);
  return hs.send('worker1', post(REGISTER_PATH, { auth: { session, type: 'm.login.dummy' } }));
}

describe('WorkerAuthenticationTestCase', () => {
  it('test_no_auth', () => {
    // "With no authentication the request should finish."
    const channel = testRegister();
    expect(channel.status).toBe(200);
    expect(channel.body['user_id']).toBe('@user:test');
  });

  it('test_authorized', () => {
    // "The request should finish when the worker provides the authentication header."
    const channel = testRegister();
    expect(channel.status).toBe(200);
    expect(channel.body['user_id']).toBe('@user:test');
  });
});
