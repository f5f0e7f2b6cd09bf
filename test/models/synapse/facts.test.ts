import { describe, expect, it } from 'vitest';
import { handleRegister } from '../../../models/synapse/register.js';
import { handleFallback } from '../../../models/synapse/fallback.js';
import { fallbackPath } from '../../../models/matrix/protocol.js';
import { withConfig } from '../../../models/synapse/config.js';
import { processFor, register, request, sessionOf } from '../helpers.js';

/** Registration flows `[[m.login.dummy]]` (uia §2.11): dummy alone finishes it. */
const DUMMY_ONLY = withConfig({ captcha: { enableRegistrationCaptcha: false }, consent: { requireAtRegistration: false }, email: { enabled: false }, registration: { enableRegistrationToken3pidBypass: false } });

/** The server-side facts the checkers read (models/synapse/facts.ts), written where Synapse
 * does the thing they name. */
describe('server-side facts', () => {
  it('a whole registration writes session-created, stage-passed per checker, account-created and operation', () => {
    const p = processFor('head', { config: DUMMY_ONLY });
    const first = p.run(handleRegister(p.ctx, register({ username: 'alice', password: 'pw' }))).value;
    const sid = sessionOf(first);
    p.run(handleRegister(p.ctx, register({ auth: { type: 'm.login.dummy', session: sid } })));
    expect(p.facts.map((f) => [f.name, f.key, f.detail, f.tags])).toEqual([
      ['session-created', sid, 'POST /_matrix/client/r0/register', []],
      ['stage-passed', sid, 'm.login.dummy', ['true']],
      ['account-created', sid, '@alice:test', []],
      ['operation', sid, 'POST /_matrix/client/r0/register', ['', '@alice:test']],
    ]);
  });

  it('a replayed final request runs the operation again but creates no second account (uia §2.10)', () => {
    const p = processFor('head', { config: DUMMY_ONLY });
    const sid = sessionOf(p.run(handleRegister(p.ctx, register({ username: 'bob', password: 'pw' }))).value);
    p.run(handleRegister(p.ctx, register({ auth: { type: 'm.login.dummy', session: sid } })));
    p.run(handleRegister(p.ctx, register({ auth: { session: sid } })));
    expect(p.facts.filter((f) => f.name === 'account-created')).toHaveLength(1);
    expect(p.facts.filter((f) => f.name === 'operation')).toHaveLength(2);
  });

  it('a failed checker writes no stage-passed', () => {
    const p = processFor('head');
    const sid = sessionOf(p.run(handleRegister(p.ctx, register({ username: 'carol' }))).value);
    p.run(handleRegister(p.ctx, register({ auth: { type: 'm.login.recaptcha', session: sid } })));
    expect(p.facts.filter((f) => f.name === 'stage-passed')).toEqual([]);
  });

  it("1.8's fallback POST for an unknown session creates the throwaway session it completes (uia §2.2)", () => {
    const p = processFor('1.8');
    const post = request('POST', fallbackPath('m.login.recaptcha'), { 'g-recaptcha-response': 'a' }, 'session=nosuch');
    p.run(handleFallback(p.ctx, post, 'm.login.recaptcha'));
    const [created, passed] = p.facts;
    expect(created?.name).toBe('session-created');
    expect(passed).toMatchObject({ name: 'stage-passed', key: created?.key, detail: 'm.login.recaptcha' });
    expect(created?.key).not.toBe('nosuch');
  });
});
