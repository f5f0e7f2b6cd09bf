/**
 * Virtual time in milliseconds. It only jumps forward, to the due time of the event being run,
 * so days of simulated pauses cost nothing.
 */
export class Clock {
  private currentMs = 0;

  get nowMs(): number {
    return this.currentMs;
  }

  /** Moves to `timeMs` if it is later; an event due in the past (picked from the reorder
   * window after a later one) runs "now". */
  advanceTo(timeMs: number): void {
    if (timeMs > this.currentMs) this.currentMs = timeMs;
  }
}
