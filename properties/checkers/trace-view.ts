import type { FactEvent, ObserveEvent } from '../../src/trace.js';

/**
 * Small views over a run's trace shared by the checkers: where each request sits, who served a
 * response, and which client observation shows a server-side fact.
 */

/** A client-side request: where it sits in the observations and its number among the requests. */
export interface SentRequest {
  readonly index: number;
  readonly event: ObserveEvent;
  /** 1-based, over every client-side actor (the `requests` of a Violation). */
  readonly requestNumber: number;
}

/** The requests of a run by id. A response to a request never sent is a broken trace. */
export function indexRequests(observations: readonly ObserveEvent[]): Map<number, SentRequest> {
  const requests = new Map<number, SentRequest>();
  let count = 0;
  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') requests.set(event.msgId, { index: i, event, requestNumber: ++count });
  }
  return requests;
}

export function requestOf(requests: ReadonlyMap<number, SentRequest>, response: ObserveEvent, checker: string): SentRequest {
  const request = requests.get(response.msgId);
  if (request === undefined) throw new Error(`${checker}: a response to request ${response.msgId} that was never sent`);
  return request;
}

/** The process that answered, or the router for its own answers (a 502). */
export function servedName(event: ObserveEvent, nodeNames: readonly string[]): string {
  return event.servedBy >= 0 ? (nodeNames[event.servedBy] ?? `node ${event.servedBy}`) : 'the router';
}

/** A response as a newcomer reads it: `401 naming X listing [a, b]`, `200 @u:test`, `400 M_...`. */
/** The answering process has no servlet for the path (it does not mount the endpoint): a 404,
 * or M_UNRECOGNIZED under any status (400 up to v1.66 at least, Profile.unrecognizedStatus). Not
 * an answer about the session or the operation. */
export function isNotServed(event: ObserveEvent): boolean {
  return event.status === 404 || event.detail.startsWith('M_UNRECOGNIZED');
}

export function describeAnswer(event: ObserveEvent): string {
  if (event.status === 401) return `a 401 naming ${event.key} listing completed [${event.tags.join(', ')}]`;
  if (event.detail === 'page:success') return `the fallback success page for ${event.key}`;
  return `a ${event.status}${event.detail === '' ? '' : ` ${event.detail}`}`;
}

/** A 2xx answer that ran the request's operation (not a fallback page). */
export function isOperationSuccess(event: ObserveEvent): boolean {
  return event.status >= 200 && event.status < 300 && !event.detail.startsWith('page:');
}

export interface Pointer {
  readonly observationIndex: number;
  readonly event: ObserveEvent;
  readonly requests: number;
}

/**
 * The client observation that shows a server-side fact: the first response received at or
 * after the fact to a request about `session` (or naming it); else the first response received
 * at or after it; else the last response of the run (nobody saw the fact: the run ended first,
 * or every later response was lost); else the last request sent.
 */
export function pointAtFact(observations: readonly ObserveEvent[], requests: ReadonlyMap<number, SentRequest>, fact: FactEvent, session: string): Pointer {
  let firstAfter = -1;
  let lastReceived = -1;
  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase !== 'received') continue;
    if (event.atMs < fact.atMs) {
      lastReceived = i;
      continue;
    }
    const about = requests.get(event.msgId)?.event.key;
    if (session !== '' && (about === session || event.key === session)) return pointer(observations, requests, i);
    if (firstAfter < 0) firstAfter = i;
  }
  if (firstAfter >= 0) return pointer(observations, requests, firstAfter);
  if (lastReceived >= 0) return pointer(observations, requests, lastReceived);
  for (let i = observations.length - 1; i >= 0; i--) if ((observations[i] as ObserveEvent).phase === 'sent') return pointer(observations, requests, i);
  throw new Error(`a ${fact.name} fact in a run without a single client request`);
}

export function pointer(observations: readonly ObserveEvent[], requests: ReadonlyMap<number, SentRequest>, index: number): Pointer {
  const event = observations[index] as ObserveEvent;
  const request = requests.get(event.msgId);
  return { observationIndex: index, event, requests: request?.requestNumber ?? 0 };
}

/** The facts of one name, by key, in trace order. */
export function factsByKey(facts: readonly FactEvent[], name: string): Map<string, FactEvent[]> {
  const byKey = new Map<string, FactEvent[]>();
  for (const fact of facts) {
    if (fact.name !== name) continue;
    let list = byKey.get(fact.key);
    if (list === undefined) {
      list = [];
      byKey.set(fact.key, list);
    }
    list.push(fact);
  }
  return byKey;
}

/** The latest of `facts` (in trace order) at or before `atMs`, or undefined. */
export function latestAtOrBefore(facts: readonly FactEvent[] | undefined, atMs: number): FactEvent | undefined {
  let latest: FactEvent | undefined;
  if (facts !== undefined) for (const fact of facts) if (fact.atMs <= atMs) latest = fact;
  return latest;
}
