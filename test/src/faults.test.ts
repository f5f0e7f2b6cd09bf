import { describe, expect, it } from 'vitest';
import { describeFault, NO_FAULTS } from '../../src/faults.js';

describe('describeFault', () => {
  it('describes a crash at a virtual time', () => {
    expect(describeFault({ kind: 'crash', node: 'reader1', atMs: 120, downMs: 5000 })).toBe('reader1 crashes at 120 ms and restarts 5000 ms later');
  });

  it('describes a crash anchored to the nth response to an actor', () => {
    expect(describeFault({ kind: 'crash', node: 'main', atMs: 3, after: { actor: 'app0', nthResponse: 2 }, downMs: 10 })).toBe(
      'main crashes 3 ms after the 2nd response to app0 and restarts 10 ms later',
    );
  });

  it('describes a partition', () => {
    expect(describeFault({ kind: 'partition', a: 'main', b: 'db', fromMs: 10, untilMs: 250 })).toBe('main and db are cut off from 10 to 250 ms');
  });

  it('describes a dropped request (from) and a dropped response (to)', () => {
    expect(describeFault({ kind: 'drop', actor: 'app0', direction: 'request', nth: 1 })).toBe('the 1st request from app0 is lost');
    expect(describeFault({ kind: 'drop', actor: 'browser1', direction: 'response', nth: 3 })).toBe('the 3rd response to browser1 is lost');
  });

  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [10, '10th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [101, '101st'],
    [111, '111th'],
    [112, '112th'],
    [113, '113th'],
    [1000, '1000th'],
  ])('writes the ordinal of %i as %s', (nth, ordinal) => {
    expect(describeFault({ kind: 'drop', actor: 'a', direction: 'request', nth })).toBe(`the ${ordinal} request from a is lost`);
  });

  it('has an empty NO_FAULTS plan', () => {
    expect(NO_FAULTS.faults).toEqual([]);
  });
});
