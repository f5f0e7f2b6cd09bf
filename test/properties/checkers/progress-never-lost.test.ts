// progress-never-lost (docs/architecture.md "Properties") on hand-built observation lists: no simulation.
import { describe, expect, it } from 'vitest';
import { PROFILES, SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';
import { checkProgressNeverLost } from '../../../properties/checkers/progress-never-lost.js';
import { runCase } from '../../../models/world.js';
import { caseOf, client, direct, pause, RESUBMIT, START } from '../../models/helpers.js';
import { NODES, MAIN, READER1, READER2, BROWSER, X, Y, S, T, HOUR, UNKNOWN_X, Story } from './story.js';

const check13 = (story: Story) => checkProgressNeverLost(story.observations, PROFILES['1.13'], NODES);
const check18 = (story: Story) => checkProgressNeverLost(story.observations, PROFILES['1.8'], NODES);

describe('progress-never-lost: the losses', () => {
  it('a 400 Unknown session after a stage was shown', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 400, { servedBy: READER2, detail: UNKNOWN_X });
    const v = check13(story);
    expect(v).not.toBeNull();
    expect(v?.property).toBe('progress-never-lost');
    expect(v?.requests).toBe(3);
    expect(v?.observationIndex).toBe(5);
    expect(v?.event).toBe(story.observations[5]);
    expect(v?.why).toContain(S);
    expect(v?.why).toContain(X);
    expect(v?.why).toContain('400 Unknown session ID');
    expect(v?.why).toContain('reader2');
    expect(v?.why).toContain("app A's request");
  });

  it('a 401 for X that does not list S', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 401, { key: X, tags: [] });
    const v = check18(story);
    expect(v?.requests).toBe(3);
    expect(v?.why).toContain(`session ${X}`);
    expect(v?.why).toContain(`${S} had been shown`);
    expect(v?.why).toContain('listing completed []');
  });

  it('a 401 that lists other stages but not S', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X, { tags: [T] }), 401, { key: X, tags: [T] });
    expect(check13(story)?.why).toContain(`listing completed [${T}]`);
  });

  it('a 401 naming another session', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 401, { key: Y, tags: [] });
    const v = check18(story);
    expect(v?.requests).toBe(3);
    expect(v?.why).toContain(`naming another session (${Y})`);
    expect(v?.why).toContain(S);
    expect(v?.why).toContain(X);
  });

  it('a 401 naming another session that even lists S is still a loss of X', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 401, { key: Y, tags: [S] });
    expect(check18(story)).not.toBeNull();
  });

  it('#6705 (1.8): the fallback "success" page for a throwaway session, then a 401 for X without that stage', () => {
    const story = Story.opening();
    story.recv(20, story.send(10, X, { actor: BROWSER, what: `POST fallback ${S}`, tags: [S] }), 200, { servedBy: MAIN, key: X, detail: 'page:success', tags: [S] });
    story.recv(35, story.send(30, X), 401, { key: X, tags: [] });
    const v = check18(story);
    expect(v?.requests).toBe(3);
    expect(v?.observationIndex).toBe(5);
    expect(v?.why).toContain('fallback success page answering request 2');
    expect(v?.why).toContain(S);
    expect(v?.why).toContain(X);
    expect(v?.why).toContain('reader1');
  });

  it('after a 2xx for X\'s operation, a later 401 for X is a loss, whatever it lists', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X, { tags: ['m.login.dummy'] }), 200, { detail: '@usera:test' });
    story.recv(205, story.send(200, X), 401, { key: X, tags: [S, 'm.login.dummy'] });
    const v = check13(story);
    expect(v?.requests).toBe(4);
    expect(v?.why).toContain('the completed operation');
    expect(v?.why).toContain('by the 200 answering request 3');
  });

  it('after a 2xx, a 400 Unknown session is a loss too', () => {
    const story = Story.opening();
    story.recv(15, story.send(10, X, { tags: ['m.login.dummy'] }), 200, { detail: '@usera:test' });
    story.recv(25, story.send(20, X), 400, { detail: UNKNOWN_X });
    expect(check13(story)?.why).toContain('the completed operation');
  });

  it('a restart is never a legitimate expiry: a loss 1 h later (a restart in between) is a violation under both profiles', () => {
    // The checker sees only what clients saw: a restart of reader1 between these two requests
    // leaves no observation, and within 48 h nothing forgives the loss.
    const story = Story.passed();
    story.recv(HOUR + 5, story.send(HOUR, X), 401, { key: Y });
    expect(check18(story)).not.toBeNull();
    const story13 = Story.passed();
    story13.recv(HOUR + 5, story13.send(HOUR, X), 400, { detail: UNKNOWN_X });
    expect(check13(story13)).not.toBeNull();
  });

  it('the 502 answered by the router carries no session and is no loss; the violation names the router only for its own answers', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 502, { servedBy: -1 });
    expect(check13(story)).toBeNull();
  });

  it('the first violation is reported, with the count of requests up to it (all actors)', () => {
    const story = Story.passed();
    story.recv(55, story.send(50, '', { actor: 2 }), 401, { key: Y });
    story.recv(105, story.send(100, X), 401, { key: X, tags: [] });
    story.recv(205, story.send(200, X), 400, { detail: UNKNOWN_X });
    const v = check13(story);
    expect(v?.requests).toBe(4);
    expect(v?.observationIndex).toBe(7);
  });
});

