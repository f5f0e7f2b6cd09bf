import seedrandom from 'seedrandom';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LETTERS_POW5 = 52 ** 5;

/**
 * A seeded stream of random data (IDs, tokens). Control flow never draws from here: it goes
 * through the Chooser, so that tapes can shrink it.
 *
 * A child stream is derived from (root seed, label path), never from the parent's draws, so
 * creating a new child (a restarted process, one more client) never shifts any other stream.
 * Labels carry a process's incarnation (`reader1#2`) so a restarted process never re-issues
 * the session IDs of its previous life.
 */
export class Rng {
  /** Built on the first draw: most streams of a run (a database node, an idle worker) never
   * draw, and seeding costs more than a thousand draws. */
  private next: (() => number) | null = null;

  constructor(
    readonly rootSeed: number,
    readonly labelPath: string,
  ) {}

  child(label: string): Rng {
    return new Rng(this.rootSeed, this.labelPath === '' ? label : `${this.labelPath}/${label}`);
  }

  /** An unsigned 32-bit integer. */
  u32(): number {
    // xor128: fast and good enough for IDs; never seedrandom's default ARC4 in a hot loop
    // (toolchain.md, PRNG benchmark).
    this.next ??= seedrandom.xor128(`${this.rootSeed}/${this.labelPath}`).int32;
    return this.next() >>> 0;
  }

  /** An integer in [0, n); the bias of at most n/2^32 is irrelevant here. */
  int(n: number): number {
    return Math.floor((this.u32() * n) / 4294967296);
  }

  /** `length` letters a-z, A-Z, as Synapse's `random_string` makes session IDs (uia §2.4).
   * One 32-bit draw gives five letters (52^5 < 2^32): the IDs are uniform up to a bias of
   * 52^5/2^32 per letter group, irrelevant here, for a fifth of the draws. */
  letters(length: number): string {
    let out = '';
    let pool = 0;
    let left = 0;
    for (let i = 0; i < length; i++) {
      if (left === 0) {
        pool = this.int(LETTERS_POW5);
        left = 5;
      }
      out += LETTERS[pool % 52];
      pool = Math.floor(pool / 52);
      left--;
    }
    return out;
  }
}
