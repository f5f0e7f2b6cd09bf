import fc from 'fast-check';
import type { StoreDefinition } from '../../models/stores/contract.js';
import { findStrategy, withPlugins, type Strategy } from '../../models/strategies.js';
import type { Case } from '../../models/world.js';
import { caseArbitrary } from '../../properties/case-arbitrary.js';
import { checkCase } from '../../properties/check-case.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import { isPropertyName, type PropertyName, type Violation } from '../../properties/violation.js';

/** The strategy a mutant runs as: `sql`'s routing and profile with the mutant's store. */
export function asStrategy(store: StoreDefinition | undefined): Strategy {
  const sql = findStrategy('sql');
  if (sql === undefined) throw new Error('no sql strategy');
  return withPlugins(sql, store, undefined);
}

export interface Hunt {
  readonly property: PropertyName;
  readonly faults: string;
  readonly runs: number;
  readonly seed: number;
  /** The Synapse profile of the hunt's cases (default head, the sql row's). */
  readonly profile?: '1.13' | 'head';
}

/** The cases of a hunt: the arbitraries `check` and `compare` use for `sql` under this fault
 * profile and property (the strategy's name does not enter generation, so every store gets the
 * very same cases). */
export function huntCases(hunt: Hunt): readonly Case[] {
  const faultProfile = findFaultProfile(hunt.faults);
  if (faultProfile === undefined) throw new Error(`no fault profile ${hunt.faults}`);
  return fc.sample(caseArbitrary({ strategy: 'sql', profile: hunt.profile ?? 'head', faultProfile, workload: 'registration', property: hunt.property }), { numRuns: hunt.runs, seed: hunt.seed });
}

export interface Caught {
  /** 1-based run of the first violation. */
  readonly run: number;
  readonly case: Case;
  readonly violation: Violation;
}

/** The first of the hunt's runs whose trace violates the property under `store`, or null. */
export function firstCaught(store: StoreDefinition | undefined, hunt: Hunt, cases: readonly Case[] = huntCases(hunt)): Caught | null {
  const strategy = asStrategy(store);
  for (let i = 0; i < cases.length; i++) {
    const c = { ...(cases[i] as Case), strategy: strategy.name };
    const { violation } = checkCase(c, hunt.property, { strategy });
    if (violation !== null) return { run: i + 1, case: c, violation };
  }
  return null;
}

export function propertyNamed(name: string): PropertyName {
  if (!isPropertyName(name)) throw new Error(`the mutant names property ${name}, which properties/violation.ts does not list`);
  return name;
}
