// exactly-once (docs/architecture.md "Properties", uia §2.4, §2.10) on hand-built traces, then on real runs.
import { describe, expect, it } from 'vitest';
import { FACTS } from '../../../models/synapse/facts.js';
import type { Case } from '../../../models/world.js';
import { checkExactlyOnce } from '../../../properties/checkers/exactly-once.js';
import { checkCase } from '../../../properties/check-case.js';
import { caseOf, client, direct, START } from '../../models/helpers.js';
import { D, NODES, READER2, REGISTER, Story, X, Y } from './story.js';

const check = (story: Story) => checkExactlyOnce(story.observations, [...story.facts].sort((a, b) => a.atMs - b.atMs), NODES);
const IN_USE = 'M_USER_IN_USE: User ID already taken.';

/** X completes registration: the account @usera:test at 102 ms, the 200 received at 105 ms. */
function registered(): Story {
  const story = Story.opening();
  story.fact(102, FACTS.accountCreated, X, '@usera:test');
  story.fact(102, FACTS.operation, X, REGISTER, { tags: ['', '@usera:test'] });
  story.recv(105, story.send(100, X, { tags: [D] }), 200, { detail: '@usera:test' });
  return story;
}

describe('exactly-once: rejected', () => {
  it('a second account for one session (uia §2.10), pointed at the first response that shows it', () => {
    const story = registered();
    story.fact(202, FACTS.accountCreated, X, '@fresh:test', { node: READER2 });
    story.recv(205, story.send(200, X, { tags: [D] }), 200, { detail: '@fresh:test', servedBy: READER2 });
    const v = check(story);
    expect(v?.property).toBe('exactly-once');
    expect(v?.fact?.detail).toBe('@fresh:test');
    expect(v?.observationIndex).toBe(5);
    expect(v?.why).toBe(`session ${X} created a second account: reader2 registered @fresh:test at 202 ms, after reader1 had registered @usera:test for it at 102 ms (uia §2.10: one session, one account).`);
  });

  it('a retry answered with another user_id than the first 200 for the session', () => {
    const story = registered();
    story.recv(205, story.send(200, X, { tags: [D] }), 200, { detail: '@other:test' });
    expect(check(story)?.why).toContain('with 200 @other:test, but the user the 200 answering request 2 named was @usera:test');
  });

  it('a 200 naming another user than the account the session created (the first 200 was lost)', () => {
    const story = Story.opening();
    story.fact(102, FACTS.accountCreated, X, '@usera:test');
    story.send(100, X, { tags: [D] }); // lost
    story.recv(1105, story.send(1100, X, { tags: [D] }), 200, { detail: '@generated:test' });
    expect(check(story)?.why).toContain(`but the account ${X} created at 102 ms was @usera:test`);
  });

  it('a retry of a final request whose answer was lost gets M_USER_IN_USE for the session\'s own account (uia §2.10)', () => {
    const story = Story.opening();
    story.fact(102, FACTS.accountCreated, X, '@usera:test');
    story.send(100, X, { tags: [D] }); // lost
    story.recv(1105, story.send(1100, X, { tags: [D] }), 400, { detail: IN_USE });
    const v = check(story);
    expect(v?.requests).toBe(3);
    expect(v?.why).toBe(
      `reader1 answered app A's request 3 about session ${X} with 400 "User ID already taken", although ${X} had already created @usera:test at 102 ms: a retry must get that account back (uia §2.10; concurrent finals racing is #5450).`,
    );
  });

  it('#5450: two concurrent finals of one session, one registers and the other gets "User ID already taken"', () => {
    const story = Story.opening();
    const first = story.send(100, X, { tags: [D] });
    const second = story.send(101, X, { tags: [D] });
    story.fact(104, FACTS.accountCreated, X, '@usera:test');
    story.recv(110, first, 200, { detail: '@usera:test' });
    story.recv(111, second, 400, { detail: IN_USE, servedBy: READER2 });
    expect(check(story)?.why).toContain('"User ID already taken"');
  });
});

describe('exactly-once: accepted', () => {
  it('retries answered with the same user_id (registered_user_id, uia §2.10)', () => {
    const story = registered();
    story.recv(205, story.send(200, X, { tags: [D] }), 200, { detail: '@usera:test', servedBy: READER2 });
    expect(check(story)).toBeNull();
  });

  it('M_USER_IN_USE before the session created any account (the name is someone else\'s), or without a session', () => {
    const story = Story.opening();
    story.recv(15, story.send(10, X, { tags: [D] }), 400, { detail: IN_USE });
    story.recv(25, story.send(20, ''), 400, { detail: IN_USE });
    expect(check(story)).toBeNull();
  });

  it('one account per session, for different sessions', () => {
    const story = registered();
    story.fact(202, FACTS.accountCreated, Y, '@userb:test');
    story.recv(205, story.send(200, Y, { actor: 2, tags: [D] }), 200, { detail: '@userb:test' });
    expect(check(story)).toBeNull();
  });
});

describe('exactly-once: real runs', () => {
  it('holds on sql for a registration', () => {
    const { result, violation } = checkCase(caseOf('sql', [client([START, direct('m.login.recaptcha'), direct('m.login.terms'), direct(D)])]), 'exactly-once');
    expect(result.facts.filter((f) => f.name === FACTS.accountCreated)).toHaveLength(1);
    expect(violation).toBeNull();
  });

  // Found by `compare --property exactly-once` (1 run in 200): the database restarts between
  // register_user and the separate write of registered_user_id (uia §2.10, steps 7-8). The first
  // retry goes to the other worker (round-robin), whose pooled connection died with the database
  // (src/connection-pool.ts): a 500 again; the second meets a reconnected one.
  it('sql violates it under store-restart: the retry after a 500 gets "User ID already taken"', () => {
    const c: Case = {
      strategy: 'sql',
      profile: 'head',
      faultProfile: 'store-restart',
      workload: {
        clients: [
          {
            actions: [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.recaptcha' }, { kind: 'direct', stage: 'm.login.terms' }, { kind: 'direct', stage: 'm.login.dummy' }],
            adoptsNewSession: false,
            retries: 2,
            requestTimeoutMs: 90000,
            thinkMs: 0,
          },
        ],
      },
      // The database goes down while the final request is between register_user and the write
      // of registered_user_id; the retry finds the user but not the session's claim to it.
      faultPlan: { faults: [{ kind: 'crash', node: 'store', atMs: 56, downMs: 50, after: { actor: 'app A', nthResponse: 1 } }] },
      tapes: { actors: [[], []], shared: [] },
      seed: 0,
    };
    const { violation } = checkCase(c, 'exactly-once');
    expect(violation?.requests).toBe(6);
    expect(violation?.event.status).toBe(400);
    expect(violation?.why).toContain('"User ID already taken", although');
  });
});
