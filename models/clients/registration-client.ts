/** The foundation's name for the client: it now runs any operation (client-node.ts, the node;
 * client-script.ts, the behaviour). Kept so older imports keep working. */
export { Client as RegistrationClient } from './client-node.js';
export { clientScript, PERSISTENT_PAUSE_MS, PERSISTENT_ROUNDS, TIMED_OUT, UNKNOWN_SESSION_DETAIL, type ClientStep } from './client-script.js';
