// Workload helpers (models/clients/workload.ts): actor numbering and planned request counts.
import { describe, expect, it } from 'vitest';
import { actorName, appActor, browserActor, countRequestsPlanned } from '../../../models/clients/workload.js';
import { client, direct, FALLBACK_RECAPTCHA, pause, RESUBMIT, START } from '../helpers.js';

describe('workload', () => {
  it('gives every client two actors, the app (even) and its browser (odd), named by letter', () => {
    expect([appActor(0), browserActor(0), appActor(2), browserActor(2)]).toEqual([0, 1, 4, 5]);
    expect([0, 1, 2, 3, 6, 7].map(actorName)).toEqual(['app A', 'browser A', 'app B', 'browser B', 'app D', 'browser D']);
  });

  it('counts the requests a client plans: a fallback that loads its page is two, a pause none', () => {
    expect(countRequestsPlanned(client([START, direct('m.login.terms'), FALLBACK_RECAPTCHA, { kind: 'fallback', stage: 'm.login.terms', loadsPage: true }, pause(5), RESUBMIT]))).toBe(6);
    expect(countRequestsPlanned(client([]))).toBe(0);
  });
});
