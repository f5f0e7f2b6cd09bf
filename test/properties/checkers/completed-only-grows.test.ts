// completed-only-grows (docs/architecture.md "Properties") on hand-built traces, then on real runs.
import { describe, expect, it } from 'vitest';
import { PROFILES, SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';
import { checkCompletedOnlyGrows } from '../../../properties/checkers/completed-only-grows.js';
import { checkCase } from '../../../properties/check-case.js';
import { caseOf, client, direct, FALLBACK_RECAPTCHA, RESUBMIT, START } from '../../models/helpers.js';
import { HOUR, NODES, READER2, S, Story, T, X, Y } from './story.js';

const check = (story: Story, profile: '1.8' | 'head' = 'head') => checkCompletedOnlyGrows(story.observations, PROFILES[profile], NODES);

describe('completed-only-grows: rejected', () => {
  it('a 401 naming X sent after a 401 listing S, that does not list S', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 401, { key: X, tags: [], servedBy: READER2 });
    const v = check(story);
    expect(v?.property).toBe('completed-only-grows');
    expect(v?.observationIndex).toBe(5);
    expect(v?.requests).toBe(3);
    expect(v?.why).toBe(
      `reader2 answered app A's request 3 with a 401 for session ${X} listing completed [], without ${S}, which the 401 answering request 2 had listed for ${X} before this request was sent.`,
    );
  });

  it('a 401 that lists a later stage but drops an earlier one (a lost update)', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X, { tags: [T] }), 401, { key: X, tags: [T] });
    expect(check(story)?.why).toContain(`listing completed [${T}], without ${S}`);
  });

  it('the shrink is judged per stage against the first 401 that listed it, across actors', () => {
    const story = Story.passed();
    story.recv(55, story.send(50, X, { actor: 2, tags: [T] }), 401, { key: X, tags: [S, T] });
    story.recv(105, story.send(100, X), 401, { key: X, tags: [S] });
    expect(check(story)?.why).toContain(`without ${T}, which the 401 answering request 3`);
  });

  it('1.8: within 48 h of the last request a shrink is not forgiven (a restart is no expiry)', () => {
    const story = Story.passed();
    story.recv(HOUR + 5, story.send(HOUR, X), 401, { key: X, tags: [] });
    expect(check(story, '1.8')).not.toBeNull();
  });
});

describe('completed-only-grows: accepted', () => {
  it('a 401 to a request sent before the earlier 401 was received (concurrent, uia §2.4 step 7) may be older', () => {
    const story = Story.opening();
    const first = story.send(10, X, { tags: [S] });
    const second = story.send(11, X);
    story.recv(15, first, 401, { key: X, tags: [S] });
    story.recv(16, second, 401, { key: X, tags: [] });
    expect(check(story)).toBeNull();
  });

  it('the 401 creating X (a request without a session) lists nothing and is not judged (uia §2.4 step 5)', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, ''), 401, { key: X, tags: [] });
    expect(check(story)).toBeNull();
  });

  it('a 400 unknown session, a 401 naming another session and a page are not completed lists', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X), 400, { detail: `M_UNKNOWN: Unknown session ID: ${X}` });
    story.recv(205, story.send(200, X), 401, { key: Y, tags: [] });
    story.recv(305, story.send(300, X, { actor: 1, what: `GET fallback ${T}` }), 200, { key: X, detail: 'page:form' });
    expect(check(story)).toBeNull();
  });

  it('growing lists, in any order of stages, hold', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, X, { tags: [T] }), 401, { key: X, tags: [T, S] });
    story.recv(205, story.send(200, X), 401, { key: X, tags: [S, T] });
    expect(check(story)).toBeNull();
  });

  it('lists of different sessions are independent', () => {
    const story = Story.passed();
    story.recv(105, story.send(100, Y), 401, { key: Y, tags: [] });
    expect(check(story)).toBeNull();
  });

  it('a legitimate expiry forgives the shrink (1.13+: 48 h after the creating request; the shared judgement)', () => {
    const late = Story.passed();
    late.recv(SESSION_EXPIRE_MS + 5, late.send(SESSION_EXPIRE_MS, X), 401, { key: X, tags: [] });
    expect(check(late)).toBeNull();
    // ...and X's history starts afresh after it.
    late.recv(SESSION_EXPIRE_MS + 105, late.send(SESSION_EXPIRE_MS + 100, X), 401, { key: X, tags: [] });
    expect(check(late)).toBeNull();
    const early = Story.passed();
    early.recv(SESSION_EXPIRE_MS - 1, early.send(SESSION_EXPIRE_MS - 10, X), 401, { key: X, tags: [] });
    expect(check(early)).not.toBeNull();
  });

  it('1.8: 48 h without a request reaching X on the process is a legitimate expiry', () => {
    const story = Story.passed();
    story.recv(10 + SESSION_EXPIRE_MS + 5, story.send(10 + SESSION_EXPIRE_MS, X), 401, { key: X, tags: [] });
    expect(check(story, '1.8')).toBeNull();
  });
});

describe('completed-only-grows: real runs', () => {
  it('holds on sql for a whole registration with the captcha on the fallback page', () => {
    const c = caseOf('sql', [client([START, FALLBACK_RECAPTCHA, RESUBMIT, direct(T), direct('m.login.dummy')])]);
    const { result, violation } = checkCase(c, 'completed-only-grows');
    expect(result.observations.some((o) => o.status === 401 && o.tags.length > 0)).toBe(true);
    expect(violation).toBeNull();
  });

  it('sql-cached violates it: reader1 answers from a cache the stage has not reached yet (steady)', () => {
    const c = { ...caseOf('sql', [client([START, direct(S), RESUBMIT], { adoptsNewSession: false, requestTimeoutMs: 90_000 })], [], 0), strategy: 'sql-cached', profile: 'head' as const };
    const { violation } = checkCase(c, 'completed-only-grows');
    expect(violation?.requests).toBe(3);
    expect(violation?.why).toContain(`listing completed [], without ${S}, which the 401 answering request 2`);
  });
});
