import { SqlSessionStore } from '../sql.js';
import { mutantStore } from './base.js';

/** The control of the mutant suite: `sql` on the mutants' own database node, with no defect. It
 * must hold wherever a mutant is caught, with the same runs and seed, or the suite proves nothing. */
export const sqlFaithfulStore = mutantStore('sql-faithful', (context) => new SqlSessionStore(context));

export default sqlFaithfulStore;
