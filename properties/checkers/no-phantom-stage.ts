import { actorName } from '../../models/clients/workload.js';
import { FACTS } from '../../models/synapse/facts.js';
import type { FactEvent, ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { factsByKey, indexRequests, latestAtOrBefore, requestOf, servedName } from './trace-view.js';

/**
 * no-phantom-stage (docs/architecture.md "Properties"): a stage is shown only if its checker passed for that
 * very session. A stage S is shown for session X by a 401 naming X that lists S (uia §1.2) or a
 * fallback success page for X (uia §2.6). It is real only if a `stage-passed` fact for X and S
 * (uia §2.4 step 6, the checker passed) lies at or after X's latest `session-created` fact before
 * the response and at or before the moment the response was received.
 *
 * Catches: 1.8's fallback "success" for a session its process does not hold, whose stage went to
 * a throwaway session (uia §2.2, #6705); a session-ID collision (two sessions given one ID: the
 * second shows the first's stages, which passed before its creation); a stage shown for a session
 * nobody ever created.
 */
export function checkNoPhantomStage(observations: readonly ObserveEvent[], facts: readonly FactEvent[], nodeNames: readonly string[]): Violation | null {
  const requests = indexRequests(observations);
  const created = factsByKey(facts, FACTS.sessionCreated);
  const passed = factsByKey(facts, FACTS.stagePassed);

  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') continue;
    const request = requestOf(requests, event, 'no-phantom-stage');
    const x = event.key;
    const shows = (event.status === 401 || event.detail === 'page:success') && x !== '';
    if (!shows) continue;
    const creation = latestAtOrBefore(created.get(x), event.atMs);
    for (const stage of event.tags) {
      const real = creation !== undefined && (passed.get(x) ?? []).some((f) => f.detail === stage && f.atMs >= creation.atMs && f.atMs <= event.atMs);
      if (real) continue;
      const how = event.status === 401 ? `listed ${stage} as completed for session ${x}` : `showed the success page of ${stage} for session ${x}`;
      return {
        property: 'no-phantom-stage',
        observationIndex: i,
        event,
        requests: request.requestNumber,
        why: `${servedName(event, nodeNames)} ${how} in its answer to ${actorName(event.actor)}'s request ${request.requestNumber}, but ${whyPhantom(x, stage, creation, passed.get(x), facts, nodeNames, event.atMs)}.`,
      };
    }
  }
  return null;
}

/** What the facts say instead: why the stage shown is not one that passed for the session. */
function whyPhantom(
  x: string,
  stage: string,
  creation: FactEvent | undefined,
  passedForX: readonly FactEvent[] | undefined,
  facts: readonly FactEvent[],
  nodeNames: readonly string[],
  receivedMs: number,
): string {
  if (creation === undefined) return `no process ever created a session ${x}`;
  const createdOn = nodeNames[creation.node] ?? `node ${creation.node}`;
  const before = (passedForX ?? []).find((f) => f.detail === stage && f.atMs < creation.atMs);
  if (before !== undefined) {
    return `${stage} passed for ${x} at ${before.atMs} ms, before ${createdOn} created a session with the same ID ${x} again at ${creation.atMs} ms: two sessions share one ID`;
  }
  const elsewhere = facts.find((f) => f.name === FACTS.stagePassed && f.detail === stage && f.key !== x && f.atMs >= creation.atMs && f.atMs <= receivedMs);
  if (elsewhere !== undefined) return `${stage} passed for another session (${elsewhere.key}, on ${nodeNames[elsewhere.node] ?? `node ${elsewhere.node}`}), never for ${x} (created on ${createdOn})`;
  return `no checker passed ${stage} for ${x} since ${createdOn} created it at ${creation.atMs} ms`;
}
