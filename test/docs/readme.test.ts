import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandBlocks, documents, EXAMPLE_ARGS, MERMAID_ARGS, mermaidBlock, README, runUiasim } from '../../scripts/readme-commands.js';
import { repoRoot } from '../../scripts/repo-root.js';
import { runCli } from '../../src/cli/program.js';
import { uiasimProcess } from '../cli/run-cli.js';

const root = repoRoot();
const DOCS = join(root, 'docs');
const docsPages = (): string[] => readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort();

/** What a document's command prints on stdout. Through the CLI's parser and commands in this
 * thread (test/cli/run-cli.ts), but for what only the built CLI in a process of its own shows:
 * worker threads (--jobs), a stuck run stopped by --run-timeout, a real Synapse, and a plug-in
 * store loaded fresh (docs/cli.md's nondeterministic store counts in its module, which this
 * thread would keep from one test to the next). `npm run readme` writes every block from the
 * built CLI. */
async function documentedOutput(args: readonly string[], token: string): Promise<string> {
  if (args.some((a) => a === '--jobs' || a === '--run-timeout' || a === '--real' || a === 'real' || a === '--store')) return runUiasim(args, token);
  return (await runCli(args.map((a) => (a === '$TOKEN' ? token : a)))).stdout;
}

/** The README's example counterexample (scripts/readme-commands.ts exampleToken), in this thread. */
async function exampleToken(): Promise<string> {
  return (JSON.parse(await documentedOutput(EXAMPLE_ARGS, '')) as { violation: { token: string } }).violation.token;
}

/** Issue 13: README is the quick start, under 300 lines (`wc -l`), and the first screen of
 * `npm start` (item 7) fits 60 lines. */
const README_MAX_LINES = 300;
const FIRST_SCREEN_LINES = 60;

describe('README.md is the quick start and shows real output (regenerate with `npm run readme`)', async () => {
  const readme = readFileSync(README, 'utf8');
  const blocks = commandBlocks(readme);
  const token = await exampleToken();

  it('starts with the two commands a newcomer needs', () => {
    const top = readme.split('\n').slice(0, 20).join('\n');
    expect(top).toContain('npm ci && npm start');
    expect(top).toContain('npm run setup && npm test');
  });

  it("shows npm start's matrix, the #6705 counterexample and its replay", () => {
    const commands = blocks.map((b) => b.command);
    expect(commands).toContain('compare');
    expect(commands).toContain('check --strategy memory-1.8 --seed 1');
    expect(commands).toContain('replay $TOKEN');
  });

  it(`is short: under ${README_MAX_LINES} lines, npm start's first screen within ${FIRST_SCREEN_LINES} of them`, () => {
    const compare = blocks.find((b) => b.command === 'compare');
    expect(compare).toBeDefined();
    expect((compare?.output ?? '').split('\n').length - 1).toBeLessThanOrEqual(FIRST_SCREEN_LINES);
    expect(readme.split('\n').length - 1).toBeLessThan(README_MAX_LINES);
  });

  it('links every page of docs/', () => {
    for (const page of docsPages()) expect(readme, page).toContain(`](docs/${page}`);
  });

  it('renders the #6705 counterexample as a mermaid block: exactly what replay --format mermaid prints', async () => {
    const block = mermaidBlock(readme);
    expect(block).not.toBeNull();
    expect(block).toBe(await documentedOutput(MERMAID_ARGS, token));
    expect(block).toContain('PROGRESS LOST');
  });

  for (const block of blocks) {
    it(`uiasim ${block.command.replace('$TOKEN', 'TOKEN')}`, async () => {
      expect(await documentedOutput(block.args, token)).toBe(block.output);
    });
  }
});

describe('docs/*.md show real output too (regenerate with `npm run readme`)', async () => {
  const token = await exampleToken();
  for (const file of documents().filter((f) => f !== README)) {
    const text = readFileSync(file, 'utf8');
    for (const block of commandBlocks(text)) {
      it(`${relative(root, file)}: uiasim ${block.command.replace('$TOKEN', 'TOKEN')}`, async () => {
        expect(await documentedOutput(block.args, token)).toBe(block.output);
      });
    }
  }
});

/** The commands `uiasim --help` lists. */
function cliCommands(): string[] {
  const help = uiasimProcess(['--help']).stdout;
  const section = help.split('Commands:')[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][\w-]*)\b/gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
}

describe('the command-line reference (docs/cli.md)', () => {
  const cli = readFileSync(join(DOCS, 'cli.md'), 'utf8');

  it('gives the exit codes of every command uiasim has', () => {
    // The section from its heading to the next one.
    const table = cli.split('<a id="exit-codes"></a>')[1]?.split('\n## ')[1] ?? '';
    const commands = cliCommands();
    expect(commands).toEqual(expect.arrayContaining(['check', 'replay', 'compare', 'regress', 'list']));
    for (const command of commands) expect(table, command).toMatch(new RegExp(`^\\| \`${command}\` \\|`, 'm'));
  });

  it("documents replay's exit 3 for a case whose run throws", () => {
    expect(cli).toMatch(/^\| `replay` \|.*\|.*\|.*\| the case makes the run throw/m);
  });

  it('shows every command with real output somewhere in README.md or docs/', () => {
    const shown = new Set(documents().flatMap((f) => commandBlocks(readFileSync(f, 'utf8')).map((b) => b.args[0])));
    for (const command of ['check', 'replay', 'compare', 'regress', 'list']) expect([...shown], command).toContain(command);
  });
});

/**
 * Pages other work adds to docs/ at the same time; README already links them. Remove a name once
 * its page is in docs/ (the test below then checks the link like any other).
 */
const PAGES_BEING_WRITTEN = new Set<string>([]);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(text: string): Set<string> {
  const ids = [...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1] as string);
  const headings = [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1] as string));
  return new Set([...ids, ...headings]);
}

describe('links in README.md and docs/ stay inside the repository and resolve', () => {
  for (const file of documents()) {
    const name = relative(root, file);
    const text = readFileSync(file, 'utf8');

    it(`${name} names no path outside the repository`, () => {
      expect(text).not.toMatch(/\.\.\/shared|\/work\//);
      for (const m of text.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)) {
        const target = join(dirname(file), (m[1] as string).split('#')[0] as string);
        expect(relative(root, target).startsWith('..'), m[1]).toBe(false);
      }
    });

    it(`${name}: every relative link and anchor resolves`, () => {
      for (const m of text.matchAll(/\]\((?!https?:|mailto:)([^)\s]+)\)/g)) {
        const [path, anchor] = (m[1] as string).split('#') as [string, string | undefined];
        const target = path === '' ? file : join(dirname(file), path);
        if (!existsSync(target)) {
          expect(PAGES_BEING_WRITTEN.has(basename(target)) && dirname(target) === DOCS, `${m[1]} does not exist`).toBe(true);
          continue;
        }
        if (anchor !== undefined && target.endsWith('.md')) expect(anchorsOf(readFileSync(target, 'utf8')), `${m[1]}`).toContain(anchor);
      }
    });
  }
});
