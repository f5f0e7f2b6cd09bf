import { CaseDoesNotFitError } from '../fault-injector.js';
import { UsageError } from './usage.js';
import { decodeTokenPayload, MODEL_VERSION, type TokenPayload } from '../../models/case-codec.js';
import { decodeToken } from '../run/token.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import type { Case } from '../../models/world.js';
import { checkCaseAll, type CaseVerdict } from '../../properties/check-case.js';
import { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { propertyOption } from './property-labels.js';
import { describeCaptcha } from '../../properties/fault-profiles.js';
import { renderMermaid } from '../report/mermaid.js';
import { renderTimeline, wrapParagraph } from '../report/timeline.js';
import { describeDivergence, firstDivergence, type Divergence } from '../run/determinism.js';
import { caseFaults, caseLabels, MARKERS, SCHEMA_VERSION, settingsLines, type CommandOutput } from './output.js';
import { checkUnchanged, loadStore } from './plugins.js';
import { loadRouting } from './routing-file.js';
import { readReplayInput } from './replay-input.js';
import { stepsOf } from './steps.js';
import { traceViewOf } from './trace-view.js';
import { choose, formatOf } from './usage.js';
import { switchesOf } from './switches.js';
import { messageOf } from '../error-message.js';

export interface ReplayOptions {
  strategy?: string;
  profile?: string;
  /** --set NAME=VALUE on top of the switches the token's case carries. */
  set?: string[];
  /** Judge the run by another property than the token's, or by `all` (the first violated). */
  property?: string;
  format?: string;
  json?: boolean;
  checkDeterminism?: boolean;
}

/** The strategy a token's case ran under: built in, or rebuilt from the plug-in files it names
 * (which must not have changed). */
export async function tokenStrategy(payload: TokenPayload): Promise<Strategy> {
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

/** A token's case run with every event captured, and the words to show it. `property` is the
 * one violated, else the first judged. */
export interface CapturedCase {
  readonly case: Case;
  readonly strategy: Strategy;
  readonly property: PropertyName;
  /** The properties the run was judged by, in order (one, or every one for `all`). */
  readonly judgedBy: readonly PropertyName[];
  readonly verdict: CaseVerdict;
}

export function captureCase(c: Case, property: PropertyName | readonly PropertyName[], strategy: Strategy): CapturedCase {
  const judgedBy = typeof property === 'string' ? [property] : property;
  const verdict = checkCaseAll(c, judgedBy, { capture: true, strategy });
  return { case: c, strategy, property: verdict.violation?.property ?? (judgedBy[0] as PropertyName), judgedBy, verdict };
}

export function timelineOf(captured: CapturedCase): string[] {
  const { result, violation } = captured.verdict;
  return renderTimeline(traceViewOf(captured.case, captured.strategy, result, violation, captured.property));
}

export function mermaidOf(captured: CapturedCase): string {
  const { result, violation } = captured.verdict;
  return renderMermaid(traceViewOf(captured.case, captured.strategy, result, violation, captured.property));
}

/** A token's own case, captured under the strategy it ran under. */
export async function capturedFromToken(token: string): Promise<CapturedCase> {
  return capturedFromPayload(decodeTokenPayload(decodeToken(token)));
}

/** The same from a token already decoded. */
export async function capturedFromPayload(payload: TokenPayload): Promise<CapturedCase> {
  const property = choose<PropertyName>('property', payload.property, PROPERTY_NAMES, (p) => p);
  return captureCase(payload.case, property, await tokenStrategy(payload));
}

/** Runs a captured case a second time and compares the two event by event. */
export function determinismOf(captured: CapturedCase): Divergence | null {
  const again = captureCase(captured.case, captured.judgedBy, captured.strategy);
  const first = captured.verdict.result;
  const second = again.verdict.result;
  if (first.events === null || second.events === null) throw new Error('determinism: the runs were not captured');
  return firstDivergence(first.events, second.events, first.nodeNames);
}

/** What a newcomer needs to read the timeline without the code. */
const LEGEND =
  "'app A' is a user's Matrix client and 'browser A' the browser it opens the fallback page in (one user, two user agents); " +
  "the router sends each request on to a Synapse process (main or a worker); 'completed' lists the stages a response says are done.";

/** Re-runs the case of a token or a failure file bit for bit, optionally under another
 * strategy or profile; shows it as a timeline, a Mermaid sequence diagram or JSON. */
export async function runReplay(input: string, options: ReplayOptions): Promise<CommandOutput> {
  const format = formatOf(options, ['text', 'mermaid', 'json']);
  const { payload } = readReplayInput(input);
  const notes: string[] = [];
  if (payload.model !== MODEL_VERSION) notes.push(`warning: this token was made by model version ${payload.model}; this is version ${MODEL_VERSION}`);
  const requested = options.property === undefined ? payload.property : propertyOption(options.property);
  const properties: readonly PropertyName[] = requested === ALL_PROPERTIES ? PROPERTY_NAMES : [choose<PropertyName>('property', requested, PROPERTY_NAMES, (p) => p)];
  // Named in reports until the run says which one is violated: the one asked for, or `all`.
  let property: PropertyName | typeof ALL_PROPERTIES = properties.length === 1 ? (properties[0] as PropertyName) : ALL_PROPERTIES;
  // Naming the token's own strategy is not "another strategy": a plug-in case keeps its files.
  const sameStrategy = options.strategy === undefined || options.strategy === payload.case.strategy;
  const strategy = sameStrategy ? await tokenStrategy(payload) : choose<Strategy>('strategy', options.strategy as string, STRATEGIES, (s) => s.name);
  const switched = strategy.name !== payload.case.strategy;
  const defaultProfile = switched ? strategy.profile : payload.case.profile;
  const profile = choose<ProfileName>('profile', options.profile ?? defaultProfile, PROFILE_NAMES, (p) => p);
  const switches = switchesOf(options.set, payload.case.switches);
  const { switches: _tokenSwitches, ...tokenCase } = payload.case;
  const c = { ...tokenCase, strategy: strategy.name, profile, ...(switches === undefined ? {} : { switches }) };
  const reswitched = (options.set ?? []).length > 0;
  let captured: CapturedCase;
  let divergence: Divergence | null = null;
  try {
    captured = captureCase(c, properties, strategy);
    if (options.checkDeterminism === true) divergence = determinismOf(captured);
  } catch (error) {
    // A case that names a process this deployment lacks is bad input, not a finding.
    if (error instanceof CaseDoesNotFitError) throw new UsageError(`${error.message}: replay it on the deployment it was made on`);
    // The case makes the model or a plug-in throw: a finding (exit 3), shown with its message.
    const message = messageOf(error);
    if (format === 'json') return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, verdict: 'error', error: message, property, strategy: strategy.name }) + '\n', exitCode: 3 };
    return { stdout: `the case makes the run throw: ${message}\n`, exitCode: 3, stderr: error instanceof Error ? `${error.stack ?? ''}\n` : '' };
  }
  const { result, violation } = captured.verdict;
  if (violation !== null) property = violation.property;

  const sameCase = !switched && !reswitched && profile === payload.case.profile;
  if (sameCase && payload.traceHash !== '' && payload.traceHash !== result.traceHash) {
    notes.push(`warning: the trace diverged: expected hash ${payload.traceHash}, got ${result.traceHash}`);
  }
  const stderr = notes.length > 0 ? notes.join('\n') + '\n' : '';
  if (divergence !== null) {
    // Not a verdict about the strategy: the run itself is not a function of its case.
    if (format === 'json') {
      return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, verdict: 'nondeterministic', property, strategy: strategy.name, divergence }) + '\n', exitCode: 1, stderr };
    }
    const text = ['determinism: NOT deterministic: the same case ran twice and gave two different traces;', ...describeDivergence(divergence)];
    return { stdout: text.join('\n') + '\n', exitCode: 1, stderr };
  }
  const verdict = violation === null ? 'holds' : 'violated';
  const exitCode = violation === null ? 0 : 1;
  if (format === 'mermaid') return { stdout: mermaidOf(captured), exitCode, stderr };
  if (format === 'json') {
    const steps = stepsOf(result, violation);
    const json = {
      schemaVersion: SCHEMA_VERSION,
      verdict,
      traceHash: result.traceHash,
      expectedTraceHash: sameCase ? payload.traceHash : null,
      property,
      strategy: strategy.name,
      profile,
      ...(switches === undefined ? {} : { switches }),
      workload: c.workload.name ?? 'registration',
      requests: violation?.requests ?? steps.length,
      ...(violation === null ? {} : { why: violation.why }),
      // The server-side fact that is the violation itself, when it is one (models/synapse/facts.ts).
      ...(violation?.fact === undefined ? {} : { fact: violation.fact }),
      ...(options.checkDeterminism === true ? { deterministic: true } : {}),
      steps,
    };
    return { stdout: JSON.stringify(json) + '\n', exitCode, stderr };
  }
  const faults = [...caseFaults(c, result), ...describeCaptcha(c.captcha)];
  const labels = caseLabels(c);
  const text = [
    ...settingsLines(strategy.name, profile, labels.faults, labels.workload, undefined, switches, switched ? undefined : payload.plugins?.routing?.file),
    `replaying ${switched ? `a ${payload.case.strategy} case under ${strategy.name}` : 'the case'}: ${c.workload.clients.length} client(s), ${faults.length === 0 ? 'no faults' : `${faults.length} fault(s)`}`,
    ...faults.map((f) => `  fault: ${f}`),
    '',
    ...wrapParagraph(`Read it top down, one event per line in virtual time. ${LEGEND}`),
    '',
    ...timelineOf(captured),
    '',
    ...(violation === null ? [`${property}: holds in this run.`] : [`${property}: VIOLATED at the line marked "<-- ${MARKERS[captured.property]}".`, ...wrapParagraph(`Why: ${violation.why}`)]),
    ...(options.checkDeterminism === true ? [`determinism: ran twice, the same ${result.events?.length ?? 0} events both times.`] : []),
    `trace hash  ${result.traceHash}`,
  ];
  return { stdout: text.join('\n') + '\n', exitCode, stderr };
}
