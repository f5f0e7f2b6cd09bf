/** `npm run golden`: rewrites test/golden/*.trace.txt from the golden cases. The only way those
 * files should change. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './repo-root.js';
import { traceToText } from '../src/report/trace-text.js';
import { runCase } from '../models/world.js';
import { GOLDEN_CASES } from './golden-cases.js';

export function goldenText(name: string): string {
  const c = GOLDEN_CASES[name];
  if (c === undefined) throw new Error(`no golden case ${name}`);
  const result = runCase(c, { capture: true });
  if (result.events === null) throw new Error('golden: the trace was not captured');
  return `# golden trace ${name}: regenerate with \`npm run golden\`\n# trace hash ${result.traceHash}\n` + traceToText(result.events, result.nodeNames);
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  for (const name of Object.keys(GOLDEN_CASES)) {
    writeFileSync(join(repoRoot(), 'test/golden', `${name}.trace.txt`), goldenText(name));
    console.log(`wrote test/golden/${name}.trace.txt`);
  }
}