describe('progress-never-lost: what is not a loss', () => {
  it('1.13 legitimate expiry: the response comes 48 h or more after X\'s creating request was sent', () => {
    const atLimit = Story.passed();
    atLimit.recv(SESSION_EXPIRE_MS, atLimit.send(SESSION_EXPIRE_MS - 10, X), 400, { detail: UNKNOWN_X });
    expect(check13(atLimit)).toBeNull();
    const early = Story.passed();
    early.recv(SESSION_EXPIRE_MS - 1, early.send(SESSION_EXPIRE_MS - 10, X), 400, { detail: UNKNOWN_X });
    expect(check13(early)).not.toBeNull();
  });

  it('1.13 expiry is absolute: activity does not extend it', () => {
    const story = Story.passed();
    story.recv(40 * HOUR + 5, story.send(40 * HOUR, X), 401, { key: X, tags: [S] });
    story.recv(SESSION_EXPIRE_MS + HOUR, story.send(SESSION_EXPIRE_MS + HOUR - 5, X), 400, { detail: UNKNOWN_X });
    expect(check13(story)).toBeNull();
    // Under 1.8 (sliding) the same story is a loss: a request carried X 9 h before.
    const sliding = Story.passed();
    sliding.recv(40 * HOUR + 5, sliding.send(40 * HOUR, X), 401, { key: X, tags: [S] });
    sliding.recv(SESSION_EXPIRE_MS + HOUR, sliding.send(SESSION_EXPIRE_MS + HOUR - 5, X), 401, { key: Y });
    expect(check18(sliding)).not.toBeNull();
  });

  it('1.8 legitimate expiry: no request carried X for 48 h', () => {
    const idle = Story.passed(S, 10);
    idle.recv(10 + SESSION_EXPIRE_MS + 5, idle.send(10 + SESSION_EXPIRE_MS, X), 401, { key: Y });
    expect(check18(idle)).toBeNull();
    const notIdle = Story.passed(S, 10);
    notIdle.recv(10 + SESSION_EXPIRE_MS + 5, notIdle.send(10 + SESSION_EXPIRE_MS - 1, X), 401, { key: Y });
    expect(check18(notIdle)).not.toBeNull();
  });

  // uia §2.2: 1.8 kept one session dict per process, so a request answered by main does not keep
  // X alive on reader1, which holds it; one answered by reader1 itself does.
  it('1.8: only a request answered by the process holding X keeps X alive there', () => {
    const elsewhere = Story.passed(S, 10);
    elsewhere.recv(30 * HOUR + 5, elsewhere.send(30 * HOUR, X, { actor: BROWSER, what: `GET fallback ${T}` }), 200, { servedBy: MAIN, key: X, detail: 'page:form' });
    elsewhere.recv(10 + SESSION_EXPIRE_MS + 5, elsewhere.send(10 + SESSION_EXPIRE_MS, X), 401, { key: Y });
    expect(check18(elsewhere)).toBeNull();
    const here = Story.passed(S, 10);
    here.recv(30 * HOUR + 5, here.send(30 * HOUR, X), 401, { servedBy: READER1, key: X, tags: [S] });
    here.recv(10 + SESSION_EXPIRE_MS + 5, here.send(10 + SESSION_EXPIRE_MS, X), 401, { key: Y });
    expect(check18(here)).not.toBeNull();
  });

  it('1.8: a 404 from a process that does not mount the endpoint never reached the session', () => {
    const story = Story.passed(S, 10);
    story.recv(30 * HOUR + 5, story.send(30 * HOUR, X, { actor: BROWSER, what: `POST fallback ${T}` }), 404, { servedBy: READER1, detail: 'M_UNRECOGNIZED: Unrecognized request' });
    story.recv(10 + SESSION_EXPIRE_MS + 5, story.send(10 + SESSION_EXPIRE_MS, X), 401, { key: Y });
    expect(check18(story)).toBeNull();
  });

  it('1.8: so does a 400 M_UNRECOGNIZED, 1.8\'s status for a path the process has no servlet for', () => {
    const story = Story.passed(S, 10);
    story.recv(30 * HOUR + 5, story.send(30 * HOUR, X, { actor: BROWSER, what: `POST fallback ${T}` }), 400, { servedBy: READER1, detail: 'M_UNRECOGNIZED: Unrecognized request' });
    story.recv(10 + SESSION_EXPIRE_MS + 5, story.send(10 + SESSION_EXPIRE_MS, X), 401, { key: Y });
    expect(check18(story)).toBeNull();
  });

  it('a response to a request sent BEFORE S was shown (a second tab) may lack S', () => {
    const story = Story.opening();
    const tab1 = story.send(10, X, { tags: [S] });
    const tab2 = story.send(11, X);
    story.recv(15, tab1, 401, { key: X, tags: [S] });
    story.recv(16, tab2, 401, { key: X, tags: [] });
    expect(check13(story)).toBeNull();
    // A request sent after it must list S.
    story.recv(25, story.send(20, X), 401, { key: X, tags: [] });
    expect(check13(story)?.requests).toBe(4);
  });

  it('a request sent before S was shown may even get 400 Unknown session', () => {
    const story = Story.opening();
    const tab1 = story.send(10, X, { tags: [S] });
    const tab2 = story.send(11, X);
    story.recv(15, tab1, 401, { key: X, tags: [S] });
    story.recv(16, tab2, 400, { detail: UNKNOWN_X });
    expect(check13(story)).toBeNull();
  });

  it('a 403 (operation changed) is not a loss', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 403, { detail: 'M_UNKNOWN: Requested operation has changed during the UI authentication session.' });
    expect(check13(story)).toBeNull();
  });

  it('other 4xx and 5xx answers are not losses (M_USER_IN_USE, a 500)', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 400, { detail: 'M_USER_IN_USE: User ID already taken.' });
    story.recv(205, story.send(200, X), 500, { detail: 'M_UNKNOWN: Internal server error' });
    story.recv(305, story.send(300, X), 500, { detail: "M_UNKNOWN: Couldn't generate a session ID." });
    expect(check13(story)).toBeNull();
  });

  it('a 400 M_UNKNOWN that is not "Unknown session ID" is not a loss (uia §2.6 "No session supplied", uia §2.4 step 6 "Unknown login type", uia §2.6 "No captcha response supplied")', () => {
    for (const detail of ['M_UNKNOWN: No session supplied', 'M_UNKNOWN: Unknown login type m.login.bogus', 'M_UNKNOWN: No captcha response supplied']) {
      const story = Story.passed();
      story.recv(105, story.send(100, X), 400, { detail });
      expect(check13(story)).toBeNull();
      expect(check18(story)).toBeNull();
    }
    // The same story with the unknown-session message is a loss (the check above can fail).
    const unknown = Story.passed();
    unknown.recv(105, unknown.send(100, X), 400, { detail: UNKNOWN_X });
    expect(check13(unknown)).not.toBeNull();
  });

  it('a request with no response (dropped) shows nothing and loses nothing', () => {
    const story = Story.passed();
    story.send(100, X, { tags: ['m.login.dummy'] });
    story.recv(1105, story.send(1100, X), 401, { key: X, tags: [S] });
    expect(check13(story)).toBeNull();
  });

  it('a dropped response shows nothing: a 200 the client never received does not make later 401s losses', () => {
    const story = Story.opening();
    story.send(10, X, { tags: ['m.login.dummy'] }); // its 200 was lost
    story.recv(1105, story.send(1100, X), 401, { key: X, tags: ['m.login.dummy'] });
    expect(check13(story)).toBeNull();
  });

  it('an email-validation page (the link clicked in the mail) shows nothing and is not a loss (uia §5 #7512)', () => {
    // The page answers a request about X with a 200, but it is a page, not X's operation: later
    // 401s for X that do not list the email stage lose nothing.
    const story = Story.passed();
    story.recv(105, story.send(100, X, { actor: BROWSER, what: 'GET email validation link' }), 200, { servedBy: MAIN, key: X, detail: 'page:email-validated' });
    story.recv(205, story.send(200, X), 401, { key: X, tags: [S] });
    expect(check13(story)).toBeNull();
    // A 2xx that is not a page is X's operation: the same story with it is a loss.
    const operation = Story.passed();
    operation.recv(105, operation.send(100, X), 200, { detail: '@usera:test' });
    operation.recv(205, operation.send(200, X), 401, { key: X, tags: [S] });
    expect(check13(operation)).not.toBeNull();
  });

  it('a form page (page:form) shows nothing and is not a loss', () => {
    const story = Story.opening();
    story.recv(15, story.send(10, X, { actor: BROWSER, what: `GET fallback ${S}` }), 200, { servedBy: MAIN, key: X, detail: 'page:form' });
    story.recv(25, story.send(20, X), 401, { key: X, tags: [] });
    expect(check13(story)).toBeNull();
    // Also after S was shown, a re-rendered form is not a loss.
    const after = Story.passed();
    after.recv(105, after.send(100, X, { actor: BROWSER, what: `POST fallback ${S}` }), 200, { servedBy: MAIN, key: X, detail: 'page:form' });
    expect(check13(after)).toBeNull();
  });

  it('a 401 for X listing S and more is fine; the first response naming X shows nothing to lose', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X, { tags: [T] }), 401, { key: X, tags: [S, T] });
    story.recv(205, story.send(200, X), 401, { key: X, tags: [T, S] });
    expect(check13(story)).toBeNull();
    expect(check13(Story.opening())).toBeNull();
  });

  it('stages shown for one session say nothing about another', () => {
    const story = Story.passed();
    story.recv(55, story.send(50, ''), 401, { key: Y });
    story.recv(105, story.send(100, Y), 401, { key: Y, tags: [] });
    expect(check13(story)).toBeNull();
  });

  it('a response to a request that was never sent is a broken trace', () => {
    const story = new Story();
    story.observations.push({ kind: 'observe', atMs: 1, actor: 0, msgId: 1, phase: 'received', status: 401, servedBy: 2, key: X, detail: '', tags: [] });
    expect(() => check13(story)).toThrow(/never sent/);
  });
});

