import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { diagramKey, type HtmlAssets, type HtmlDiagram } from '../report/html.js';
import { capturedFromToken, mermaidOf } from './replay.js';
import { traceViewOf } from './trace-view.js';

/** Mermaid's browser bundle from node_modules (a dependency), made safe to inline in a
 * <script> element: "</script" inside its strings would end the element early. */
export function mermaidBundle(): string {
  const file = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  return readFileSync(file, 'utf8').replace(/<\/(script)/gi, '<\\/$1');
}

/** The HTML report's diagrams: each failing cell's minimal counterexample, re-run captured from
 * its token (determinism makes it the very run the cell found). */
export async function htmlAssets(cells: readonly { strategy: string; faults: string; error: string | null; token: string | null }[], reportJson: string): Promise<HtmlAssets> {
  const diagrams = new Map<string, HtmlDiagram>();
  for (const cell of cells) {
    if (cell.error !== null || cell.token === null) continue;
    const captured = await capturedFromToken(cell.token);
    const view = traceViewOf(captured.case, captured.strategy, captured.verdict.result, captured.verdict.violation, captured.property);
    diagrams.set(diagramKey(cell.strategy, cell.faults), { mermaid: mermaidOf(captured), participants: view.participants.map((p) => p.name) });
  }
  return { diagrams, mermaidScript: mermaidBundle(), reportJson };
}
