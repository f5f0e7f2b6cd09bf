import { describe, expect, it } from 'vitest';
import { RunBeacon } from '../../src/run/run-beacon.js';

describe('RunBeacon: what a stuck worker was running, read by its supervisor', () => {
  it('counts runs, keeps the last recorded subject, and tells an unrecorded run from one that did not fit', () => {
    const beacon = new RunBeacon(RunBeacon.allocate(64));
    const supervisor = new RunBeacon(beacon.buffer);
    expect(supervisor.runsStarted()).toBe(0);
    expect(supervisor.lastSubject()).toBeNull();
    expect(supervisor.lastRunUnrecorded()).toBe(false);

    beacon.started({ case: 1 });
    expect(supervisor.runsStarted()).toBe(1);
    expect(supervisor.lastSubject()).toEqual({ case: 1 });
    expect(supervisor.lastRunUnrecorded()).toBe(false);

    // A scan's run: the supervisor rebuilds it from its index.
    beacon.startedUnrecorded();
    expect(supervisor.runsStarted()).toBe(2);
    expect(supervisor.lastSubject()).toBeNull();
    expect(supervisor.lastRunUnrecorded()).toBe(true);

    // Too large for the buffer: no subject, and not to be rebuilt as if it were a scan's run.
    beacon.started({ case: 'x'.repeat(100) });
    expect(supervisor.runsStarted()).toBe(3);
    expect(supervisor.lastSubject()).toBeNull();
    expect(supervisor.lastRunUnrecorded()).toBe(false);
  });
});