describe('progress-never-lost: the legitimate-expiry judgement, from the client\'s own send times', () => {
  // uia §2.2 (1.8): a session Y created by a request that carried another ID X (the unknown-ID
  // path) is created by that request: its creation time is the request's send time, so a later
  // legitimate idle expiry of Y is forgiven.
  it('uia §2.2 (1.8): a session created by the unknown-ID path and then idle 73 h expires legitimately', () => {
    const story = Story.opening();
    // reader1 restarted and no longer knows X: the recaptcha lands in a fresh session Y.
    story.recv(15, story.send(10, X, { tags: [S] }), 401, { key: Y, tags: [S] });
    // Nobody touches Y for 73 h; the cache pruned it; reader1 issues Z.
    story.recv(73 * HOUR + 5, story.send(73 * HOUR, Y), 401, { key: 'sessionZsessionZsessionZ', tags: [] });
    expect(check18(story)).toBeNull();
    // Y's creation is the send time of the request that first named it (10): 48 h after that
    // the idle expiry is legitimate, 1 ms earlier it is a loss.
    for (const [sentMs, legitimate] of [[10 + SESSION_EXPIRE_MS, true], [10 + SESSION_EXPIRE_MS - 1, false]] as const) {
      const edge = Story.opening();
      edge.recv(15, edge.send(10, X, { tags: [S] }), 401, { key: Y, tags: [S] });
      edge.recv(sentMs + 5, edge.send(sentMs, Y), 401, { key: 'sessionZsessionZsessionZ', tags: [] });
      expect(check18(edge) === null).toBe(legitimate);
    }
  });

  // The same end to end: reader1 restarts after the first 401, so the recaptcha lands in a
  // fresh session Y (nothing had been shown for X: no loss); the client adopts Y and goes away
  // for 73 h; reader1's 24-hourly prune removes Y (idle since ~1 s); the resubmit gets a 401
  // naming Z. Y expired exactly as 1.8 expires sessions (uia §2.2): not a violation.
  it('uia §2.2 (1.8) end to end: the idle expiry of a session born on the unknown-ID path is not a violation', () => {
    const c = caseOf(
      'memory-1.8',
      [client([START, pause(1000), direct(S), pause(73 * HOUR), RESUBMIT])],
      [{ kind: 'crash', node: 'reader1', atMs: 0, after: { actor: 'app A', nthResponse: 1 }, downMs: 100 }],
    );
    const result = runCase(c);
    // The story is the one described: X, then Y (showing S) from the restarted reader1, then Z.
    const r = result.observations.filter((o) => o.phase === 'received');
    expect(r.map((o) => o.status)).toEqual([401, 401, 401]);
    expect(new Set(r.map((o) => o.key)).size).toBe(3);
    expect(r[1]?.tags).toEqual([S]);
    expect(r[2]?.tags).toEqual([]);
    expect(checkProgressNeverLost(result.observations, result.profile, result.nodeNames)).toBeNull();
  });

  // uia §2.2 (1.8): a request whose answer never came may never have reached the session: the
  // checker does not count it as keeping X alive (it would rather miss a loss than invent one).
  it('uia §2.2 (1.8): a request carrying X whose response was lost does not count as keeping X alive', () => {
    const story = Story.passed(S, 10);
    story.send(10 * HOUR, X, { tags: [T] }); // the response was lost
    story.recv(SESSION_EXPIRE_MS + 20, story.send(SESSION_EXPIRE_MS + 15, X), 401, { key: Y });
    expect(check18(story)).toBeNull();
  });

  it('uia §2.2 (1.8): the sliding rule compares the losing request\'s send time with the previous request the same process answered (at its send time)', () => {
    for (const [sentMs, legitimate] of [[10 * HOUR + SESSION_EXPIRE_MS, true], [10 * HOUR + SESSION_EXPIRE_MS - 1, false]] as const) {
      const story = Story.passed(S, 10);
      story.recv(10 * HOUR + 5, story.send(10 * HOUR, X, { tags: [T] }), 401, { key: X, tags: [S, T] });
      story.recv(sentMs + 5, story.send(sentMs, X), 401, { key: Y });
      expect(check18(story) === null).toBe(legitimate);
    }
    // A request still in flight (sent, not yet answered) when the losing one is sent counts too.
    const inFlight = Story.passed(S, 10);
    const pending = inFlight.send(10 * HOUR, X, { tags: [T] });
    const losing = inFlight.send(10 * HOUR + SESSION_EXPIRE_MS - 1, X);
    inFlight.recv(10 * HOUR + SESSION_EXPIRE_MS, pending, 401, { key: X, tags: [S, T] });
    inFlight.recv(10 * HOUR + SESSION_EXPIRE_MS + 5, losing, 401, { key: Y });
    expect(check18(inFlight)).not.toBeNull();
  });
});

