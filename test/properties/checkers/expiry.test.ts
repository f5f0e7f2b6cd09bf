// The expiry judgement shared by progress-never-lost and completed-only-grows
// (properties/checkers/expiry.ts), on hand-built observation lists: no simulation.
import { describe, expect, it } from 'vitest';
import { PROFILES, SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';
import { SessionClocks } from '../../../properties/checkers/expiry.js';
import type { ObserveEvent } from '../../../src/trace.js';
import { HOUR, READER1, READER2, Story, X, Y } from './story.js';

/** Feeds a story's answers to 1.8's clocks in trace order, as the checkers do, and asks whether X
 * may legitimately be gone when a request about X sent at `sentMs` to `servedBy` is answered. */
function expiredAt(story: Story, sentMs: number, servedBy = READER1): boolean {
  const clocks = new SessionClocks(PROFILES['1.8']);
  const sent = new Map<number, ObserveEvent>();
  story.observations.forEach((o, index) => {
    if (o.phase === 'sent') sent.set(o.msgId, o);
    else {
      const request = sent.get(o.msgId) as ObserveEvent;
      clocks.noteCreation(request, o);
      clocks.noteTouch(request.key, request, o, index);
    }
  });
  const request: ObserveEvent = { kind: 'observe', atMs: sentMs, actor: 0, msgId: 1, phase: 'sent', status: 0, servedBy: -1, key: X, detail: 'POST /register', tags: [] };
  return clocks.expired(X, request, { ...request, atMs: sentMs + 5, phase: 'received', status: 401, servedBy, key: 'sessionZsessionZsessionZ' });
}

describe('SessionClocks, 1.8 (sliding and per process, uia §2.2)', () => {
  it('an answer of the process about X restarts X\'s 48 h there; an idle X is gone 48 h after its last use', () => {
    const story = Story.opening();
    expect(expiredAt(story, SESSION_EXPIRE_MS - 1)).toBe(false);
    expect(expiredAt(story, SESSION_EXPIRE_MS)).toBe(true);
    story.recv(10 * HOUR + 5, story.send(10 * HOUR, X), 401, { key: X });
    expect(expiredAt(story, SESSION_EXPIRE_MS)).toBe(false);
    expect(expiredAt(story, 10 * HOUR + SESSION_EXPIRE_MS)).toBe(true);
  });

  it('issue 11 (pinned-1.12, slow-user): a request that found X already gone (a 401 naming a fresh session) does not restart X\'s clock', () => {
    const story = Story.opening();
    // 49 h idle: reader1 pruned X and hands out Y for the request about X.
    story.recv(49 * HOUR + 5, story.send(49 * HOUR, X), 401, { key: Y });
    // X stays gone: a later request about X still finds it legitimately expired.
    expect(expiredAt(story, 49 * HOUR + 30)).toBe(true);
  });

  it('a 4xx other than 401 that names no session does not restart X\'s clock: 1.12 raises it after replacing a swept X', () => {
    // compare --workload registration, pinned-1.12 under slow-user, seed 1: X idle for 53 h,
    // then a 400 M_MISSING_PARAM (a registration-token stage 1.12 does not know) for a request
    // about X, answered after reader1 had replaced X with a fresh session.
    const story = Story.opening();
    story.recv(53 * HOUR + 5, story.send(53 * HOUR, X), 400, { detail: 'M_MISSING_PARAM:' });
    expect(expiredAt(story, 53 * HOUR + 10)).toBe(true);
    // A 401 naming X is the process holding X: its clock restarts.
    story.recv(54 * HOUR + 5, story.send(54 * HOUR, X), 401, { key: X });
    expect(expiredAt(story, 54 * HOUR + 10)).toBe(false);
  });

  it('a process that never held X cannot have let it expire; another process\'s clock is its own', () => {
    const story = Story.opening();
    expect(expiredAt(story, 100 * HOUR, READER2)).toBe(false);
    story.recv(10 * HOUR + 5, story.send(10 * HOUR, X), 401, { key: X, servedBy: READER2 });
    expect(expiredAt(story, SESSION_EXPIRE_MS, READER1)).toBe(true);
    expect(expiredAt(story, SESSION_EXPIRE_MS, READER2)).toBe(false);
  });
});
