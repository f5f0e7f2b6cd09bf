// uia §4.5: Complement tests/csapi/account_deactivate_test.go, profile `head`, main alone. There
// is no /login in the model: "login afterwards -> 403" is checked on the account row (deactivated,
// no password hash left to log in with, which is why Synapse's login answers 403).
import { describe, expect, it } from 'vitest';
import type { UserRow } from '../../models/synapse/accounts.js';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, flowsOf, post } from './harness.js';

const DEACTIVATE_V3 = '/_matrix/client/v3/account/deactivate';
const USER = '@deactivate:test';
const TOKEN = 'syt_deactivate';

describe('TestDeactivateAccount', () => {
  it('account_deactivate_test.go', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    hs.seed({ userId: USER, password: 'superuser', devices: ['DEV1'], accessToken: TOKEN });
    // "Password flow is available"
    const flows = hs.send('main', post(DEACTIVATE_V3, { auth: {} }, { accessToken: TOKEN }));
    expect(flows.status).toBe(401);
    expect(flowsOf(flows)).toContainEqual(['m.login.password']);
    const auth = (password: string) => ({ auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: USER }, password } });
    // "Can't deactivate account with wrong password"
    const wrong = hs.send('main', post(DEACTIVATE_V3, auth('wrong_password'), { accessToken: TOKEN }));
    expect(wrong.status).toBe(401);
    expect(wrong.body['errcode']).toBe('M_FORBIDDEN');
    // "Can deactivate account"
    expect(hs.send('main', post(DEACTIVATE_V3, auth('superuser'), { accessToken: TOKEN })).status).toBe(200);
    // "After deactivating account, can't log in with password"
    const row = hs.database.execute({ op: 'accounts.getUser', userId: USER }, hs.nowMs) as UserRow | undefined;
    expect(row?.deactivated).toBe(true);
    expect(row?.passwordHash).toBeNull();
  });
});
