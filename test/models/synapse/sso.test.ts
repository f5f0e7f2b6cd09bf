// SSO inside UIA (models/synapse/sso/; uia §1.4, §2.6, #7530; 4.1 test_ui_auth_via_sso,
// test_ui_auth_fails_for_incorrect_sso_user).
import { describe, expect, it } from 'vitest';
import { fallbackPath, type FallbackPage, type Flow } from '../../../models/matrix/protocol.js';
import { seedAccount } from '../../../models/synapse/accounts.js';
import { checkUiAuth } from '../../../models/synapse/auth.js';
import { withConfig, type SynapseConfig } from '../../../models/synapse/config.js';
import { SynapseDatabase } from '../../../models/synapse/database.js';
import { handleFallback } from '../../../models/synapse/fallback.js';
import { stageServletFor } from '../../../models/synapse/stage-servlets.js';
import { REQUEST_USER_ID, UNABLE_TO_VALIDATE } from '../../../models/synapse/sso/complete.js';
import { idpCallback, OIDC_AUTHORIZE_URL, SAML_SSO_URL } from '../../../models/synapse/sso/idp.js';
import type { HttpResponse } from '../../../src/http.js';
import { bodyOf, request } from '../helpers.js';
import { stageProcess, type StageProcess } from './stages/harness.js';

const SSO = 'm.login.sso';
const ALICE = '@alice:test';
const DELETE_DEVICES = '/_matrix/client/r0/delete_devices';
const DESCRIPTION = 'remove device(s) from your account';
const SSO_FLOW: readonly Flow[] = [{ stages: [SSO] }];

interface Deployment {
  readonly main: StageProcess;
  readonly worker: StageProcess;
  readonly sid: string;
}

/** Main and a worker on one database; alice (SSO subject alice-sub) and bob (bob-sub) exist; a
 * device-deletion session of alice's, as validate_user_via_ui_auth creates it (uia §2.5). */
function deployment(config: SynapseConfig = withConfig({})): Deployment {
  const db = new SynapseDatabase();
  const main = stageProcess('head', { db, config, label: 'main#1' });
  const worker = stageProcess('head', { db, config, label: 'reader1#1', clock: main.clock });
  seedAccount(db, { userId: ALICE, password: null, devices: ['A1'], accessToken: 'syt_alice', externalIds: ['alice-sub'] });
  seedAccount(db, { userId: '@bob:test', password: 'pw', devices: ['B1'], accessToken: 'syt_bob', externalIds: ['bob-sub'] });
  const sid = main.run(main.store.createSession({}, DELETE_DEVICES, 'POST', DESCRIPTION, 0)).value;
  main.run(main.store.setSessionData(sid, REQUEST_USER_ID, ALICE));
  return { main, worker, sid };
}

function fallbackGet(p: StageProcess, sid: string): HttpResponse {
  return p.run(handleFallback(p.ctx, request('GET', fallbackPath(SSO), null, `session=${sid}`), SSO)).value;
}

/** The browser: the IdP logs `subject` in and sends it to Synapse's callback, served by `p`. */
function callback(p: StageProcess, redirect: string, subject: string): HttpResponse {
  const back = idpCallback(redirect, subject);
  if (back === undefined) throw new Error(`not the IdP: ${redirect}`);
  const req = request(back.method, back.path, back.body, back.query);
  const servlet = stageServletFor(req, 'worker', false);
  if (servlet === undefined) throw new Error(`no servlet for ${back.path} on a worker`);
  return p.run(servlet(p.ctx, req)).value;
}

function confirm(p: StageProcess, sid: string): FallbackPage {
  const page = fallbackGet(p, sid);
  expect(page.status).toBe(200);
  return page.body as FallbackPage;
}

function stored(p: StageProcess, sid: string): unknown {
  return p.run(p.store.getCompletedStages(sid)).value.get(SSO);
}

