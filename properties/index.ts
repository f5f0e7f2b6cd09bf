/** Properties, generators and shrinking, for your own test suite. */
export { storeProperty, routingProperty, PropertyViolation, type PluginPropertyOptions, type RoutingMapOptions } from './store-property.js';
export { buildProperty, type PropertySettings } from './property.js';
export { search, type SearchOutcome } from './search.js';
export { caseArbitrary, type CaseSettings } from './case-arbitrary.js';
export { checkCase, checkCaseAll, type CaseVerdict } from './check-case.js';
export { CHECKERS, PROPERTY_SUMMARIES, type Checker } from './checkers/index.js';
export {
  checkCompletedOnlyGrows,
  checkExactlyOnce,
  checkExpiryHonoured,
  checkLiveness,
  checkNoPhantomStage,
  checkOperationBinding,
  checkProgressNeverLost,
  checkUserBinding,
} from './checkers/index.js';
export { FAULT_PROFILES, COMPARISON_FAULT_PROFILES, findFaultProfile, type FaultProfile } from './fault-profiles.js';
export { minimizeCase, reductions } from './minimize.js';
export { replayToken } from './replay-token.js';
export { checkToken, type TokenVerdict } from './check-token.js';
export { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName, type Violation } from './violation.js';
