import { holds, row, violated, type Expectation, type ExpectationTable } from './row.js';

/** #5450: a final /register whose account exists but whose session does not say so yet
 * (registered_user_id is written after register_user, not atomically, uia §2.10). Observed in
 * every row and every column but slow-user at seed 1 (compare --property exactly-once): a
 * client whose final request is slow times out and retries while the first is in flight (no
 * fault needed: steady shows it), both pass UIA before registered_user_id is written, and the
 * retry gets "User ID already taken". */
const RACE_5450 =
  'a final /register is retried while the first is still in flight (the client times out; no fault needed): both pass UIA before registered_user_id is written, and the retry gets "User ID already taken" (#5450, open; uia §2.10)';

/** A crash column reaches the same race, and a crash between the two writes besides. */
const RESTART_RETRY = `${RACE_5450}; a restart between register_user and the write of registered_user_id (uia §2.10, steps 7-8 are separate) does the same`;

/** Slow users (pauses of hours to days between steps) reach #5450 only when a final request is
 * retried within its own round trip: main-only and sticky-ip show it in the slow-user column at
 * seed 1 (run 1,420 of the shared 1.8 cases); the other rows did not within 3,000 runs
 * (memory-1.8: 20,000). Expected `holds` there, so a violation is reported, not hidden. */
const SLOW_USERS =
  "not reached in this column: slow-user clients pause for hours between steps and #5450 needs a final /register retried within its own round trip; not found in 3,000 runs at seed 1 (memory-1.8: 20,000), though main-only's routing reaches it on the same 1.8 cases";

const everyColumnBut = (slowUser: Expectation) =>
  row(violated(RACE_5450), {
    'worker-restart': violated(RESTART_RETRY),
    'main-restart': violated(RESTART_RETRY),
    'rolling-deploy': violated(RESTART_RETRY),
    'store-restart': violated(RESTART_RETRY),
    'slow-user': slowUser,
  });

/** exactly-once: one account per session; a session's successes name one user; a retry never
 * gets M_USER_IN_USE for the session's own account. */
export const EXACTLY_ONCE: ExpectationTable = {
  'memory-1.8': everyColumnBut(holds(SLOW_USERS)),
  'pinned-1.12': everyColumnBut(holds(SLOW_USERS)),
  'main-only': everyColumnBut(violated(`${RACE_5450}; rare among slow users (run 1,420 at seed 1)`)),
  'sticky-ip': everyColumnBut(violated(`${RACE_5450}; rare among slow users (run 1,420 at seed 1)`)),
  'sticky-cookie': everyColumnBut(holds(SLOW_USERS)),
  'session-hash': everyColumnBut(holds(SLOW_USERS)),
  'main-rpc': everyColumnBut(holds(SLOW_USERS)),
  'redis-blob': everyColumnBut(holds(SLOW_USERS)),
  'redis-hash': everyColumnBut(holds(SLOW_USERS)),
  sql: everyColumnBut(holds(SLOW_USERS)),
  'sql-cached': everyColumnBut(holds(SLOW_USERS)),
};
