// The session-reuse workload's adversarial steps (models/clients/workload.ts, docs/strategies.md
// "Workloads"), on cases built by hand: Synapse refuses both (uia §2.9: 403 operation changed;
// uia §2.5: 403 Invalid auth), and the binding properties catch the mutants that let them through.
import { describe, expect, it } from 'vitest';
import type { ClientAction } from '../../../models/clients/workload.js';
import { forgetsBinding } from '../../../models/stores/mutants/forgets-binding.js';
import { ignoresUser } from '../../../models/stores/mutants/ignores-user.js';
import { FACTS } from '../../../models/synapse/facts.js';
import { runCase, type Case } from '../../../models/world.js';
import { checkCase } from '../../../properties/check-case.js';
import { asStrategy } from '../../../scripts/mutant-table.js';
import { caseOf, client, responses, START } from '../helpers.js';

const PASSWORD: ClientAction = { kind: 'direct', stage: 'm.login.password' };
const WRONG_OPERATION: ClientAction = { kind: 'wrong-operation', operation: 'deactivate' };
const OTHER_USER: ClientAction = { kind: 'other-user' };

/** A password change completed with the password stage, then both steps on its session. */
function reuseCase(strategy: 'sql' | 'memory-1.8', steps: readonly ClientAction[]): Case {
  const c = caseOf(strategy, [client([START, PASSWORD, ...steps], { operation: 'password' })]);
  return { ...c, profile: strategy === 'sql' ? 'head' : '1.8', workload: { name: 'session-reuse', clients: c.workload.clients } };
}

describe('session-reuse steps against Synapse (sql, head)', () => {
  it('another operation with the session: 403 "Requested operation has changed" (uia §2.9), and nothing runs', () => {
    const result = runCase(reuseCase('sql', [WRONG_OPERATION]));
    const answers = responses(result).map((r) => `${r.status} ${r.detail}`);
    expect(answers[1]).toMatch(/^200/);
    expect(answers[2]).toMatch(/^401/); // the deactivation's own session
    expect(answers[3]).toMatch(/^403 .*operation has changed/);
    expect(result.facts.filter((f) => f.name === FACTS.operation).map((f) => f.detail)).toEqual(['POST /_matrix/client/r0/account/password']);
    expect(checkCase(reuseCase('sql', [WRONG_OPERATION]), 'operation-binding').violation).toBeNull();
  });

  it('the session under a second account: 403 Invalid auth (uia §2.5), and nothing runs for it', () => {
    const result = runCase(reuseCase('sql', [OTHER_USER]));
    const answers = responses(result).map((r) => `${r.status} ${r.detail}`);
    expect(answers[2]).toMatch(/^403 .*Invalid auth/);
    expect(result.facts.filter((f) => f.name === FACTS.operation).map((f) => f.tags[0])).toEqual(['@usera:test']);
    expect(checkCase(reuseCase('sql', [OTHER_USER]), 'user-binding').violation).toBeNull();
  });

  it('1.8 binds no operation (operation-binding not applicable), but compares the user', () => {
    expect(checkCase(reuseCase('memory-1.8', [WRONG_OPERATION, OTHER_USER]), 'operation-binding').violation).toBeNull();
    expect(checkCase(reuseCase('memory-1.8', [WRONG_OPERATION, OTHER_USER]), 'user-binding').violation).toBeNull();
  });
});

describe('the binding mutants let them through, and the checkers see it', () => {
  it('forgets-binding: the deactivation runs on the password change\'s session', () => {
    const { violation } = checkCase(reuseCase('sql', [WRONG_OPERATION]), 'operation-binding', { strategy: asStrategy(forgetsBinding.store) });
    expect(violation?.why).toContain('which was created for POST /_matrix/client/r0/account/password');
  });

  it('ignores-user: the second account changes its password on the first account\'s password stage', () => {
    const { violation } = checkCase(reuseCase('sql', [OTHER_USER]), 'user-binding', { strategy: asStrategy(ignoresUser.store, ignoresUser.handlerDefects) });
    expect(violation?.why).toContain('for @useraother:test');
    expect(violation?.why).toContain('completed as @usera:test');
  });
});
