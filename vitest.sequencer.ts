import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The sim project's longest files, longest first (2026-12-08, after most suites moved their
 * commands into their own thread: scale 50 s, readme 41 s, explore/jobs 35 s, cli 15 s,
 * explore/run-errors 11 s, plugins 10 s, regress 8 s). Two files run at once, so a long file that
 * starts last is the run's tail: vitest's default order on a clone without its cache is by file
 * size, which once started readme.test.ts (6 KB, 67 s) at 122 s of a 217 s run. A run with
 * vitest's cache (results.json) already orders by the durations it saw; these go first either way.
 */
const SLOW_FIRST = [
  'test/cli/scale.test.ts',
  'test/docs/readme.test.ts',
  'test/explore/jobs.test.ts',
  'test/cli/cli.test.ts',
  'test/explore/run-errors.test.ts',
  'test/cli/plugins.test.ts',
  'test/cli/regress.test.ts',
];

/** vitest's order (projects and groups as configured), with each project's files of SLOW_FIRST
 * moved to its front in that order. */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const at = SLOW_FIRST.indexOf(relative(this.ctx.config.root, spec.moduleId).split('\\').join('/'));
      return at === -1 ? SLOW_FIRST.length : at;
    };
    // Projects stay in vitest's order, each a run of consecutive files.
    const projects: TestSpecification[][] = [];
    for (const spec of sorted) {
      const last = projects[projects.length - 1];
      if (last !== undefined && last[0]?.project === spec.project) last.push(spec);
      else projects.push([spec]);
    }
    return projects.flatMap((specs) => specs.map((spec, index) => ({ spec, index })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index).map(({ spec }) => spec));
  }
}