describe('SSO over OIDC (uia §2.6)', () => {
  it('test_ui_auth_via_sso: the fallback GET renders the confirm page (description, IdP redirect); the callback on another process completes the stage; {session} then passes', () => {
    const { main, worker, sid } = deployment();
    const page = confirm(main, sid);
    expect(page).toMatchObject({ page: 'sso-confirm', stage: SSO, session: sid, description: DESCRIPTION });
    expect(page.redirect?.startsWith(`${OIDC_AUTHORIZE_URL}?state=`)).toBe(true);
    // The signed state carries the session: the worker, which never saw the redirect, completes it.
    const done = callback(worker, page.redirect as string, 'alice-sub');
    expect(done.body).toEqual({ page: 'success', stage: SSO, session: sid });
    expect(stored(main, sid)).toBe(ALICE);
    expect(worker.facts.filter((f) => f.name === 'stage-passed').map((f) => [f.key, f.detail, f.tags])).toEqual([[sid, SSO, [ALICE]]]);
    const body = { auth: { session: sid } };
    const outcome = main.run(checkUiAuth(main.ctx, SSO_FLOW, request('POST', DELETE_DEVICES, body), body, DESCRIPTION)).value;
    expect(outcome.kind).toBe('complete');
  });

  it('test_ui_auth_fails_for_incorrect_sso_user: another user at the IdP -> "We were unable to validate" page, the stage stored as ""', () => {
    const { main, sid } = deployment();
    const redirect = confirm(main, sid).redirect as string;
    const wrong = callback(main, redirect, 'bob-sub');
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ page: 'sso-wrong-user', stage: SSO, session: sid, error: UNABLE_TO_VALIDATE });
    expect(stored(main, sid)).toBe('');
    expect(main.facts.filter((f) => f.name === 'stage-passed')).toEqual([]);
    // An unknown remote user is marked "" too.
    callback(main, redirect, 'stranger');
    expect(stored(main, sid)).toBe('');
  });

  it('a tampered or expired state is the SSO error page (400), and nothing is stored', () => {
    const { main, sid } = deployment();
    const redirect = confirm(main, sid).redirect as string;
    expect(bodyOf(callback(main, redirect.replace(/.$/, (c) => (c === '0' ? '1' : '0')), 'alice-sub'))).toMatchObject({ page: 'sso-error' });
    main.clock.ms += 60 * 60 * 1000 + 1;
    const late = callback(main, redirect, 'alice-sub');
    expect([late.status, bodyOf(late)['page']]).toEqual([400, 'sso-error']);
    expect(stored(main, sid)).toBeUndefined();
  });

  it('uia §2.6: start_sso_ui_auth needs the session (400 Unknown session ID) and a user with an SSO identity (400)', () => {
    const { main } = deployment();
    expect(fallbackGet(main, 'nosuchsession').body).toEqual({ errcode: 'M_UNKNOWN', error: 'Unknown session ID: nosuchsession' });
    const sid = main.run(main.store.createSession({}, DELETE_DEVICES, 'POST', DESCRIPTION, 0)).value;
    main.run(main.store.setSessionData(sid, REQUEST_USER_ID, '@bob:test'));
    seedAccount(main.db, { userId: '@carol:test', password: 'pw', devices: ['C1'], accessToken: 'syt_carol' });
    main.run(main.store.setSessionData(sid, REQUEST_USER_ID, '@carol:test'));
    const none = fallbackGet(main, sid);
    expect([none.status, none.body]).toEqual([400, { errcode: 'M_UNKNOWN', error: 'User has no SSO identities' }]);
  });

  it('uia §2.6: the SSO fallback takes no POST (404)', () => {
    const { main, sid } = deployment();
    const response = main.run(handleFallback(main.ctx, request('POST', fallbackPath(SSO), {}, `session=${sid}`), SSO)).value;
    expect(response.status).toBe(404);
  });
});

describe('SSO over SAML: per-process outstanding requests (#7530)', () => {
  const SAML = withConfig({ sso: { samlEnabled: true } });

  it('the callback reaching another process is an unsolicited response (400), and the stage stays incomplete', () => {
    const { main, worker, sid } = deployment(SAML);
    const redirect = confirm(main, sid).redirect as string;
    expect(redirect.startsWith(`${SAML_SSO_URL}?request=`)).toBe(true);
    const elsewhere = callback(worker, redirect, 'alice-sub');
    expect([elsewhere.status, bodyOf(elsewhere)['page'], bodyOf(elsewhere)['error']]).toEqual([400, 'sso-error', 'Unexpected SAML2 login.']);
    expect(stored(main, sid)).toBeUndefined();
  });

  it('the callback reaching the process that redirected completes the stage, once', () => {
    const { main, sid } = deployment(SAML);
    const redirect = confirm(main, sid).redirect as string;
    expect(callback(main, redirect, 'alice-sub').body).toEqual({ page: 'success', stage: SSO, session: sid });
    expect(stored(main, sid)).toBe(ALICE);
    expect(callback(main, redirect, 'alice-sub').status).toBe(400);
  });

  it('a restart of that process (its memory rebuilt) loses the outstanding request', () => {
    const { main, sid } = deployment(SAML);
    const redirect = confirm(main, sid).redirect as string;
    const restarted = { ...main, ctx: { ...main.ctx, samlOutstanding: new Map() } };
    expect(callback(restarted, redirect, 'alice-sub').status).toBe(400);
  });

  it('outstanding requests expire after saml_session_lifetime (15 minutes)', () => {
    const { main, sid } = deployment(SAML);
    const redirect = confirm(main, sid).redirect as string;
    main.clock.ms += 15 * 60 * 1000 + 1;
    expect(callback(main, redirect, 'alice-sub').status).toBe(400);
  });
});

describe('SSO before v1.13 (uia §5 #5667)', () => {
  it('1.8 has no SSO in UIA: the sso fallback page is 404', () => {
    const p = stageProcess('1.8');
    const response = p.run(handleFallback(p.ctx, request('GET', fallbackPath(SSO), null, 'session=x'), SSO)).value;
    expect([response.status, bodyOf(response)['error']]).toEqual([404, 'Unknown auth stage type']);
  });
});
