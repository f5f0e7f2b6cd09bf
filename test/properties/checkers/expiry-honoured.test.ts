// expiry-honoured (docs/architecture.md "Properties", uia §2.2, §2.8) on hand-built traces, then on real runs.
import { describe, expect, it } from 'vitest';
import { FACTS } from '../../../models/synapse/facts.js';
import { SESSION_EXPIRE_MS as E } from '../../../models/synapse/profile.js';
import { checkExpiryHonoured, SWEEP_ROUND_TRIP_SLACK_MS as SLACK } from '../../../properties/checkers/expiry-honoured.js';
import { sweepDeadlineMs } from '../../../properties/checkers/sweep-deadline.js';
import { checkCase } from '../../../properties/check-case.js';
import type { Case } from '../../../models/world.js';
import { caseOf, client, pause, RESUBMIT, START } from '../../models/helpers.js';
import { BROWSER, D, HOUR, MAIN, READER1, READER2, REGISTER, S, Story, X, Y } from './story.js';

const FIVE_MIN = 5 * 60 * 1000;
const DAY = 24 * HOUR;
const head = (story: Story, partitions: { fromMs: number; untilMs: number }[] = []) => checkExpiryHonoured(story.result('head'), partitions);
const old = (story: Story) => checkExpiryHonoured(story.result('1.8'));
const sweep = (story: Story, atMs: number, thresholdMs: number, node = MAIN): Story => story.fact(atMs, FACTS.sweep, '', String(thresholdMs), { node, tags: ['1'] });
/** A request about X sent at `atMs`, answered 5 ms later with a 401 naming X (X is alive). */
const usesX = (story: Story, atMs: number, servedBy = READER2): Story => story.recv(atMs + 5, story.send(atMs, X), 401, { key: X, servedBy });

describe('expiry-honoured, 1.13+ (absolute from creation, uia §2.8)', () => {
  it('rejected: X answered as alive to a request sent after a sweep whose threshold passed its creation', () => {
    const story = sweep(Story.opening(), E + FIVE_MIN, FIVE_MIN);
    usesX(story, E + FIVE_MIN + 1000);
    const v = head(story);
    expect(v?.property).toBe('expiry-honoured');
    expect(v?.fact?.name).toBe(FACTS.sweep);
    expect(v?.requests).toBe(2);
    expect(v?.why).toBe(
      `reader2 answered app A's request 2 about session ${X} (sent at ${E + FIVE_MIN + 1000} ms) with a 401 naming ${X} listing completed [], although the sweep on main at ${E + FIVE_MIN} ms, which deletes every session created at or before ${FIVE_MIN} ms, had to remove ${X} (created on reader1 at 2 ms): a swept session must never come back (uia §2.8).`,
    );
  });

  it('accepted: a request sent before the sweep, answered after it; a sweep whose threshold is before the creation', () => {
    const story = sweep(Story.opening(), E + FIVE_MIN, FIVE_MIN);
    story.recv(E + FIVE_MIN + 10, story.send(E + FIVE_MIN - 10, X), 401, { key: X });
    expect(head(story)).toBeNull();
    const young = sweep(Story.opening(), 10 * FIVE_MIN, 10 * FIVE_MIN - E);
    usesX(young, 11 * FIVE_MIN);
    expect(head(young)).toBeNull();
  });

  it('rejected: still alive past creation + 48 h + one sweep interval (no sweep ran), with room for the sweep\'s round trip', () => {
    const deadline = 2 + E + FIVE_MIN;
    const late = usesX(Story.opening(), deadline + SLACK + 1);
    expect(head(late)?.why).toContain(`expired at ${2 + E} ms (48 h after creation, absolute) and a whole sweep interval had passed by ${deadline} ms`);
    expect(head(usesX(Story.opening(), deadline + SLACK))).toBeNull();
  });

  it('the deadline waits for the sweeping process to be up a whole interval (a crash over the expiry)', () => {
    const crashed = (sentMs: number) => usesX(Story.opening().lifecycleEvent('crash', E - HOUR, MAIN).lifecycleEvent('restart', E + HOUR, MAIN), sentMs);
    expect(head(crashed(E + 2 * FIVE_MIN + SLACK))).toBeNull();
    expect(head(crashed(E + HOUR + FIVE_MIN + SLACK + 1))).not.toBeNull();
    // A process that never comes back: no deadline at all.
    expect(head(usesX(Story.opening().lifecycleEvent('crash', E - HOUR, MAIN), 3 * E))).toBeNull();
  });

  it('the deadline waits out a partition (the sweep may not reach the store)', () => {
    const story = usesX(Story.opening(), E + 2 * FIVE_MIN + SLACK);
    expect(head(story)).not.toBeNull();
    expect(head(story, [{ fromMs: E, untilMs: E + HOUR }])).toBeNull();
    expect(sweepDeadlineMs(E, FIVE_MIN, [{ fromMs: E, untilMs: E + HOUR }])).toBe(E + HOUR + FIVE_MIN);
  });

  it('what uses X: a 401 naming X; a success page or a 2xx only when the server used X (a stage passed, an operation ran for X)', () => {
    const after = E + FIVE_MIN + 1000;
    const base = () => sweep(Story.opening(), E + FIVE_MIN, FIVE_MIN);
    // Not uses: 400 unknown session, a 401 naming another session, a page or a 2xx with no fact for X.
    const notUses = base();
    notUses.recv(after + 5, notUses.send(after, X), 400, { detail: `M_UNKNOWN: Unknown session ID: ${X}` });
    notUses.recv(after + 15, notUses.send(after + 10, X), 401, { key: Y });
    notUses.recv(after + 25, notUses.send(after + 20, X, { actor: BROWSER, what: `POST fallback ${S}` }), 200, { key: X, detail: 'page:success', tags: [S], servedBy: MAIN });
    notUses.recv(after + 35, notUses.send(after + 30, X, { tags: [D] }), 200, { detail: '@usera:test' });
    expect(head(notUses)).toBeNull();
    // Uses: the stage passed for X behind the success page; the operation ran for X behind the 200.
    const page = base().fact(after + 22, FACTS.stagePassed, X, S, { node: MAIN, tags: ['true'] });
    page.recv(after + 25, page.send(after + 20, X, { actor: BROWSER, what: `POST fallback ${S}` }), 200, { key: X, detail: 'page:success', tags: [S], servedBy: MAIN });
    expect(head(page)?.why).toContain('with the fallback success page for');
    const operation = base().fact(after + 32, FACTS.operation, X, REGISTER, { tags: ['', '@usera:test'] });
    operation.recv(after + 35, operation.send(after + 30, X, { tags: [D] }), 200, { detail: '@usera:test' });
    expect(head(operation)?.why).toContain('with a 200 @usera:test');
  });
});

