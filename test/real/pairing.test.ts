import { describe, expect, it } from 'vitest';
import type { ObserveEvent } from '../../src/trace.js';
import { pickReady, SessionCorrespondence, type Ready } from '../../real/pairing.js';

// Which ready real request stands for the model's next one (real/pairing.ts). No Synapse needed.
const BROWSER_A = 1;
const APP_A = 0;
const GET = 'GET fallback m.login.recaptcha';
const POST = 'POST fallback m.login.recaptcha';

function ready(actor: number, what: string, tags: readonly string[], session: string): Ready {
  return { actor, step: { what, tags, session } };
}

function sent(actor: number, detail: string, tags: readonly string[], key: string): ObserveEvent {
  return { kind: 'observe', atMs: 0, actor, msgId: 0, phase: 'sent', status: 0, servedBy: -1, key, detail, tags };
}

describe('pairing the model requests with the real clients', () => {
  it("the client's own fallback GET, ready first, does not stand for its browser tab's captcha POST", () => {
    // conform --real 1.13 --seed 1 (test/fixtures/real/captcha-two-tabs.ts): the client spawned
    // a tab for the captcha, and its own later captcha fallback (after a think time the real run
    // skips) has its GET ready before the tab's POST.
    const queue = [ready(APP_A, 'POST /register', [], 'real-a'), ready(BROWSER_A, GET, [], 'real-a'), ready(BROWSER_A, POST, ['m.login.recaptcha'], 'real-a')];
    expect(pickReady(queue, sent(BROWSER_A, POST, ['m.login.recaptcha'], 'model-a'), () => 'real-a')).toBe(2);
    expect(pickReady(queue, sent(BROWSER_A, GET, [], 'model-a'), () => 'real-a')).toBe(1);
  });

  it('of two alike requests, the one for the corresponding real session', () => {
    const queue = [ready(BROWSER_A, POST, ['m.login.recaptcha'], 'real-1'), ready(BROWSER_A, POST, ['m.login.recaptcha'], 'real-2')];
    const sessions = new SessionCorrespondence();
    sessions.learn('model-2', 'real-2');
    sessions.learn('model-1', 'real-1');
    expect(pickReady(queue, sent(BROWSER_A, POST, ['m.login.recaptcha'], 'model-2'), sessions.real)).toBe(1);
    expect(pickReady(queue, sent(BROWSER_A, POST, ['m.login.recaptcha'], 'model-1'), sessions.real)).toBe(0);
    // An unknown model session: the first alike request.
    expect(pickReady(queue, sent(BROWSER_A, POST, ['m.login.recaptcha'], 'model-3'), sessions.real)).toBe(0);
  });

  it("the actor's first ready request when none is alike (the real client went another way), -1 when it has none", () => {
    const queue = [ready(APP_A, 'POST /register', [], ''), ready(BROWSER_A, GET, [], 'real-a')];
    expect(pickReady(queue, sent(BROWSER_A, 'POST fallback m.login.terms', ['m.login.terms'], 'model-a'), () => undefined)).toBe(1);
    expect(pickReady(queue, sent(2, 'POST /register', [], ''), () => undefined)).toBe(-1);
  });

  it('learns a model session once, from the first paired answers naming one', () => {
    const sessions = new SessionCorrespondence();
    sessions.learn('', 'real-x');
    sessions.learn('model-a', '');
    expect(sessions.real('model-a')).toBeUndefined();
    sessions.learn('model-a', 'real-a');
    sessions.learn('model-a', 'real-b');
    expect(sessions.real('model-a')).toBe('real-a');
  });
});
