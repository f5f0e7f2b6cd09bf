// A request's attempts are made in two places (docs/architecture.md "Clients"): by `Client` in the
// simulation, and by `withRetries` for drivers that step through every attempt (clientScript).
// Both must make the same attempts, backoffs and budget stops for the same answers: this drives
// each with one list of answers and compares what they send and how long they pause.
import { describe, expect, it } from 'vitest';
import { Client } from '../../../models/clients/client-node.js';
import { TIMED_OUT } from '../../../models/clients/client-script.js';
import { RETRY_BACKOFF_MS } from '../../../models/clients/operations.js';
import { MAX_REQUESTS_PER_CLIENT, type ClientSpec } from '../../../models/clients/workload.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { makeMessage, type Message } from '../../../src/message.js';
import type { Sim, SimNode } from '../../../src/sim.js';
import { client, driveScript, RESUBMIT, START } from '../helpers.js';

type Answer = 'timeout' | HttpResponse;
/** What a client did: sent a request (its body), or paused (a think time, a retry's backoff). */
type Event = readonly ['send', string] | readonly ['pause', number];

const sent = (request: HttpRequest): Event => ['send', JSON.stringify(request.body)];

/** clientScript (withRetries) driven by hand (the unit tests' driver): each http step gets the next answer. */
function byHand(spec: ClientSpec, answers: readonly Answer[]): Event[] {
  const steps = driveScript(spec, (_step, i) => {
    const answer = answers[i] ?? 'timeout';
    return answer === 'timeout' ? TIMED_OUT : answer;
  });
  return steps.map((s): Event => {
    if (s.kind === 'spawn') throw new Error('attempts test: no second tabs here');
    return s.kind === 'pause' ? ['pause', s.ms] : sent(s.request);
  });
}

/** The same client as the simulation runs it: a Client on a stand-in Sim that records what it
 * sends and its timers, answers each request with the next answer (or fires its timeout), and
 * fires every other timer (a pause, a retry's backoff) when it is the only thing pending. */
function inSimulation(spec: ClientSpec, answers: readonly Answer[]): Event[] {
  const events: Event[] = [];
  const nodes: SimNode[] = [];
  const pending: Message[] = [];
  let nextId = 1;
  const sim = {
    nowMs: 0,
    trace: { observe: () => undefined },
    addNode: <N extends SimNode>(build: (id: number) => N): N => {
      const node = build(nodes.length);
      nodes.push(node);
      return node;
    },
    send: (kind: 'request', from: number, to: number, _owner: number, replyTo: number, _incarnation: number, payload: HttpRequest): Message => {
      const m = makeMessage(kind, nextId++, from, to, 0, replyTo, -1, payload);
      pending.push(m);
      events.push(sent(payload));
      return m;
    },
    setTimer: (node: SimNode, delayMs: number, _owner: number, payload: unknown): Message => {
      const m = makeMessage('timer', nextId++, node.id, node.id, 0, -1, -1, payload);
      // A request's timeout fires only when its answer is 'timeout'; every other timer is a pause.
      if ((payload as { kind: string }).kind !== 'timeout') events.push(['pause', delayMs]);
      pending.push(m);
      return m;
    },
    cancel: (m: Message) => {
      m.cancelled = true;
    },
  } as unknown as Sim;
  let finished = false;
  const c = new Client(sim, 0, spec, 99, () => (finished = true));
  let next = 0;
  c.start();
  for (let guard = 0; !finished && pending.length > 0; guard++) {
    if (guard > 10_000) throw new Error('attempts test: runaway client');
    const request = pending.find((m) => m.kind === 'request');
    if (request !== undefined) {
      pending.splice(pending.indexOf(request), 1);
      const timeout = pending.find((m) => m.kind === 'timer' && (m.payload as { requestId?: number }).requestId === request.id) as Message;
      const answer = answers[next++] ?? 'timeout';
      const endpoint = nodes[request.from] as SimNode;
      pending.splice(pending.indexOf(timeout), 1);
      endpoint.receive(answer === 'timeout' ? timeout : makeMessage('response', nextId++, 99, request.from, 0, request.id, -1, answer));
      continue;
    }
    const timer = pending.shift() as Message;
    (nodes[timer.to] as SimNode).receive(timer);
  }
  return events;
}

const challenge = httpResponse(401, { session: 'S', flows: [{ stages: ['m.login.dummy'] }], params: {}, completed: [] });
const serverError = httpResponse(500, { errcode: 'M_UNKNOWN', error: 'Internal server error' });

describe('Client and withRetries make the same attempts for the same answers', () => {
  const cases: readonly { name: string; spec: ClientSpec; answers: Answer[] }[] = [
    { name: 'no retries: one attempt per request', spec: client([START, RESUBMIT, RESUBMIT], { retries: 0 }), answers: [challenge, 'timeout', serverError] },
    { name: 'timeouts and 5xx retried, with the backoff', spec: client([START, RESUBMIT, RESUBMIT], { retries: 2 }), answers: ['timeout', serverError, challenge, serverError, 'timeout', 'timeout', challenge] },
    {
      name: 'out of requests: the budget stops the client mid-request',
      spec: client([START, ...Array.from({ length: 40 }, () => RESUBMIT)], { retries: 3 }),
      answers: [challenge, ...Array.from({ length: 200 }, (): Answer => serverError)],
    },
  ];
  for (const { name, spec, answers } of cases) {
    it(name, () => {
      const expected = byHand(spec, answers);
      expect(inSimulation(spec, answers)).toEqual(expected);
      if (spec.retries > 0) expect(expected).toContainEqual(['pause', RETRY_BACKOFF_MS]);
      if (name.startsWith('out of requests')) expect(expected.filter((e) => e[0] === 'send')).toHaveLength(MAX_REQUESTS_PER_CLIENT);
    });
  }
});
