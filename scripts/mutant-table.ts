/**
 * The mutant table of README.md and docs/compare.md ("Mutants"), produced from real runs: each mutant of
 * models/stores/mutants/ hunted with the arbitraries `check` and `compare` use, at seeds 1, 2 and
 * 3, and the unmutated controls (`sql`, `sql-faithful`) run on the very same cases. The mutant
 * suite (test/mutants/) recomputes the table and fails when a document's copy differs;
 * `npm run mutants` rewrites both copies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { StoreDefinition } from '../models/stores/contract.js';
import type { HandlerDefect } from '../models/synapse/defects.js';
import { MUTANTS, sqlFaithfulStore, type Mutant } from '../models/stores/mutants/index.js';
import { findStrategy, withPlugins, type Strategy } from '../models/strategies.js';
import type { Case } from '../models/world.js';
import { caseArbitrary } from '../properties/case-arbitrary.js';
import { checkCase } from '../properties/check-case.js';
import { findFaultProfile } from '../properties/fault-profiles.js';
import { isPropertyName, type PropertyName, type Violation } from '../properties/violation.js';
import { join } from 'node:path';
import { README } from './readme-commands.js';
import { repoRoot } from './repo-root.js';

/** The runs each mutant is given at every seed: its hunt must catch it within them, and the
 * controls must pass all of them. */
export const MUTANT_RUNS: Readonly<Record<string, number>> = {
  'mutant-drops-stage-write': 30,
  'mutant-non-durable': 30,
  'mutant-stale-cache': 60,
  'mutant-early-sweep': 30,
  'mutant-colliding-ids': 60,
  'mutant-loses-serverdict': 80,
  'mutant-rmw-completed': 300,
  'mutant-skips-first-stage': 30,
  'mutant-late-sweep': 60,
  'mutant-drops-dummy': 30,
  'mutant-forgets-binding': 60,
  'mutant-ignores-user': 60,
};
export const MUTANT_SEEDS: readonly number[] = [1, 2, 3];
/** loses-serverdict's defect needs a lost final response and its retry, which is also where
 * `sql` itself shows #5450 (concurrent finals, an open Synapse bug, uia §2.10): at seed 1 both are
 * first caught in run 69. Its hunt runs at seeds where the two are apart. */
export const SEEDS_OF: Readonly<Record<string, readonly number[]>> = { 'mutant-loses-serverdict': [2, 3, 4] };

export function seedsOf(mutant: Mutant): readonly number[] {
  return SEEDS_OF[mutant.store.name] ?? MUTANT_SEEDS;
}

/** The strategy a mutant runs as: `sql`'s routing and profile with the mutant's store (and
 * its handler defects, models/synapse/defects.ts). */
export function asStrategy(store: StoreDefinition | undefined, defects?: readonly HandlerDefect[]): Strategy {
  const sql = findStrategy('sql');
  if (sql === undefined) throw new Error('no sql strategy');
  const strategy = withPlugins(sql, store, undefined);
  return defects === undefined ? strategy : { ...strategy, defects };
}

export interface Hunt {
  readonly property: PropertyName;
  readonly faults: string;
  readonly runs: number;
  readonly seed: number;
  /** The Synapse profile of the hunt's cases (default head, the sql row's). */
  readonly profile?: '1.13' | 'head';
  /** The workload of the hunt's clients (default registration). */
  readonly workload?: 'registration' | 'session-reuse';
}

/** The cases of a hunt: the arbitraries `check` and `compare` use for `sql` under this fault
 * profile and property (the strategy's name does not enter generation, so every store gets the
 * very same cases). */
export function huntCases(hunt: Hunt): readonly Case[] {
  const faultProfile = findFaultProfile(hunt.faults);
  if (faultProfile === undefined) throw new Error(`no fault profile ${hunt.faults}`);
  return fc.sample(caseArbitrary({ strategy: 'sql', profile: hunt.profile ?? 'head', faultProfile, workload: hunt.workload ?? 'registration', property: hunt.property }), { numRuns: hunt.runs, seed: hunt.seed });
}

