import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const TOKEN_PREFIX = 'uiasim1';

/** A token that cannot be decoded: truncated, tampered, or not a token at all. */
export class TokenError extends Error {}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // No prototype: a `__proto__` key is an ordinary own property here, as JSON.parse makes it.
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 10);
}

/** `uiasim1.` + base64url(deflate(canonical JSON)) + `.` + checksum (docs/architecture.md "Replay token"). */
export function encodeToken(payload: unknown): string {
  const body = deflateRawSync(Buffer.from(canonicalJson(payload), 'utf8'), { level: 9 }).toString('base64url');
  return `${TOKEN_PREFIX}.${body}.${checksum(body)}`;
}

export function decodeToken(token: string): unknown {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) {
    throw new TokenError(`not a replay token: expected ${TOKEN_PREFIX}.<data>.<checksum>`);
  }
  const [, body, sum] = parts as [string, string, string];
  if (sum.length !== 10 || checksum(body) !== sum) {
    throw new TokenError('replay token checksum mismatch: the token is truncated or was changed');
  }
  let text: string;
  try {
    text = inflateRawSync(Buffer.from(body, 'base64url')).toString('utf8');
  } catch {
    throw new TokenError('replay token data is corrupt');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TokenError('replay token data is not JSON');
  }
}
