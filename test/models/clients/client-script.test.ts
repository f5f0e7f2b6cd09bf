// The client behaviours of docs/architecture.md "Clients" for every operation of uia §3.1
// (models/clients/client-script.ts): what each sends, and how it reacts, driven by hand.
import { describe, expect, it } from 'vitest';
import { PERSISTENT_PAUSE_MS, TIMED_OUT, type ClientStep } from '../../../models/clients/client-script.js';
import { MAX_REQUESTS_PER_CLIENT, type ClientAction, type ClientSpec, type Operation } from '../../../models/clients/workload.js';
import { httpResponse, type HttpResponse } from '../../../src/http.js';
import { client, driveScript as drive, RESUBMIT, START } from '../helpers.js';

type Http = ClientStep & { kind: 'http' };

const http = (steps: ClientStep[]): Http[] => steps.flatMap((s) => (s.kind === 'http' ? [s] : []));
const challenge = (session: string, completed: string[] = [], flows: string[][] = [['m.login.password'], ['m.login.sso']]): HttpResponse =>
  httpResponse(401, { session, flows: flows.map((stages) => ({ stages })), params: {}, completed });
const ok = httpResponse(200, {});
const of = (operation: Operation, actions: ClientAction[], overrides: Partial<ClientSpec> = {}): ClientSpec => client(actions, { operation, ...overrides });
const line = (s: Http): string => `${s.via} ${s.request.method} ${s.request.path}${s.request.query === '' ? '' : `?${s.request.query}`}`;

describe('account operations (uia §3.1): the request each sends, with the access token (uia §2.5)', () => {
  it('password change: new_password and logout_devices false; the password stage with an identifier, or the legacy user (uia §1.5)', () => {
    const steps = http(drive(of('password', [START, { kind: 'direct', stage: 'm.login.password' }, { kind: 'direct', stage: 'm.login.password', legacyUser: true }]), () => challenge('S')));
    expect(steps.map((s) => [s.request.method, s.request.path, s.request.accessToken, s.what])).toEqual([
      ['POST', '/_matrix/client/r0/account/password', 'syt_usera_token', 'POST /account/password'],
      ['POST', '/_matrix/client/r0/account/password', 'syt_usera_token', 'POST /account/password'],
      ['POST', '/_matrix/client/r0/account/password', 'syt_usera_token', 'POST /account/password'],
    ]);
    expect(steps.map((s) => s.request.body)).toEqual([
      { new_password: 'new horse', logout_devices: false },
      { new_password: 'new horse', logout_devices: false, auth: { type: 'm.login.password', session: 'S', identifier: { type: 'm.id.user', user: 'usera' }, password: 'correct horse' } },
      { new_password: 'new horse', logout_devices: false, auth: { type: 'm.login.password', session: 'S', user: '@usera:test', password: 'correct horse' } },
    ]);
    expect(steps[1]?.tags).toEqual(['m.login.password']);
  });

  it('deactivate, delete_devices, DELETE devices/{id}, login/get_token: their paths and bodies, resubmitted with auth {session} only (uia §1.3)', () => {
    const cases: [Operation, string, string, Record<string, unknown>][] = [
      ['deactivate', 'POST', '/_matrix/client/r0/account/deactivate', { erase: false }],
      ['delete-devices', 'POST', '/_matrix/client/r0/delete_devices', { devices: ['DEVA2'] }],
      ['delete-device', 'DELETE', '/_matrix/client/r0/devices/DEVA2', {}],
      ['login-token', 'POST', '/_matrix/client/v1/login/get_token', {}],
    ];
    for (const [operation, method, path, params] of cases) {
      const steps = http(drive(of(operation, [START, RESUBMIT]), () => challenge('S')));
      expect(steps.map((s) => [s.request.method, s.request.path, s.request.body, s.request.accessToken])).toEqual([
        [method, path, params, 'syt_usera_token'],
        [method, path, { ...params, auth: { session: 'S' } }, 'syt_usera_token'],
      ]);
    }
  });

  it('cross-signing reset: a first upload (exempt, uia §3.1) once, then the replacement keys, which need UIA', () => {
    const steps = http(drive(of('cross-signing', [START, RESUBMIT, START]), (_s, i) => (i === 0 ? ok : challenge('S'))));
    expect(steps.map((s) => s.what)).toEqual(['POST /keys/device_signing/upload (first keys)', 'POST /keys/device_signing/upload', 'POST /keys/device_signing/upload', 'POST /keys/device_signing/upload']);
    const master = (s: Http | undefined): unknown => (s?.request.body as { master_key: { keys: unknown } }).master_key.keys;
    expect(master(steps[0])).toEqual({ 'ed25519:K0master': 'K0master' });
    expect(master(steps[1])).toEqual({ 'ed25519:K1master': 'K1master' });
    expect((steps[2]?.request.body as { auth: unknown }).auth).toEqual({ session: 'S' });
  });

  it('3pid add: validates the email first (requestToken from the app, the link in the browser), then sends its sid and client_secret', () => {
    const answers = [httpResponse(200, { sid: 'sid1', 'x-email-token': 'tok1' }), httpResponse(200, { page: 'email-validated' }), challenge('S')];
    const steps = http(drive(of('3pid-add', [START, RESUBMIT]), (_s, i) => answers[i] ?? challenge('S')));
    expect(steps.map(line)).toEqual([
      'app POST /_matrix/client/r0/account/3pid/email/requestToken',
      'browser GET /_synapse/client/email/validate?sid=sid1&client_secret=secret-usera&token=tok1',
      'app POST /_matrix/client/unstable/account/3pid/add',
      'app POST /_matrix/client/unstable/account/3pid/add',
    ]);
    expect(steps[0]?.request.body).toEqual({ client_secret: 'secret-usera', email: 'usera@example.org', send_attempt: 1 });
    // Neither email request is about a UIA session (uia §5 #7512: the page shows nothing).
    expect(steps.slice(0, 2).map((s) => s.session)).toEqual(['', '']);
    expect(steps[3]?.request.body).toEqual({ client_secret: 'secret-usera', sid: 'sid1', auth: { session: 'S' } });
  });
});

