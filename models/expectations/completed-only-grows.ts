import { holds, row, rows, STRATEGIES_1_8, violated, type ExpectationTable } from './row.js';

/** completed-only-grows: the `completed` list of 401s naming a session, in real-time order. */
export const COMPLETED_ONLY_GROWS: ExpectationTable = {
  ...rows(
    STRATEGIES_1_8,
    row(
      holds(
        "each process's dict only ever adds stages (uia §2.2, no yields: atomic); a session a process lost or never held comes back under another ID (a 401 naming another session, progress-never-lost's loss), never as a shorter list",
      ),
    ),
  ),
  'main-rpc': row(holds("one copy on main, each store call one atomic step there; a lost copy means 400 unknown session, never a shorter list")),
  'redis-blob': row(
    violated(
      'a lost update: a fallback stage and a direct stage of one session at once read the same blob and the later SET drops the earlier stage; both must answer before the next request, so it is rare (seen under main-restart, rolling-deploy, partition in 200 runs, with no fault involved)',
    ),
  ),
  'redis-hash': row(holds('one HSET per stage, nothing read-modify-written (uia §2.7 semantics); a lost Redis means 400 unknown session, not a shorter list')),
  sql: row(holds('#7302: per-stage upserts in one durable database; rows are only added until the sweep (uia §2.7, uia §6.2)')),
  'sql-cached': row(violated("a worker answers from its cache before the replication stream's invalidation arrives: a stage another worker listed is missing"), {
    'slow-user': violated('slow users rarely send the next request within the replication lag'),
  }),
};