export interface Caught {
  /** 1-based run of the first violation. */
  readonly run: number;
  readonly case: Case;
  readonly violation: Violation;
}

/** The first of the hunt's runs whose trace violates the property under `store`, or null. */
export function firstCaught(store: StoreDefinition | undefined, hunt: Hunt, cases: readonly Case[] = huntCases(hunt), defects?: readonly HandlerDefect[]): Caught | null {
  const strategy = asStrategy(store, defects);
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

export function huntOf(mutant: Mutant, seed: number): Hunt {
  const { property, faults, profile, workload } = mutant.caughtBy;
  return {
    property: propertyNamed(property),
    faults,
    runs: MUTANT_RUNS[mutant.store.name] ?? 0,
    seed,
    ...(profile === undefined ? {} : { profile }),
    ...(workload === undefined ? {} : { workload }),
  };
}

/** One mutant's row: where its hunt first caught it at each seed (null: not within its runs),
 * and the first control (sql, sql-faithful) caught on the same cases, if any. */
export interface MutantRow {
  readonly mutant: Mutant;
  readonly runs: number;
  /** Per seed of seedsOf(mutant). */
  readonly caughtAt: readonly (number | null)[];
  readonly controlCaught: readonly (string | null)[];
}

export function mutantRow(mutant: Mutant): MutantRow {
  const caughtAt: (number | null)[] = [];
  const controlCaught: (string | null)[] = [];
  for (const seed of seedsOf(mutant)) {
    const hunt = huntOf(mutant, seed);
    const cases = huntCases(hunt);
    caughtAt.push(firstCaught(mutant.store, hunt, cases, mutant.handlerDefects)?.run ?? null);
    const control = firstCaught(undefined, hunt, cases) ?? firstCaught(sqlFaithfulStore, hunt, cases);
    controlCaught.push(control === null ? null : `run ${control.run}: ${control.violation.why}`);
  }
  return { mutant, runs: MUTANT_RUNS[mutant.store.name] ?? 0, caughtAt, controlCaught };
}

/** The table: one line per mutant, from its row. */
export function renderMutantTable(rows: readonly MutantRow[]): string {
  const lines = [
    '| mutant | defect | caught by | faults | workload | runs given | seeds | first caught | `sql`, `sql-faithful` on the same runs |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const caught = r.caughtAt.map((run) => (run === null ? 'NOT CAUGHT' : `run ${run}`)).join(', ');
      const controls = r.controlCaught.every((c) => c === null) ? 'pass' : 'CAUGHT';
      return `| \`${r.mutant.store.name.replace(/^mutant-/, '')}\` | ${r.mutant.defect} | ${r.mutant.caughtBy.property} | ${r.mutant.caughtBy.faults} | ${r.mutant.caughtBy.workload ?? 'registration'} | ${r.runs} | ${seedsOf(r.mutant).join(', ')} | ${caught} | ${controls} |`;
    }),
  ];
  return lines.join('\n') + '\n';
}

const START = '<!-- mutant-table: written by `npm run mutants` from real runs; test/mutants checks it -->\n';
const END = '<!-- /mutant-table -->';

/** The documents that carry the table between the markers. */
export const MUTANT_TABLE_DOCUMENTS = [README, join(repoRoot(), 'docs/compare.md')];

/** A document's copy of the table, or null when it has none. */
export function mutantTableIn(file: string): string | null {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  return from < 0 || to < from ? null : text.slice(from + START.length, to);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = renderMutantTable(MUTANTS.map(mutantRow));
  process.stdout.write(table);
  for (const file of MUTANT_TABLE_DOCUMENTS) {
    const text = readFileSync(file, 'utf8');
    const from = text.indexOf(START);
    const to = text.indexOf(END);
    if (from < 0 || to < from) continue;
    writeFileSync(file, text.slice(0, from + START.length) + table + text.slice(to));
    process.stdout.write(`rewrote the mutant table of ${file}\n`);
  }
}
