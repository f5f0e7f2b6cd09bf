// no-phantom-stage (docs/architecture.md "Properties") on hand-built traces, then on real runs.
import { describe, expect, it } from 'vitest';
import { FACTS } from '../../../models/synapse/facts.js';
import { checkNoPhantomStage } from '../../../properties/checkers/no-phantom-stage.js';
import { checkCase } from '../../../properties/check-case.js';
import { caseOf, client, direct, FALLBACK_RECAPTCHA, RESUBMIT, START } from '../../models/helpers.js';
import { BROWSER, MAIN, NODES, READER2, REGISTER, S, Story, T, X, Y } from './story.js';

const check = (story: Story) => checkNoPhantomStage(story.observations, [...story.facts].sort((a, b) => a.atMs - b.atMs), NODES);
const THROWAWAY = 'sessionTsessionTsessionT';

describe('no-phantom-stage: rejected', () => {
  it('#6705 (1.8): the fallback success page for X, whose stage passed in a throwaway session on main (uia §2.2)', () => {
    const story = Story.opening();
    story.fact(22, FACTS.sessionCreated, THROWAWAY, `POST /_matrix/client/r0/auth/${S}/fallback/web`, { node: MAIN });
    story.fact(22, FACTS.stagePassed, THROWAWAY, S, { node: MAIN, tags: ['true'] });
    story.recv(30, story.send(20, X, { actor: BROWSER, what: `POST fallback ${S}`, tags: [S] }), 200, { servedBy: MAIN, key: X, detail: 'page:success', tags: [S] });
    const v = check(story);
    expect(v?.property).toBe('no-phantom-stage');
    expect(v?.observationIndex).toBe(3);
    expect(v?.requests).toBe(2);
    expect(v?.why).toBe(
      `main showed the success page of ${S} for session ${X} in its answer to browser A's request 2, but ${S} passed for another session (${THROWAWAY}, on main), never for ${X} (created on reader1).`,
    );
  });

  it('a 401 listing a stage no checker passed for the session', () => {
    const story = Story.opening();
    story.recv(105, story.send(100, X), 401, { key: X, tags: [T] });
    expect(check(story)?.why).toContain(`no checker passed ${T} for ${X} since reader1 created it at 2 ms`);
  });

  it('a session-ID collision: the second session with ID X shows the first one\'s stage, which passed before its creation', () => {
    const story = Story.passed(S);
    // Client B's new session gets the same ID from reader2, and reads A's stage back.
    story.fact(52, FACTS.sessionCreated, X, REGISTER, { node: READER2 });
    story.recv(55, story.send(50, '', { actor: 2 }), 401, { key: X, servedBy: READER2 });
    story.fact(62, FACTS.stagePassed, X, T, { node: READER2, tags: ['true'] });
    story.recv(65, story.send(60, X, { actor: 2, tags: [T] }), 401, { key: X, tags: [S, T], servedBy: READER2 });
    const v = check(story);
    expect(v?.requests).toBe(4);
    expect(v?.why).toContain(`${S} passed for ${X} at 12 ms, before reader2 created a session with the same ID ${X} again at 52 ms: two sessions share one ID`);
  });

  it('a stage shown for a session nobody created', () => {
    const story = new Story();
    story.fact(5, FACTS.stagePassed, Y, S, { tags: ['true'] });
    story.recv(10, story.send(0, Y, { tags: [S] }), 401, { key: Y, tags: [S] });
    expect(check(story)?.why).toContain(`no process ever created a session ${Y}`);
  });

  it('a stage that passes only after the response was received does not count', () => {
    const story = Story.opening();
    story.recv(15, story.send(10, X, { tags: [S] }), 401, { key: X, tags: [S] });
    story.fact(20, FACTS.stagePassed, X, S, { tags: ['true'] });
    expect(check(story)).not.toBeNull();
  });
});

describe('no-phantom-stage: accepted', () => {
  it('a stage listed after its checker passed for the session (uia §2.4 step 6), also on another process', () => {
    const story = Story.passed(S);
    story.recv(105, story.send(100, X), 401, { key: X, tags: [S], servedBy: READER2 });
    expect(check(story)).toBeNull();
  });

  it('1.13: a fallback success page after the stage passed for that session (uia §2.6)', () => {
    const story = Story.opening();
    story.fact(22, FACTS.stagePassed, X, S, { node: MAIN, tags: ['true'] });
    story.recv(30, story.send(20, X, { actor: BROWSER, what: `POST fallback ${S}`, tags: [S] }), 200, { servedBy: MAIN, key: X, detail: 'page:success', tags: [S] });
    expect(check(story)).toBeNull();
  });

  it('1.8: a fresh session for an unknown ID lists the stage that passed in it (uia §2.2)', () => {
    const story = Story.opening();
    story.fact(12, FACTS.sessionCreated, Y, REGISTER, { node: READER2 });
    story.fact(12, FACTS.stagePassed, Y, S, { node: READER2, tags: ['true'] });
    story.recv(15, story.send(10, X, { tags: [S] }), 401, { key: Y, tags: [S], servedBy: READER2 });
    expect(check(story)).toBeNull();
  });

  it('answers that show no stage: a 401 without completed, a form page, a 400, a 200', () => {
    const story = Story.opening();
    story.recv(15, story.send(10, X, { actor: BROWSER, what: `GET fallback ${S}` }), 200, { servedBy: MAIN, key: X, detail: 'page:form' });
    story.recv(25, story.send(20, X), 400, { detail: `M_UNKNOWN: Unknown session ID: ${X}` });
    story.recv(35, story.send(30, X), 200, { detail: '@usera:test' });
    expect(check(story)).toBeNull();
  });
});

describe('no-phantom-stage: real runs', () => {
  const wholeFlow = [START, FALLBACK_RECAPTCHA, RESUBMIT, direct(T), direct('m.login.dummy')];

  it('holds on sql: every stage shown passed for that session', () => {
    const { result, violation } = checkCase(caseOf('sql', [client(wholeFlow)]), 'no-phantom-stage');
    expect(result.observations.some((o) => o.detail === 'page:success')).toBe(true);
    expect(violation).toBeNull();
  });

  it('memory-1.8 violates it: the fallback on main shows success for reader1\'s session (#6705)', () => {
    const { violation } = checkCase(caseOf('memory-1.8', [client(wholeFlow)]), 'no-phantom-stage');
    expect(violation?.requests).toBe(2);
    expect(violation?.why).toMatch(/^main showed the success page of m\.login\.recaptcha for session \w+ .* passed for another session \(\w+, on main\), never for \w+ \(created on reader1\)\.$/);
  });
});
