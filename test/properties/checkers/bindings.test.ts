// operation-binding and user-binding (docs/architecture.md "Properties") on hand-built traces, then on real runs.
import { describe, expect, it } from 'vitest';
import { FACTS } from '../../../models/synapse/facts.js';
import { PROFILES } from '../../../models/synapse/profile.js';
import { checkOperationBinding, NOT_BINDING } from '../../../properties/checkers/operation-binding.js';
import { checkUserBinding } from '../../../properties/checkers/user-binding.js';
import { checkCase } from '../../../properties/check-case.js';
import { caseOf, client, direct, START } from '../../models/helpers.js';
import { APP_B, D, NODES, READER2, REGISTER, Story, X, Y } from './story.js';

const PASSWORD = 'POST /_matrix/client/v3/account/password';
const bindsHead = (story: Story) => checkOperationBinding(story.observations, story.facts, PROFILES.head, NODES);

/** X created for /register (and, with `provedAs`, a password stage on X passed as that user);
 * then an operation for X with `detail`, answered 200 to the app. */
function operation(detail: string, tags: readonly string[] = ['', '@usera:test'], provedAs?: string): Story {
  const story = Story.opening();
  if (provedAs !== undefined) story.fact(50, FACTS.stagePassed, X, 'm.login.password', { tags: [provedAs] });
  story.fact(102, FACTS.operation, X, detail, { tags });
  story.recv(105, story.send(100, X, { tags: [D] }), 200, { detail: '@usera:test' });
  return story;
}

describe('operation-binding (from 1.13, uia §2.9)', () => {
  it('rejected: X, created for POST /register, authorises POST /account/password', () => {
    const story = operation(PASSWORD);
    const v = bindsHead(story);
    expect(v?.property).toBe('operation-binding');
    expect(v?.fact?.name).toBe(FACTS.operation);
    expect(v?.observationIndex).toBe(3);
    expect(v?.requests).toBe(2);
    expect(v?.why).toBe(`reader1 ran ${PASSWORD} at 102 ms on the authority of session ${X}, which was created for ${REGISTER}: a session authorises only the operation it was started for (uia §2.9).`);
  });

  it('rejected: the raw URI is bound, query string included (uia §2.9, #7722)', () => {
    expect(bindsHead(operation(`${REGISTER}?kind=user`))).not.toBeNull();
    expect(bindsHead(operation(REGISTER.replace('POST', 'PUT')))).not.toBeNull();
  });

  it('rejected: an operation authorised by a session nobody created', () => {
    const story = new Story();
    story.fact(2, FACTS.operation, Y, REGISTER, { tags: ['', '@usera:test'] });
    story.recv(5, story.send(0, Y), 200, { detail: '@usera:test' });
    expect(bindsHead(story)?.why).toContain('a session no process ever created');
  });

  it('the violation points at the first response about the session after the operation, even another actor\'s', () => {
    const story = Story.opening();
    story.fact(102, FACTS.operation, X, PASSWORD, { tags: ['', '@usera:test'] });
    story.send(100, X, { tags: [D] }); // its answer was lost
    story.recv(205, story.send(200, '', { actor: APP_B }), 401, { key: Y, servedBy: READER2 });
    story.recv(305, story.send(300, X, { actor: APP_B }), 200, { detail: '@usera:test' });
    expect(bindsHead(story)?.observationIndex).toBe(6);
    // With nothing about X after it, the first response after the operation.
    const unseen = Story.opening();
    unseen.fact(102, FACTS.operation, X, PASSWORD, { tags: ['', '@usera:test'] });
    unseen.send(100, X);
    unseen.recv(205, unseen.send(200, '', { actor: APP_B }), 401, { key: Y, servedBy: READER2 });
    expect(bindsHead(unseen)?.observationIndex).toBe(4);
  });

  it('accepted: the operation X was created for; an operation without a session (the session_timeout skip, uia §2.5)', () => {
    expect(bindsHead(operation(REGISTER))).toBeNull();
    const skip = Story.opening();
    skip.fact(102, FACTS.operation, '', PASSWORD, { tags: ['@usera:test', '@usera:test'] });
    expect(bindsHead(skip)).toBeNull();
  });

  it('not applicable before 1.13 (uia §2.3): holds trivially, and says why', () => {
    expect(checkOperationBinding(operation(PASSWORD).observations, operation(PASSWORD).facts, PROFILES['1.8'], NODES)).toBeNull();
    expect(NOT_BINDING).toContain('not applicable');
  });

  it('real run: holds on sql for a whole registration, whose operation fact names the creating request', () => {
    const { result, violation } = checkCase(caseOf('sql', [client([START, direct('m.login.recaptcha'), direct('m.login.terms'), direct(D)])]), 'operation-binding');
    expect(result.facts.some((f) => f.name === FACTS.operation)).toBe(true);
    expect(violation).toBeNull();
  });
});

