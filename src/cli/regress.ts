import { basename } from 'node:path';
import { pluginFilesOf } from '../../models/case-codec.js';
import { SCHEMA_VERSION, type CommandOutput } from './check.js';
import { caseFaults } from './output.js';
import { capturedFromPayload } from './replay.js';
import { readReplayInput } from './replay-input.js';
import { UsageError } from './usage.js';

export interface RegressOptions {
  /** Where the test imports uia-sim's properties from (default: the package, `uia-sim/properties`). */
  import?: string;
}

/**
 * `uiasim regress FILE`: a vitest test that replays a saved failure and passes once the
 * strategy keeps the property on that very case. The token is embedded, so the test needs
 * nothing but uia-sim; the strategy is one constant, to check the same case under another.
 */
export async function runRegress(input: string, options: RegressOptions): Promise<CommandOutput> {
  const from = options.import ?? 'uia-sim/properties';
  // Written between single quotes: a specifier that would end them, or none, is not one.
  if (from === '' || /['"\\\n\r`]/.test(from)) throw new UsageError(`--import takes a module specifier (a package name or a path, without quotes), not ${JSON.stringify(from)}`);
  const { token, failure, payload } = readReplayInput(input);
  // The test names its strategy by a constant string, which only a built-in strategy is.
  const files = pluginFilesOf(payload);
  if (files.length > 0) {
    throw new UsageError(
      `this failure ran with the plug-in file(s) ${files.join(', ')}, and regress writes tests for built-in strategies: replay it with \`uiasim replay\`, and test the plug-in in your suite with storeProperty or routingProperty (docs/plugins.md)`,
    );
  }
  const captured = await capturedFromPayload(payload);
  const c = captured.case;
  const violation = captured.verdict.violation;
  const faults = caseFaults(c, captured.verdict.result);
  const source = failure === null ? 'a replay token' : basename(input);
  const comment = (text: string): string[] => wrap(text, 96).map((l) => `// ${l}`);
  const lines = [
    `// A regression test written by \`uiasim regress ${source}\` (failure schema ${failure?.schemaVersion ?? SCHEMA_VERSION}).`,
    ...comment(
      `${c.strategy} ${c.explore === undefined ? `under ${c.faultProfile}` : 'in a schedule uiasim explore found'}: ${captured.property} ${violation === null ? 'held' : 'was violated'} on this case (${violation?.requests ?? '?'} requests, ${c.workload.clients.length} client(s), ${faults.length === 0 ? 'no faults' : faults.join('; ')}).`,
    ),
    ...(violation === null ? [] : comment(`Why: ${violation.why}`)),
    '// The test passes once STRATEGY keeps the property on this case. See it with `uiasim replay TOKEN`.',
    "import { expect, test } from 'vitest';",
    `import { checkToken } from '${from}';`,
    '',
    `const STRATEGY = '${c.strategy}';`,
    `const TOKEN = '${token}';`,
    '',
    `test(\`${captured.property} holds for \${STRATEGY} on the saved ${c.strategy} x ${c.faultProfile} counterexample\`, () => {`,
    '  const verdict = checkToken(TOKEN, { strategy: STRATEGY });',
    "  expect(verdict.why, `replay it: uiasim replay ${TOKEN} --strategy ${STRATEGY}`).toBeNull();",
    '});',
  ];
  return { stdout: lines.join('\n') + '\n', exitCode: 0 };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}