describe('registration stages (uia §1.5, §2.6)', () => {
  it('registration token: directly with the token, or on the fallback form', () => {
    const steps = http(
      drive(of('register', [START, { kind: 'direct', stage: 'm.login.registration_token' }, { kind: 'fallback', stage: 'm.login.registration_token', loadsPage: true }]), () => challenge('S')),
    );
    expect(steps[1]?.request.body).toEqual({ auth: { type: 'm.login.registration_token', session: 'S', token: 'letmein' } });
    expect(steps.slice(2).map((s) => [line(s), s.request.body, s.tags])).toEqual([
      ['browser GET /_matrix/client/r0/auth/m.login.registration_token/fallback/web?session=S', null, []],
      ['browser POST /_matrix/client/r0/auth/m.login.registration_token/fallback/web?session=S', { token: 'letmein' }, ['m.login.registration_token']],
    ]);
  });

  it('email identity: validates the email through registration\'s requestToken, then sends threepid_creds', () => {
    const answers = [challenge('S'), httpResponse(200, { sid: 'sid1', 'x-email-token': 'tok1' }), httpResponse(200, { page: 'email-validated' })];
    const steps = http(drive(of('register', [START, { kind: 'direct', stage: 'm.login.email.identity' }]), (_s, i) => answers[i] ?? challenge('S')));
    expect(steps.map(line)).toEqual([
      'app POST /_matrix/client/r0/register',
      'app POST /_matrix/client/r0/register/email/requestToken',
      'browser GET /_synapse/client/email/validate?sid=sid1&client_secret=secret-usera&token=tok1',
      'app POST /_matrix/client/r0/register',
    ]);
    expect(steps[3]?.request.body).toEqual({ auth: { type: 'm.login.email.identity', session: 'S', threepid_creds: { sid: 'sid1', client_secret: 'secret-usera' } } });
  });

  it('SSO on the fallback page: the page, then the IdP\'s callback with its state, logged in as the client\'s own subject', () => {
    const page = httpResponse(200, { page: 'sso-confirm', stage: 'm.login.sso', session: 'S', redirect: 'https://idp.example/oauth2/authorize?client_id=x&state=ST%201' });
    const steps = http(drive(of('password', [START, { kind: 'fallback', stage: 'm.login.sso', loadsPage: false }, RESUBMIT]), (_s, i) => (i === 1 ? page : challenge('S'))));
    expect(steps.map((s) => [line(s), s.session, s.tags, s.request.userAgent])).toEqual([
      ['app POST /_matrix/client/r0/account/password', '', [], 'nheko/0.7'],
      ['browser GET /_matrix/client/r0/auth/m.login.sso/fallback/web?session=S', 'S', [], 'Mozilla/5.0'],
      ['browser GET /_synapse/client/oidc/callback?state=ST%201&code=oidc-usera', 'S', ['m.login.sso'], 'Mozilla/5.0'],
      ['app POST /_matrix/client/r0/account/password', 'S', [], 'nheko/0.7'],
    ]);
    // The browser shares no cookie and no token with the app.
    expect(steps[2]?.request.accessToken).toBeUndefined();
  });
});

