import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  PASSWORD_HASH_CPU_MS,
  passwordHashOf,
  seedAccount,
  standardAccount,
  tokenInfo,
  verifyPassword,
  type TokenInfo,
  type UserRow,
} from '../../../models/synapse/accounts.js';
import { SynapseDatabase } from '../../../models/synapse/database.js';
import { DB_NODE, drive } from '../helpers.js';

const ctx = { database: DB_NODE };

describe('accounts', () => {
  it('seeds the contract account: user with a password hash, two devices, a token on the first', () => {
    const db = new SynapseDatabase();
    seedAccount(db, standardAccount('A'));
    const user = db.execute({ op: 'accounts.getUser', userId: '@usera:test' }, 0) as UserRow;
    expect(user.passwordHash).toBe(passwordHashOf('correct horse'));
    expect(db.execute({ op: 'accounts.listDevices', userId: '@usera:test' }, 0)).toEqual(['DEVA1', 'DEVA2']);
    const info = drive(tokenInfo(ctx, 'syt_usera_token'), db).value as TokenInfo;
    expect(info).toEqual({ userId: '@usera:test', deviceId: 'DEVA1', lastValidatedMs: 0 });
  });

  it('an SSO-only seed has no password hash and an external ID at the default IdP (uia §2.5)', () => {
    const db = new SynapseDatabase();
    seedAccount(db, { ...standardAccount('B'), password: null, externalIds: ['sub-b'] });
    expect((db.execute({ op: 'accounts.getUser', userId: '@userb:test' }, 0) as UserRow).passwordHash).toBeNull();
    expect(db.execute({ op: 'accounts.userByExternalId', externalId: { authProvider: 'oidc', externalId: 'sub-b' } }, 0)).toBe('@userb:test');
  });

  it('refuses to seed one user twice', () => {
    const db = new SynapseDatabase();
    seedAccount(db, standardAccount('A'));
    expect(() => seedAccount(db, standardAccount('A'))).toThrow(/seeded twice/);
  });

  it('hashing and checking a password are CPU effects of PASSWORD_HASH_CPU_MS each', () => {
    const db = new SynapseDatabase();
    const hashed = drive(hashPassword('pw'), db);
    expect(hashed.cpuMs).toBe(PASSWORD_HASH_CPU_MS);
    expect(drive(verifyPassword('pw', hashed.value), db)).toMatchObject({ value: true, cpuMs: PASSWORD_HASH_CPU_MS });
    expect(drive(verifyPassword('other', hashed.value), db).value).toBe(false);
    expect(drive(verifyPassword('pw', null), db)).toMatchObject({ value: false, cpuMs: 0 });
  });

  it('deleting a device deletes its access token; deactivation clears everything', () => {
    const db = new SynapseDatabase();
    seedAccount(db, { ...standardAccount('A'), threepids: [{ medium: 'email', address: 'a@example.org' }] });
    expect(db.execute({ op: 'accounts.deleteDevices', userId: '@usera:test', deviceIds: ['DEVA1', 'NOPE'] }, 0)).toEqual(['DEVA1']);
    expect(db.execute({ op: 'accounts.tokenInfo', accessToken: 'syt_usera_token' }, 0)).toBeUndefined();
    expect(db.execute({ op: 'accounts.deactivate', userId: '@usera:test' }, 0)).toBe(true);
    expect(db.execute({ op: 'accounts.getUser', userId: '@usera:test' }, 0)).toEqual({ passwordHash: null, deactivated: true });
    expect(db.execute({ op: 'accounts.listDevices', userId: '@usera:test' }, 0)).toEqual([]);
    expect(db.execute({ op: 'accounts.threepids', userId: '@usera:test' }, 0)).toEqual([]);
  });

  it('a 3PID binds to one user only (M_THREEPID_IN_USE)', () => {
    const db = new SynapseDatabase();
    const threepid = { medium: 'email', address: 'x@example.org', validatedAtMs: 1 };
    expect(db.execute({ op: 'accounts.addThreepid', userId: '@a:test', threepid }, 0)).toBe(true);
    expect(db.execute({ op: 'accounts.addThreepid', userId: '@b:test', threepid }, 0)).toBe(false);
    expect(db.execute({ op: 'accounts.userByThreepid', medium: 'email', address: 'x@example.org' }, 0)).toBe('@a:test');
  });
});
