/**
 * A 64-bit hash kept as two 32-bit lanes, cheap enough to fold at every delivery of an
 * exhaustive exploration (src/explore/history.ts). Not cryptographic: two states that collide
 * would be merged wrongly, which at 2^-64 per pair is far below the bound the scopes reach.
 */
export interface Hash2 {
  a: number;
  b: number;
}

// A lane is kept as a signed 32-bit integer, which V8 (64-bit, as Node ships it) stores as a
// small integer: as an unsigned one, every value of 2^31 or more was a heap number, allocated at
// every fold (measured: 8% of an exploration's bytes).
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Folds the integer `x` into lane `h` (order matters: fold(fold(h, x), y) != fold(fold(h, y), x)). */
export function fold(h: number, x: number): number {
  // Split x so values beyond 32 bits (virtual days in ms) still count in full.
  const low = x | 0;
  const high = Math.floor(x / 4294967296) | 0;
  return fmix(Math.imul(fmix(h ^ low) ^ high, 0x9e3779b1) + 0x7f4a7c15);
}

export const SEED_A = 0x243f6a88;
export const SEED_B = 0x13198a2e;
