import { holds, row, rows, violated, type ExpectationTable } from './row.js';

/** #5450 and its relatives: a final /register whose account exists but whose session does not
 * say so yet (registered_user_id is written after register_user, not atomically, ref 2.10). */
const RACE_5450 =
  'a final /register held up (a partition, a slow store) while the client times out and retries: both pass UIA before registered_user_id is written, and one gets "User ID already taken" (#5450, open; ref 2.10)';
const RESTART_RETRY =
  'a restart after the account was created but before the answer: the retry reaches a process without the session, 1.8 silently starts a fresh one (ref 2.2) and registers another user';

/** Found by compare (redis-blob, rolling-deploy, seed 7): the process serving the final request
 * crashes after register_user and before registered_user_id is written (ref 2.10: two separate
 * steps); the retry passes UIA again and the name is taken. */
const CRASH_BETWEEN =
  'a crash of the process serving the final /register after register_user and before registered_user_id is written (ref 2.10, steps 7-8 are separate): the retry registers again and gets "User ID already taken" (found on redis-blob under rolling-deploy)';

/** exactly-once: one account per session; a session's successes name one user; a retry never
 * gets M_USER_IN_USE for the session's own account. */
export const EXACTLY_ONCE: ExpectationTable = {
  'memory-1.8': row(holds('registered_user_id (ref 2.10) answers a retry with the same account; every /register of a session reaches reader1'), {
    'worker-restart': violated(RESTART_RETRY),
    'rolling-deploy': violated(RESTART_RETRY),
    partition: violated(RACE_5450),
  }),
  'pinned-1.12': row(holds('registered_user_id (ref 2.10) answers a retry with the same account; every /register reaches the pinned worker'), {
    'worker-restart': violated(RESTART_RETRY),
    'rolling-deploy': violated(RESTART_RETRY),
    partition: violated(RACE_5450),
  }),
  'main-only': row(holds('registered_user_id (ref 2.10) answers a retry with the same account; one process'), {
    'main-restart': violated(RESTART_RETRY),
    'rolling-deploy': violated(RESTART_RETRY),
    partition: violated(RACE_5450),
  }),
  ...rows(
    ['sticky-ip', 'sticky-cookie', 'session-hash'],
    row(holds("registered_user_id (ref 2.10) answers a retry with the same account; the app's requests keep to one process"), {
      'worker-restart': violated(RESTART_RETRY),
      'main-restart': violated(RESTART_RETRY),
      'rolling-deploy': violated(RESTART_RETRY),
      'ip-change': violated(`after the move the retry reaches another process: ${RESTART_RETRY}`),
      partition: violated(RACE_5450),
    }),
  ),
  ...rows(
    ['main-rpc', 'redis-blob', 'redis-hash'],
    row(holds('registered_user_id (ref 2.10) answers a retried final request with the same account, whichever process serves it; a store that loses the session answers the retry 400 unknown session, not a second account'), {
      'worker-restart': violated(CRASH_BETWEEN),
      'rolling-deploy': violated(CRASH_BETWEEN),
      partition: violated(RACE_5450),
    }),
  ),
  ...rows(
    ['sql', 'sql-cached'],
    row(holds('registered_user_id (ref 2.10) answers a retried final request with the same account, whichever process serves it'), {
      'store-restart': violated(
        'the database restarts between register_user and the separate write of registered_user_id (ref 2.10, steps 7-8 are not one transaction): the retry registers again and gets "User ID already taken" (found on sql, 1 run in 200)',
      ),
      'worker-restart': violated(CRASH_BETWEEN),
      'rolling-deploy': violated(CRASH_BETWEEN),
      partition: violated(RACE_5450),
    }),
  ),
};
