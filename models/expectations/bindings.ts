import { holds, row, rows, STRATEGIES_1_8, STRATEGIES_HEAD, type ExpectationTable } from './row.js';

/** operation-binding: a session authorises only the (uri, method) it was created for. */
export const OPERATION_BINDING: ExpectationTable = {
  ...rows(STRATEGIES_1_8, row(holds('not applicable: before 1.13 a session is not bound to its operation (uia §2.3, #7068); holds trivially'))),
  ...rows(
    STRATEGIES_HEAD,
    row(
      holds(
        'uia §2.4 step 3: every request with a session compares the stored (uri, method) first (403 on a change); a mix client never sends its session with another operation (the session-reuse workload does, and the forgets-binding mutant shows the checker sees it), so only a store handing back another session\'s record could break it',
      ),
    ),
  ),
};

/** user-binding: the operation runs only for the user who authenticated. */
export const USER_BINDING: ExpectationTable = rows(
  [...STRATEGIES_1_8, ...STRATEGIES_HEAD],
  row(
    holds(
      'uia §2.5: validate_user_via_ui_auth compares the first completed supported type\'s result with the requester (403 Invalid auth), in every version; a mix client never continues a session under another account (the session-reuse workload does, and the ignores-user mutant shows the checker sees it); registration has no requester (uia §2.11)',
    ),
  ),
);
