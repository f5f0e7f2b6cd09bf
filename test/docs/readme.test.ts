import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandBlocks, documents, exampleToken, MERMAID_ARGS, mermaidBlock, README, runUiasim } from '../../scripts/readme-commands.js';
import { repoRoot } from '../../scripts/repo-root.js';

describe('README.md shows real output (regenerate with `npm run readme`)', () => {
  const readme = readFileSync(README, 'utf8');
  const blocks = commandBlocks(readme);
  const token = exampleToken();

  it('starts with the two commands a newcomer needs', () => {
    const top = readme.split('\n').slice(0, 30).join('\n');
    expect(top).toContain('npm ci && npm start');
    expect(top).toContain('npm test');
  });

  it('has command blocks for check, replay, regress, compare and list', () => {
    const commands = new Set(blocks.map((b) => b.args[0]));
    expect([...commands].sort()).toEqual(['check', 'compare', 'list', 'regress', 'replay']);
  });

  it('renders the #6705 counterexample as a mermaid block: exactly what replay --format mermaid prints', () => {
    const block = mermaidBlock(readme);
    expect(block).not.toBeNull();
    expect(block).toBe(runUiasim(MERMAID_ARGS, token));
    expect(block).toContain('PROGRESS LOST');
  });

  for (const block of blocks) {
    it(`uiasim ${block.command.replace('$TOKEN', 'TOKEN')}`, () => {
      expect(runUiasim(block.args, token)).toBe(block.output);
    });
  }
});

describe('docs/*.md show real output too (regenerate with `npm run readme`)', () => {
  const token = exampleToken();
  for (const file of documents().filter((f) => f !== README)) {
    const text = readFileSync(file, 'utf8');
    for (const block of commandBlocks(text)) {
      it(`${relative(repoRoot(), file)}: uiasim ${block.command.replace('$TOKEN', 'TOKEN')}`, () => {
        expect(runUiasim(block.args, token)).toBe(block.output);
      });
    }
  }
});
