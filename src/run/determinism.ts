import { traceToText } from '../report/trace-text.js';
import type { TraceEvent } from '../trace.js';

/** Where two runs of the same case part ways: the first event that differs, in words. */
export interface Divergence {
  /** 0-based index of the first differing event. */
  readonly index: number;
  /** That event in each run (trace-text form), or "(the run ends here)". */
  readonly first: string;
  readonly second: string;
}

/** The first event at which two captured runs of one case differ, or null when they agree. */
export function firstDivergence(a: readonly TraceEvent[], b: readonly TraceEvent[], nodeNames: readonly string[]): Divergence | null {
  const line = (events: readonly TraceEvent[], i: number): string => {
    const e = events[i];
    return e === undefined ? '(the run ends here)' : traceToText([e], nodeNames).trim().replace(/\s+/g, ' ');
  };
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const first = line(a, i);
    const second = line(b, i);
    if (first !== second) return { index: i, first, second };
  }
  return null;
}

export function describeDivergence(d: Divergence): string[] {
  return [`the two runs part at event ${d.index + 1}:`, `  first run:  ${d.first}`, `  second run: ${d.second}`];
}