describe('user-binding (uia §2.5)', () => {
  const check = (story: Story) => checkUserBinding(story.observations, story.facts, NODES);

  it('rejected: the requester is not the user the stages proved', () => {
    const v = check(operation(PASSWORD, ['@alice:test', '@bob:test'], '@bob:test'));
    expect(v?.property).toBe('user-binding');
    expect(v?.observationIndex).toBe(3);
    expect(v?.why).toBe(`reader1 ran ${PASSWORD} at 102 ms for @alice:test (session ${X}), but the stages were completed as @bob:test: the operation must run only for the user who authenticated (uia §2.5).`);
  });

  it('rejected: SSO completed as the wrong user stores "" (uia §1.5), and the operation ran anyway', () => {
    expect(check(operation(PASSWORD, ['@alice:test', '']))?.why).toContain('completed as nobody');
  });

  it('rejected, whatever the server reports: no stage of the session was completed as the requester (a validate that skips its comparison)', () => {
    // The session's password stage passed as bob; alice's request ran on it, and the server
    // (its comparison skipped) even claims alice authenticated.
    const v = check(operation(PASSWORD, ['@alice:test', '@alice:test'], '@bob:test'));
    expect(v?.property).toBe('user-binding');
    expect(v?.observationIndex).toBe(3);
    expect(v?.why).toBe(
      `reader1 ran ${PASSWORD} at 102 ms for @alice:test (session ${X}), but no stage of that session was completed as @alice:test (only as @bob:test): the operation must run only for the user who authenticated (uia §2.5).`,
    );
    // Nothing proved on the session at all.
    expect(check(operation(PASSWORD, ['@alice:test', '@alice:test']))?.why).toContain('no stage of that session was completed as @alice:test: ');
    // A proof after the operation does not count.
    const late = operation(PASSWORD, ['@alice:test', '@alice:test']);
    late.fact(200, FACTS.stagePassed, X, 'm.login.password', { tags: ['@alice:test'] });
    expect(check(late)).not.toBeNull();
  });

  it('accepted: the requester authenticated on the session (another user too, the latest proof wins in the store); the skip path has no session; registration has no requester (uia §2.11)', () => {
    expect(check(operation(PASSWORD, ['@alice:test', '@alice:test'], '@alice:test'))).toBeNull();
    const both = operation(PASSWORD, ['@alice:test', '@alice:test'], '@bob:test');
    both.facts.splice(1, 0, { ...(both.facts[1] as (typeof both.facts)[number]), tags: ['@alice:test'] });
    expect(check(both)).toBeNull();
    const skip = Story.opening();
    skip.fact(102, FACTS.operation, '', PASSWORD, { tags: ['@alice:test', '@alice:test'] });
    expect(check(skip)).toBeNull();
    expect(check(operation(REGISTER, ['', '@usera:test']))).toBeNull();
  });

  it('real run: holds on sql', () => {
    expect(checkCase(caseOf('sql', [client([START, direct('m.login.recaptcha'), direct('m.login.terms'), direct(D)])]), 'user-binding').violation).toBeNull();
  });
});