describe('reactions and limits (docs/architecture.md "Clients")', () => {
  it('a second app tab resubmits the same session while the first goes on (two tabs on one session)', () => {
    const steps = drive(of('password', [START, { kind: 'resubmit', concurrent: true }, { kind: 'direct', stage: 'm.login.password' }]), () => challenge('S'));
    expect(steps.map((s) => (s.kind === 'http' ? `${s.via} ${s.session} ${s.tags.join()}` : s.kind))).toEqual(['app  ', 'spawn', 'app S ', 'app S m.login.password']);
  });

  it('abandons: nothing after it is sent; a persistent client ignores it', () => {
    const actions: ClientAction[] = [START, { kind: 'abandon' }, RESUBMIT];
    expect(http(drive(of('deactivate', actions), () => challenge('S')))).toHaveLength(1);
    expect(http(drive(of('deactivate', actions, { persistent: true }), (_s, i) => (i < 2 ? challenge('S') : ok))).length).toBeGreaterThan(2);
  });

  it('a 401 without a session (M_UNKNOWN_TOKEN: the account is gone) stops the client', () => {
    const steps = http(drive(of('deactivate', [START, RESUBMIT, RESUBMIT], { persistent: true }), () => httpResponse(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' })));
    expect(steps).toHaveLength(1);
  });

  it('a bare 401 that is not about the token (1.8-1.26 re-raised the email stage\'s LoginError, uia §2.2 step 4) keeps the session', () => {
    const answers = [challenge('S'), httpResponse(401, { errcode: 'M_UNAUTHORIZED', error: 'Unable to get validated threepid' })];
    const steps = http(drive(of('password', [START, RESUBMIT, RESUBMIT]), (_s, i) => answers[i] ?? challenge('S')));
    expect(steps.map((s) => s.session)).toEqual(['', 'S', 'S']);
  });

  it('after a password change whose answer was lost, the user whose old password is refused (M_FORBIDDEN) types the new one', () => {
    const password = { kind: 'direct', stage: 'm.login.password' } as const;
    const answers = [challenge('S'), TIMED_OUT, challenge('T'), httpResponse(401, { session: 'T', flows: [], params: {}, completed: [], errcode: 'M_FORBIDDEN', error: 'Invalid password' })];
    const steps = http(drive(of('password', [START, password, START, password, password]), (_s, i) => answers[i] ?? ok));
    const typed = steps.flatMap((s) => {
      const auth = (s.request.body as { auth?: { password?: string } }).auth;
      return auth?.password === undefined ? [] : [auth.password];
    });
    expect(typed).toEqual(['correct horse', 'correct horse', 'new horse']);
  });

  it('a 403 (uia §2.4 step 3 operation changed, uia §2.5 Invalid auth) forgets the session: the next stage is skipped until a start', () => {
    const answers = [challenge('S'), httpResponse(403, { errcode: 'M_UNKNOWN', error: 'Invalid auth' })];
    const steps = http(drive(of('password', [START, RESUBMIT, { kind: 'direct', stage: 'm.login.password' }, START]), (_s, i) => answers[i] ?? challenge('T')));
    expect(steps.map((s) => s.session)).toEqual(['', 'S', '']);
  });

  it(`stops after ${MAX_REQUESTS_PER_CLIENT} requests, whatever its actions`, () => {
    const actions: ClientAction[] = [START, ...Array.from({ length: 200 }, (): ClientAction => RESUBMIT)];
    expect(http(drive(of('password', actions), () => challenge('S')))).toHaveLength(MAX_REQUESTS_PER_CLIENT);
  });

  it('a persistent client follows the first flow the 401 offers: the account endpoints\' password stage', () => {
    const steps = drive(of('password', [], { persistent: true }), (_s, i) => (i < 1 ? challenge('S') : ok));
    expect(steps.map((s) => (s.kind === 'http' ? `${s.what} ${s.tags.join()}` : s.kind === 'pause' ? `pause ${s.ms}` : s.kind))).toEqual([
      `pause ${PERSISTENT_PAUSE_MS}`,
      'POST /account/password ',
      'POST /account/password m.login.password',
    ]);
  });

  it('a persistent client follows registration\'s first flow: captcha and terms on the fallback page, each with a resubmit, then dummy', () => {
    const flows = [['m.login.recaptcha', 'm.login.terms', 'm.login.dummy']];
    const answers = [challenge('S', [], flows), ok, ok, challenge('S', ['m.login.recaptcha'], flows), ok, ok, challenge('S', ['m.login.recaptcha', 'm.login.terms'], flows)];
    const steps = http(drive(of('register', [], { persistent: true }), (_s, i) => answers[i] ?? httpResponse(200, { user_id: '@usera:test' })));
    expect(steps.map((s) => `${s.via} ${s.what} ${s.tags.join()}`)).toEqual([
      'app POST /register ',
      'browser GET fallback m.login.recaptcha ',
      'browser POST fallback m.login.recaptcha m.login.recaptcha',
      'app POST /register ',
      'browser GET fallback m.login.terms ',
      'browser POST fallback m.login.terms m.login.terms',
      'app POST /register ',
      'app POST /register m.login.dummy',
    ]);
  });
});
