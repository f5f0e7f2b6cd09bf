// The harness itself: virtual time drives the expiry sweep, restarts keep (1.13+) or lose (1.8)
// sessions, the router stamps who served a request. Not a §4 scenario; it pins what the scenarios
// rely on.
import { describe, expect, it } from 'vitest';
import { REGISTER_PATH } from '../../models/matrix/protocol.js';
import { SESSION_EXPIRE_MS } from '../../models/synapse/profile.js';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, post, sessionOf } from './harness.js';

const FIVE_MINUTES_MS = 5 * 60 * 1000;

describe('reference harness', () => {
  it('advance() runs the sweeps due meanwhile: a head session is gone one sweep after 48 h (uia §2.8)', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    const session = sessionOf(hs.send('main', post(REGISTER_PATH, { username: 'u', password: 'p' })));
    hs.advance(SESSION_EXPIRE_MS - FIVE_MINUTES_MS);
    expect(hs.session(session)).toBeDefined();
    hs.advance(2 * FIVE_MINUTES_MS);
    expect(hs.session(session)).toBeUndefined();
    const gone = hs.send('main', post(REGISTER_PATH, { auth: { session, type: 'm.login.dummy' } }));
    expect(gone.status).toBe(400);
    expect(gone.body['error']).toBe(`Unknown session ID: ${session}`);
  });

  it('crash() and restart(): a head session survives a main restart (#7302), a 1.8 one does not (uia §2.2)', () => {
    const head = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    const kept = sessionOf(head.send('main', post(REGISTER_PATH, { username: 'u', password: 'p' })));
    head.crash('main');
    head.restart('main');
    expect(head.send('main', post(REGISTER_PATH, { auth: { session: kept, type: 'm.login.dummy' } })).status).toBe(200);

    const old = deployment({ profile: '1.8', config: SYNAPSE_TEST_CONFIG });
    const lost = sessionOf(old.send('main', post(REGISTER_PATH, { username: 'u', password: 'p' })));
    old.crash('main');
    old.restart('main');
    const fresh = old.send('main', post(REGISTER_PATH, { auth: { session: lost } }));
    expect(fresh.status).toBe(401);
    expect(sessionOf(fresh)).not.toBe(lost);
  });

  it('through the router, servedBy names the worker the map chose (round-robin /register)', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG, workers: ['worker1', 'worker2'] });
    const served = [1, 2, 3].map(() => hs.send('router', post(REGISTER_PATH, {})).servedBy);
    expect(served).toEqual(['worker1', 'worker2', 'worker1']);
  });
});
