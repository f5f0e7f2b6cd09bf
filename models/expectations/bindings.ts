import { holds, row, rows, STRATEGIES_1_8, STRATEGIES_HEAD, type ExpectationTable } from './row.js';

/** operation-binding: a session authorises only the (uri, method) it was created for. */
export const OPERATION_BINDING: ExpectationTable = {
  ...rows(STRATEGIES_1_8, row(holds('not applicable: before 1.13 a session is not bound to its operation (uia §2.3, #7068); holds trivially'))),
  ...rows(
    STRATEGIES_HEAD,
    row(
      holds(
        'uia §2.4 step 3: every request with a session compares the stored (uri, method) first (403 on a change); the registration workload runs one operation, POST /register, so only a store handing back another session\'s record could break it',
      ),
    ),
  ),
};

/** user-binding: the operation runs only for the user who authenticated. */
export const USER_BINDING: ExpectationTable = rows(
  [...STRATEGIES_1_8, ...STRATEGIES_HEAD],
  row(holds('registration has no requester (uia §2.11): the account it creates is the user; judged once endpoints with an access token are modelled (uia §2.5, §3.1)')),
);
