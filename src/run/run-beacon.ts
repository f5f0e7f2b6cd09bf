/**
 * What a worker thread is running, readable by its supervisor while the worker is stuck: a
 * counter of runs started and the JSON of the last one's case, in shared memory. A run that
 * never returns (a plug-in store in `for (;;) {}`) blocks its thread for good, so nothing can be
 * asked of it afterwards; this is written before each run starts.
 */
export class RunBeacon {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly encoder = new TextEncoder();

  /** `buffer` from `RunBeacon.allocate()`, shared between the worker and its supervisor. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.bytes = new Uint8Array(buffer, 8);
  }

  /** 1 MiB for the case: a generated case is a few kilobytes. */
  static allocate(caseBytes = 1 << 20): SharedArrayBuffer {
    return new SharedArrayBuffer(8 + caseBytes);
  }

  /** Worker side: a run of `subject` starts now. */
  started(subject: unknown): void {
    // encode then copy: encodeInto straight into shared memory costs ~300 us (measured), a copy ~1.
    const encoded = this.encoder.encode(JSON.stringify(subject));
    const fits = encoded.length <= this.bytes.length;
    if (fits) this.bytes.set(encoded);
    Atomics.store(this.header, 1, fits ? encoded.length : -1);
    Atomics.add(this.header, 0, 1);
  }

  /** Worker side: a run starts now, not recorded (its supervisor can rebuild its subject from
   * the count: a scan's run index). Costs nothing next to a run, where `started` costs a JSON
   * encoding of the case. */
  startedUnrecorded(): void {
    Atomics.store(this.header, 1, 0);
    Atomics.add(this.header, 0, 1);
  }

  /** Whether the last run started was unrecorded (not one whose case did not fit). */
  lastRunUnrecorded(): boolean {
    return this.runsStarted() > 0 && Atomics.load(this.header, 1) === 0;
  }

  /** Runs started so far. */
  runsStarted(): number {
    return Atomics.load(this.header, 0);
  }

  /** The last run's subject, or null if none was written or it did not fit. */
  lastSubject(): unknown {
    const length = Atomics.load(this.header, 1);
    if (length <= 0 || this.runsStarted() === 0) return null;
    return JSON.parse(new TextDecoder().decode(this.bytes.slice(0, length))) as unknown;
  }
}