describe('progress-never-lost: after a legitimate expiry', () => {
  it('uia §2.2 (1.8): once a loss is forgiven as an expiry, later answers about the dead session are not losses either', () => {
    const story = new Story();
    story.recv(10, story.send(0, ''), 401, { key: X });
    story.recv(20, story.send(15, X, { tags: [T] }), 401, { key: X, tags: [T] });
    // 61 h idle: the session is pruned, 1.8 silently hands out Y (forgiven: legitimate expiry)...
    story.recv(61 * HOUR + 10, story.send(61 * HOUR, X, { tags: [T] }), 401, { key: Y, tags: [T] });
    // ...and the client, which keeps X, asks again a moment later: X's history is void.
    story.recv(61 * HOUR + 30, story.send(61 * HOUR + 20, X), 401, { key: 'sessionZsessionZsessionZ' });
    expect(checkProgressNeverLost(story.observations, PROFILES['1.8'], NODES)).toBeNull();
  });

  it('uia §2.2 (1.8): a stage shown for X after a process was seen not to hold X, then lost there, is a loss, even with X idle for 48 h (#6705)', () => {
    // Issue 11's pinned-1.12 slow-user question. X is opened on reader1 and left idle for 49 h;
    // a request about X then gets a fresh session Y (nothing shown yet: no loss). That request
    // did not touch X, so X's 48 h clock stays where it was.
    const story = Story.opening();
    story.recv(49 * HOUR + 5, story.send(49 * HOUR, X), 401, { key: Y });
    // The fallback then claims success for X (a throwaway session, uia §2.2), and X is asked
    // about again on reader1: S is lost, and X's expiry cannot excuse it (S was shown after).
    story.recv(49 * HOUR + 20, story.send(49 * HOUR + 10, X, { actor: BROWSER, what: `POST fallback ${S}`, tags: [S] }), 200, { key: X, detail: 'page:success', tags: [S] });
    story.recv(49 * HOUR + 40, story.send(49 * HOUR + 30, X), 401, { key: 'sessionZsessionZsessionZ' });
    expect(check18(story)?.requests).toBe(4);
    // Control: S shown before reader1 was seen without X, and X idle for 48 h: a legitimate expiry.
    const before = Story.opening();
    before.recv(25, before.send(15, X, { actor: BROWSER, what: `POST fallback ${S}`, tags: [S] }), 200, { key: X, detail: 'page:success', tags: [S] });
    before.recv(49 * HOUR + 5, before.send(49 * HOUR, X), 401, { key: Y });
    before.recv(49 * HOUR + 40, before.send(49 * HOUR + 30, X), 401, { key: 'sessionZsessionZsessionZ' });
    expect(check18(before)).toBeNull();
  });

  it('a stage shown for the session after its expiry still counts', () => {
    const story = new Story();
    story.recv(10, story.send(0, ''), 401, { key: X });
    story.recv(20, story.send(15, X, { tags: [T] }), 401, { key: X, tags: [T] });
    story.recv(61 * HOUR + 10, story.send(61 * HOUR, X, { tags: [T] }), 401, { key: Y, tags: [T] });
    // The fallback then claims success for X (1.8's throwaway session) and X is asked about again.
    story.recv(61 * HOUR + 30, story.send(61 * HOUR + 20, X, { actor: BROWSER, what: `POST fallback ${S}`, tags: [S] }), 200, { servedBy: MAIN, key: X, detail: 'page:success', tags: [S] });
    story.recv(61 * HOUR + 50, story.send(61 * HOUR + 40, X), 401, { key: 'sessionZsessionZsessionZ' });
    const violation = checkProgressNeverLost(story.observations, PROFILES['1.8'], NODES);
    expect(violation?.requests).toBe(5);
    expect(violation?.why).toContain(S);
  });
});
