// The hunting helpers live with the script that writes README's mutant table from real runs.
export { asStrategy, firstCaught, huntCases, propertyNamed, type Caught, type Hunt } from '../../scripts/mutant-table.js';
