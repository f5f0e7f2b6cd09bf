/**
 * README.md's and docs/*.md's command blocks are real output: each fenced block whose first line
 * is `$ uiasim <args>` holds exactly what `uiasim <args>` prints on stdout. `npm run readme`
 * rewrites them (`npm run readme -- docs/cli.md`: that document only); test/docs/readme.test.ts
 * fails when one drifts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './repo-root.js';

const root = repoRoot();
const cli = join(root, 'dist/src/cli/main.js');
export const README = join(root, 'README.md');
const DOCS = join(root, 'docs');

/** README.md, then every docs/*.md in name order: the documents whose command blocks are real. */
export function documents(): string[] {
  const docs = existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort().map((f) => join(DOCS, f)) : [];
  return [README, ...docs];
}

export interface CommandBlock {
  readonly args: readonly string[];
  readonly command: string;
  /** The block's text after the command line. */
  readonly output: string;
  readonly start: number;
  readonly end: number;
}

const BLOCK = /```text\n\$ uiasim ([^\n]*)\n([\s\S]*?)```/g;

export function commandBlocks(readme: string): CommandBlock[] {
  const blocks: CommandBlock[] = [];
  for (const m of readme.matchAll(BLOCK)) {
    const command = m[1] ?? '';
    blocks.push({ args: splitArgs(command), command, output: m[2] ?? '', start: m.index, end: m.index + m[0].length });
  }
  return blocks;
}

/** Arguments separated by spaces; `$TOKEN` stands for the token the first `check --json`
 * block of the README printed (so replay examples replay that very counterexample). */
function splitArgs(command: string): string[] {
  return command.split(' ').filter((a) => a !== '');
}

export function runUiasim(args: readonly string[], token: string): string {
  const resolved = args.map((a) => (a === '$TOKEN' ? token : a));
  const result = spawnSync(process.execPath, [cli, ...resolved], { encoding: 'utf8', timeout: 120_000 });
  return result.stdout;
}

/** The README's example counterexample: `$TOKEN` is the token this command's JSON gives. */
export const EXAMPLE_ARGS = ['check', '--strategy', 'memory-1.8', '--seed', '1', '--json'] as const;

export function exampleToken(): string {
  const json = runUiasim(EXAMPLE_ARGS, '');
  return (JSON.parse(json) as { violation: { token: string } }).violation.token;
}

/** README's rendered example: the one ```mermaid block holds what this command prints. */
export const MERMAID_ARGS = ['replay', '$TOKEN', '--format', 'mermaid'] as const;
const MERMAID_BLOCK = /```mermaid\n[\s\S]*?```/;

export function mermaidBlock(readme: string): string | null {
  const m = MERMAID_BLOCK.exec(readme);
  return m === null ? null : m[0].slice('```mermaid\n'.length, -3);
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  // `npm run readme -- docs/cli.md`: only the documents named (paths from the checkout's root).
  const named = process.argv.slice(2).map((f) => join(root, f));
  const token = exampleToken();
  for (const file of named.length > 0 ? documents().filter((d) => named.includes(d)) : documents()) {
    let text = readFileSync(file, 'utf8');
    for (const block of commandBlocks(text).reverse()) {
      const output = runUiasim(block.args, token);
      text = `${text.slice(0, block.start)}\`\`\`text\n$ uiasim ${block.command}\n${output}\`\`\`${text.slice(block.end)}`;
      console.log(`updated: ${file.slice(root.length)}: uiasim ${block.command}`);
    }
    if (mermaidBlock(text) !== null) {
      const diagram = runUiasim(MERMAID_ARGS, token);
      text = text.replace(MERMAID_BLOCK, () => `\`\`\`mermaid\n${diagram}\`\`\``);
      console.log(`updated: ${file.slice(root.length)}: the mermaid block`);
    }
    writeFileSync(file, text);
  }
}
