// Every account operation end to end through runCase: seeded accounts, the router's map, the
// profile's mounts, the endpoint and its `operation` fact (uia §3.1, §3.2, §3.4).
import { describe, expect, it } from 'vitest';
import type { ClientSpec, Operation } from '../../../../models/clients/workload.js';
import { runCase, type Case } from '../../../../models/world.js';
import { client } from '../../helpers.js';

const OPERATIONS: readonly Operation[] = ['password', 'deactivate', '3pid-add', 'delete-devices', 'delete-device', 'cross-signing', 'login-token'];

function caseFor(operation: Operation, strategy: string, profile: Case['profile']): Case {
  const spec: ClientSpec = { ...client([{ kind: 'start' }, { kind: 'direct', stage: 'm.login.password' }]), operation, persistent: true };
  return {
    strategy,
    profile,
    faultProfile: 'steady',
    workload: { clients: [spec] },
    faultPlan: { faults: [] },
    tapes: { actors: [[], []], shared: [] },
    seed: 1,
  };
}

describe('account operations in a deployment', () => {
  for (const operation of OPERATIONS) {
    it(`${operation} (sql, head: HEAD's documented worker list): the operation runs once for the authenticated requester`, () => {
      const result = runCase(caseFor(operation, 'sql', 'head'));
      const ops = result.facts.filter((f) => f.name === 'operation');
      expect(ops.length).toBeGreaterThanOrEqual(1);
      for (const op of ops) expect(op.tags).toEqual(['@usera:test', '@usera:test']);
      const last = result.observations.filter((o) => o.phase === 'received').at(-1);
      expect(last?.status).toBe(200);
    });
  }

  it('uia §3.1, §3.2: under head the sql routing sends device deletion to a worker, password change to main', () => {
    const names = (operation: Operation): string[] => {
      const result = runCase(caseFor(operation, 'sql', 'head'));
      return result.observations.filter((o) => o.phase === 'received').map((o) => result.nodeNames[o.servedBy] ?? '?');
    };
    for (const name of names('delete-devices')) expect(name).toMatch(/^reader/);
    for (const name of names('password')) expect(name).toBe('main');
  });

  it('memory-1.8 (its docs: everything but /register to main): deactivation works on main', () => {
    const result = runCase(caseFor('deactivate', 'memory-1.8', '1.8'));
    expect(result.facts.filter((f) => f.name === 'operation')).toHaveLength(1);
  });
});
