/**
 * The server-side facts a Synapse process writes to the trace (`fact` events). Clients never see
 * them; the checkers that judge the server read them (docs/architecture.md "Properties"):
 * - `session-created`: key the session ID, detail `METHOD uri` of the creating request.
 * - `stage-passed`: key the session, detail the stage type, tags `[result]`: a checker passed
 *   (uia §2.4 step 6), whether or not the store then kept it.
 * - `operation`: key the session, detail `METHOD uri`, tags `[requester, authenticated user]`
 *   ('' where there is none): the endpoint ran its operation after UIA completed.
 * - `account-created`: key the session, detail the user ID (registration, uia §2.11 step 7).
 * - `sweep`: detail the expiry threshold in ms, tags `[sessions deleted]` (uia §2.8).
 */
export const FACTS = {
  sessionCreated: 'session-created',
  stagePassed: 'stage-passed',
  operation: 'operation',
  accountCreated: 'account-created',
  sweep: 'sweep',
} as const;

export type FactName = (typeof FACTS)[keyof typeof FACTS];

/** Writes one fact, stamped with the virtual time and this process's node. */
export type FactWriter = (name: FactName, key: string, detail: string, tags?: readonly string[]) => void;

/** A stage result as the fact's tag: strings as they are, anything else as JSON. */
export function resultTag(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result) ?? 'undefined';
}
