import { decodeToken } from '../run/token.js';
import { decodeTokenPayload, MODEL_VERSION, type TokenPayload } from '../../models/case-codec.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import { checkCaseAll } from '../../properties/check-case.js';
import { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { renderSteps, SCHEMA_VERSION, settingsLines, type CommandOutput } from './check.js';
import { stepsOf } from './steps.js';
import { checkUnchanged, loadRouting, loadStore } from './plugins.js';
import { choose, formatOf } from './usage.js';
import { propertyOption } from './property-labels.js';
import { describeFault } from '../faults.js';

export interface ReplayOptions {
  strategy?: string;
  profile?: string;
  /** Judge the run by another property than the token's, or by `all` (the first violated). */
  property?: string;
  format?: string;
  json?: boolean;
}

/** The strategy a token's case ran under: built in, or rebuilt from the plug-in files it names
 * (which must not have changed). */
async function tokenStrategy(payload: TokenPayload): Promise<Strategy> {
  const plugins = payload.plugins;
  if (plugins === undefined) return choose<Strategy>('strategy', payload.case.strategy, STRATEGIES, (s) => s.name);
  if (plugins.store !== undefined) checkUnchanged(plugins.store, 'store');
  if (plugins.routing !== undefined) checkUnchanged(plugins.routing, 'routing');
  const store = plugins.store === undefined ? undefined : (await loadStore(plugins.store.file)).store;
  const routing = plugins.routing === undefined ? undefined : (await loadRouting(plugins.routing.file)).routing;
  const base = choose<Strategy>('strategy', plugins.base ?? 'sql', STRATEGIES, (s) => s.name);
  // The row keeps the name the case ran under (the store's, or compare's `custom-routing`).
  return { ...withPlugins(base, store, routing), name: payload.case.strategy };
}

/** Re-runs the case of a token bit for bit, optionally under another strategy or profile. */
export async function runReplay(token: string, options: ReplayOptions): Promise<CommandOutput> {
  const format = formatOf(options);
  const payload = decodeTokenPayload(decodeToken(token));
  const notes: string[] = [];
  if (payload.model !== MODEL_VERSION) notes.push(`warning: this token was made by model version ${payload.model}; this is version ${MODEL_VERSION}`);
  const requested = options.property === undefined ? payload.property : propertyOption(options.property);
  const properties: readonly PropertyName[] = requested === ALL_PROPERTIES ? PROPERTY_NAMES : [choose<PropertyName>('property', requested, PROPERTY_NAMES, (p) => p)];
  const strategy = options.strategy === undefined ? await tokenStrategy(payload) : choose<Strategy>('strategy', options.strategy, STRATEGIES, (s) => s.name);
  const switched = strategy.name !== payload.case.strategy;
  const defaultProfile = switched ? strategy.profile : payload.case.profile;
  const profile = choose<ProfileName>('profile', options.profile ?? defaultProfile, PROFILE_NAMES, (p) => p);
  const c = { ...payload.case, strategy: strategy.name, profile };
  let verdictOfRun: ReturnType<typeof checkCaseAll>;
  // The property named in reports: the one violated, else the one asked for (or `all`).
  let property: PropertyName | typeof ALL_PROPERTIES = properties.length === 1 ? (properties[0] as PropertyName) : ALL_PROPERTIES;
  try {
    verdictOfRun = checkCaseAll(c, properties, { capture: true, strategy });
  } catch (error) {
    // The case makes the model or a plug-in throw: a finding (exit 3), shown with its message.
    const message = error instanceof Error ? error.message : String(error);
    if (format === 'json') return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, verdict: 'error', error: message, property, strategy: strategy.name }) + '\n', exitCode: 3 };
    return { stdout: `the case makes the run throw: ${message}\n`, exitCode: 3, stderr: error instanceof Error ? `${error.stack ?? ''}\n` : '' };
  }
  const { result, violation } = verdictOfRun;
  if (violation !== null) property = violation.property;

  const sameCase = !switched && profile === payload.case.profile;
  if (sameCase && payload.traceHash !== '' && payload.traceHash !== result.traceHash) {
    notes.push(`warning: the trace diverged: expected hash ${payload.traceHash}, got ${result.traceHash}`);
  }
  const verdict = violation === null ? 'holds' : 'violated';
  const steps = stepsOf(result, violation);
  const exitCode = violation === null ? 0 : 1;
  const stderr = notes.length > 0 ? notes.join('\n') + '\n' : '';
  if (format === 'json') {
    const json = {
      schemaVersion: SCHEMA_VERSION,
      verdict,
      traceHash: result.traceHash,
      expectedTraceHash: sameCase ? payload.traceHash : null,
      property,
      strategy: strategy.name,
      profile,
      workload: c.workload.name ?? 'registration',
      requests: violation?.requests ?? steps.length,
      ...(violation === null ? {} : { why: violation.why }),
      // The server-side fact that is the violation itself, when it is one (models/synapse/facts.ts).
      ...(violation?.fact === undefined ? {} : { fact: violation.fact }),
      steps,
    };
    return { stdout: JSON.stringify(json) + '\n', exitCode, stderr };
  }
  const faults = c.faultPlan.faults.map(describeFault);
  const text = [
    ...settingsLines(strategy.name, profile, c.faultProfile, c.workload.name ?? 'registration'),
    `replaying ${switched ? `a ${payload.case.strategy} case under ${strategy.name}` : 'the case'}: ${c.workload.clients.length} client(s), ${faults.length === 0 ? 'no faults' : `${faults.length} fault(s)`}`,
    ...faults.map((f) => `  fault: ${f}`),
    ...renderSteps(steps, violation?.property ?? (properties[0] as PropertyName)),
    '',
    violation === null ? `${property}: holds in this run.` : `${property}: VIOLATED. Why: ${violation.why}`,
    `trace hash  ${result.traceHash}`,
  ];
  return { stdout: text.join('\n') + '\n', exitCode, stderr };
}
