import { holds, row, rows, STRATEGIES_HEAD, violated, type ExpectationTable } from './row.js';

/** 1.8's add_oob_auth for a session the process does not hold (uia §2.2). */
const THROWAWAY =
  "1.8's fallback for a session its process does not hold (lost, expired, or never there) records the stage in a throwaway session and still shows the success page for the old ID (uia §2.2, #6705)";

/** no-phantom-stage: a stage shown for a session passed its checker for that very session. */
export const NO_PHANTOM_STAGE: ExpectationTable = {
  'memory-1.8': row(violated(`#6705: the fallback runs on main, which never holds the session reader1 created: ${THROWAWAY}`)),
  'pinned-1.12': row(holds('the pinned v1.12.0 worker does not mount the fallback and answers it 400 M_UNRECOGNIZED (uia §2.3, §3.1; docs/real.md: what real 1.12.4 answers): no success page is ever shown, and /register lists only what passed for the session')),
  'main-only': row(holds('one process holds every session and serves its fallback'), {
    'main-restart': violated(`main's restart empties its dict: ${THROWAWAY}`),
    'rolling-deploy': violated(`the deploy restarts main last: ${THROWAWAY}`),
    'slow-user': violated(`main pruned the session idle for 48 h: ${THROWAWAY}`),
  }),
  'sticky-ip': row(holds("the browser shares the app's IP, so its fallback reaches the process that holds the session"), {
    'worker-restart': violated(`a worker restart empties its dict: ${THROWAWAY}`),
    'main-restart': violated(`main's restart empties its dict: ${THROWAWAY}`),
    'rolling-deploy': violated(`every process restarts in turn: ${THROWAWAY}`),
    'ip-change': violated(`the browser on another network is hashed to another process: ${THROWAWAY}`),
    'slow-user': violated(`the process pruned the session idle for 48 h: ${THROWAWAY}`),
  }),
  'sticky-cookie': row(violated(`the browser opened on the fallback page has no cookie and lands on any process: ${THROWAWAY}`)),
  'session-hash': row(holds('the fallback carries the session ID, which routes it to the process that holds the session'), {
    'worker-restart': violated(`a worker restart empties its dict: ${THROWAWAY}`),
    'main-restart': violated(`main's restart empties its dict: ${THROWAWAY}`),
    'rolling-deploy': violated(`every process restarts in turn: ${THROWAWAY}`),
    'slow-user': violated(`the process pruned the session idle for 48 h: ${THROWAWAY}`),
  }),
  ...rows(
    STRATEGIES_HEAD,
    row(holds('from 1.13 the fallback marks the stage on the session it names and answers 400 for an unknown one (uia §2.6, #7268): a success page means the stage is stored for that session; IDs never repeat')),
  ),
};
