import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeToken, encodeToken, TOKEN_PREFIX, TokenError } from '../../src/run/token.js';

const PAYLOAD = {
  format: 1,
  strategy: 'memory-1.8',
  workload: { clients: [{ kind: 'app', stages: ['m.login.recaptcha', 'm.login.terms'] }] },
  faultPlan: { faults: [{ kind: 'crash', node: 'reader1', atMs: 120, downMs: 5000 }] },
  tapes: { actors: [[1, 0, 2], []], shared: [3] },
  seed: 42,
  note: 'ünïcödé ✓',
};

/** A token with a valid checksum over any body, to reach the decoder's later checks. */
const forge = (body: string): string => `${TOKEN_PREFIX}.${body}.${createHash('sha256').update(body).digest('hex').slice(0, 10)}`;

const CHECKSUM_MISMATCH = 'replay token checksum mismatch: the token is truncated or was changed';
const NOT_A_TOKEN = `not a replay token: expected ${TOKEN_PREFIX}.<data>.<checksum>`;

function decodeError(token: string): string {
  try {
    decodeToken(token);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as Error).message;
  }
  throw new Error(`token decoded: ${token}`);
}

describe('canonicalJson', () => {
  it('ignores key order at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: [{ x: 2, y: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('keeps array order and drops undefined fields', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

describe('replay token', () => {
  it('round-trips a payload', () => {
    const token = encodeToken(PAYLOAD);
    expect(token.startsWith(`${TOKEN_PREFIX}.`)).toBe(true);
    expect(token).toMatch(/^uiasim1\.[A-Za-z0-9_-]+\.[0-9a-f]{10}$/);
    expect(decodeToken(token)).toEqual(PAYLOAD);
  });

  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON normalises -0 to 0.
        expect(decodeToken(encodeToken(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('gives the same token whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(PAYLOAD).reverse());
    expect(encodeToken(reordered)).toBe(encodeToken(PAYLOAD));
  });

  it('tolerates surrounding whitespace', () => {
    expect(decodeToken(`  ${encodeToken(PAYLOAD)}\n`)).toEqual(PAYLOAD);
  });

  it('rejects a truncated token', () => {
    const token = encodeToken(PAYLOAD);
    expect(decodeError(token.slice(0, -1))).toBe(CHECKSUM_MISMATCH);
    const [prefix, body] = token.split('.') as [string, string, string];
    expect(decodeError(`${prefix}.${body}`)).toBe(NOT_A_TOKEN);
    expect(decodeError(`${prefix}.${body.slice(0, body.length - 5)}`)).toBe(NOT_A_TOKEN);
    expect(decodeError(token.slice(0, token.length - 11))).toBe(NOT_A_TOKEN);
    expect(decodeError('')).toBe(NOT_A_TOKEN);
  });

  it('rejects a token with any one character of its data changed', () => {
    const token = encodeToken(PAYLOAD);
    const [prefix, body, sum] = token.split('.') as [string, string, string];
    for (let i = 0; i < body.length; i++) {
      const replacement = body[i] === 'A' ? 'B' : 'A';
      const tampered = `${prefix}.${body.slice(0, i)}${replacement}${body.slice(i + 1)}.${sum}`;
      expect(decodeError(tampered)).toBe(CHECKSUM_MISMATCH);
    }
  });

  it('rejects a changed checksum', () => {
    const token = encodeToken(PAYLOAD);
    const last = token.at(-1) === '0' ? '1' : '0';
    expect(decodeError(token.slice(0, -1) + last)).toBe(CHECKSUM_MISMATCH);
    expect(decodeError(`${token}0`)).toBe(CHECKSUM_MISMATCH);
  });

  it('rejects a wrong prefix', () => {
    const token = encodeToken(PAYLOAD);
    expect(decodeError(token.replace(/^uiasim1/, 'uiasim2'))).toBe(NOT_A_TOKEN);
    expect(decodeError(token.replace(/^uiasim1\./, ''))).toBe(NOT_A_TOKEN);
    expect(decodeError(`x${token}`)).toBe(NOT_A_TOKEN);
  });

  it('rejects data that is not deflate, or not JSON, even with a valid checksum', () => {
    expect(decodeError(forge('_____w'))).toBe('replay token data is corrupt');
    expect(decodeError(forge(deflateRawSync(Buffer.from('{"a":', 'utf8')).toString('base64url')))).toBe('replay token data is not JSON');
  });
});