describe('expiry-honoured, 1.8 (sliding, per process, uia §2.2)', () => {
  it('rejected: the process that holds X swept it (last used before the threshold) and then answered for it', () => {
    const story = sweep(Story.opening(), 3 * DAY, DAY, READER1);
    usesX(story, 3 * DAY + HOUR, READER1);
    expect(old(story)?.why).toContain(`which deletes every session last used before ${DAY} ms, had to remove ${X} (created on reader1 at 2 ms, and not used there since)`);
  });

  it('accepted: a use after the threshold keeps X (sliding); a sweep of another process; an answer of another process', () => {
    const used = usesX(Story.opening(), 30 * HOUR, READER1);
    sweep(used, 60 * HOUR, 12 * HOUR, READER1);
    usesX(used, 61 * HOUR, READER1);
    expect(old(used)).toBeNull();
    const elsewhere = sweep(Story.opening(), 60 * HOUR, 12 * HOUR, MAIN);
    usesX(elsewhere, 61 * HOUR, READER1);
    expect(old(elsewhere)).toBeNull();
    // The same on the process that holds X is a violation (the check above can fail).
    expect(old(usesX(sweep(Story.opening(), 60 * HOUR, 12 * HOUR, READER1), 61 * HOUR, READER1))).not.toBeNull();
    const otherProcess = sweep(Story.opening(), 60 * HOUR, 12 * HOUR, READER1);
    usesX(otherProcess, 61 * HOUR, READER2);
    expect(old(otherProcess)).toBeNull();
  });

  it('rejected: alive on its process past the last use + 48 h + one prune interval (24 h)', () => {
    expect(old(usesX(Story.opening(), 5 + E + DAY + SLACK + 1, READER1))?.why).toContain('(48 h after its last use, sliding)');
    expect(old(usesX(Story.opening(), 5 + E + DAY + SLACK, READER1))).toBeNull();
  });

  it('a request about X with no answer may have used X at any time: X is not judged', () => {
    const story = sweep(Story.opening(), 3 * DAY, DAY, READER1);
    story.send(10 * HOUR, X); // lost
    usesX(story, 4 * DAY, READER1);
    expect(old(story)).toBeNull();
  });
});

describe('expiry-honoured: real runs', () => {
  it('holds on sql: after a 49 h pause the resubmit is told the session is unknown (uia §2.8)', () => {
    const { result, violation } = checkCase(caseOf('sql', [client([START, pause(49 * HOUR), RESUBMIT])]), 'expiry-honoured');
    expect(result.facts.some((f) => f.name === FACTS.sweep && Number(f.detail) > 0)).toBe(true);
    expect(result.observations.at(-1)?.status).toBe(400);
    expect(violation).toBeNull();
  });

  // Found by `compare --property expiry-honoured` (slow-user): main-rpc keeps sessions in 1.8's
  // sliding ExpiringCache on main (uia §2.2), under a profile that promises 48 h from creation.
  it('main-rpc violates it: a session used at 5.5 h survives the sweep at 48 h 5 min', () => {
    const c: Case = {
      strategy: 'main-rpc',
      profile: 'head',
      faultProfile: 'slow-user',
      workload: {
        clients: [
          {
            actions: [
              { kind: 'start' },
              { kind: 'pause', ms: 19872929 },
              { kind: 'fallback', stage: 'm.login.terms', loadsPage: false, concurrent: false },
              { kind: 'pause', ms: 162256358 },
              { kind: 'fallback', stage: 'm.login.terms', loadsPage: false, concurrent: false },
            ],
            adoptsNewSession: false,
            retries: 0,
            requestTimeoutMs: 30000,
            thinkMs: 0,
          },
        ],
      },
      faultPlan: { faults: [] },
      tapes: { actors: [[], []], shared: [] },
      seed: 0,
    };
    const { violation } = checkCase(c, 'expiry-honoured');
    expect(violation?.requests).toBe(3);
    expect(violation?.why).toContain('a swept session must never come back');
  });
});
