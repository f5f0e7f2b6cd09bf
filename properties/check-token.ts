import { decodeToken } from '../src/run/token.js';
import { decodeTokenPayload, pluginFilesOf } from '../models/case-codec.js';
import { findStrategy, STRATEGIES, type Strategy } from '../models/strategies.js';
import { checkCase } from './check-case.js';
import { isPropertyName } from './violation.js';

export interface TokenVerdict {
  readonly verdict: 'holds' | 'violated';
  /** The checker's sentence when violated, else null. */
  readonly why: string | null;
  readonly traceHash: string;
  /** The trace hash the token recorded (the run that found it). */
  readonly expectedTraceHash: string;
  readonly strategy: string;
}

/**
 * Re-runs a replay token's case and checks its property: what a regression test written by
 * `uiasim regress` calls. By default under the strategy the case ran with; pass another (a name,
 * or a Strategy object such as your own store's) to check the same case under it.
 */
export function checkToken(token: string, options: { readonly strategy?: string | Strategy } = {}): TokenVerdict {
  const payload = decodeTokenPayload(decodeToken(token));
  if (!isPropertyName(payload.property)) throw new Error(`the token names an unknown property ${payload.property}`);
  const wanted = options.strategy ?? payload.case.strategy;
  // A plug-in case under its own name would run a built-in strategy without the plug-in (the
  // name of a --routing case is its base strategy's): a verdict about something else.
  const files = pluginFilesOf(payload);
  if (wanted === payload.case.strategy && files.length > 0) {
    throw new Error(`the token was made with the plug-in file(s) ${files.join(', ')}: pass the Strategy object it ran with (the name ${payload.case.strategy} alone would run without them)`);
  }
  const strategy = typeof wanted === 'string' ? findStrategy(wanted) : wanted;
  if (strategy === undefined) {
    const plugin = payload.plugins === undefined ? '' : ' (a plug-in case: pass its Strategy object)';
    throw new Error(`unknown strategy ${String(wanted)}${plugin}; built in: ${STRATEGIES.map((s) => s.name).join(', ')}`);
  }
  // Under another strategy the case runs with that strategy's Synapse profile, as `replay --strategy` does.
  const profile = strategy.name === payload.case.strategy ? payload.case.profile : strategy.profile;
  const { result, violation } = checkCase({ ...payload.case, strategy: strategy.name, profile }, payload.property, { strategy });
  return { verdict: violation === null ? 'holds' : 'violated', why: violation?.why ?? null, traceHash: result.traceHash, expectedTraceHash: payload.traceHash, strategy: strategy.name };
}
