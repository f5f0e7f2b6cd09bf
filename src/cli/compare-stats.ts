/** The 95% interval of a per-run rate (docs/compare.md): the Wilson score interval, which stays
 * inside [0, 1] and is not degenerate at 0 or N violations (0 of 500 gives [0, 0.76%]). */
const Z_95 = 1.959963984540054;

export interface RateInterval {
  /** violations / runs */
  readonly rate: number;
  readonly low95: number;
  readonly high95: number;
}

export function wilsonInterval(violations: number, runs: number): RateInterval {
  if (runs <= 0) return { rate: 0, low95: 0, high95: 1 };
  const p = violations / runs;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * runs)) / (1 + z2 / runs);
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs))) / (1 + z2 / runs);
  // Rounded to 6 decimals so the JSON is the same bytes on every machine.
  const round = (x: number): number => Math.round(x * 1e6) / 1e6;
  return { rate: round(p), low95: violations === 0 ? 0 : round(Math.max(0, centre - half)), high95: violations === runs ? 1 : round(Math.min(1, centre + half)) };
}

/** A share as a short percentage: `<1%` for a small non-zero one, one decimal below 10%. */
export function percentText(share: number): string {
  if (share > 0 && share < 0.01) return '<1%';
  return `${Math.round(share * 100)}%`;
}
