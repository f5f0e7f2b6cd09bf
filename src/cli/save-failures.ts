import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { decodeTokenPayload } from '../../models/case-codec.js';
import { describeFault } from '../faults.js';
import { failureFileName, serializeFailure } from '../run/failure-file.js';
import { decodeToken } from '../run/token.js';
import { capturedFromPayload, timelineOf } from './replay.js';
import { UsageError, writeFileMakingFolder } from './usage.js';
import { messageOf } from '../error-message.js';

/**
 * `--save-failures DIR`: one failure file per minimal counterexample (src/run/failure-file.ts
 * has the schema). Each is rebuilt from its token by a captured re-run, which determinism makes
 * the same run that found it. Returns the paths written.
 */
export async function saveFailures(dir: string, tokens: readonly string[]): Promise<string[]> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create ${dir}: ${messageOf(error)}`);
  }
  const written: string[] = [];
  for (const token of tokens) {
    const payload = decodeTokenPayload(decodeToken(token));
    const captured = await capturedFromPayload(payload);
    const { violation, result } = captured.verdict;
    const c = captured.case;
    const property = captured.property;
    if (violation === null) throw new Error(`save-failures: the case of ${c.strategy} under ${c.faultProfile} no longer fails; the run is not deterministic`);
    // A --routing case keeps its base strategy's name: its file names the routing file too, so it
    // neither reads as nor overwrites the built-in strategy's failure.
    const routingFile = payload.plugins?.routing?.file;
    const row = routingFile === undefined ? c.strategy : `${c.strategy}+${basename(routingFile, extname(routingFile))}`;
    const file = join(dir, failureFileName(row, c.faultProfile, property));
    const text = serializeFailure({
      strategy: c.strategy,
      profile: c.profile,
      faultProfile: c.faultProfile,
      property,
      requests: violation.requests,
      clients: c.workload.clients.length,
      faults: c.faultPlan.faults.map(describeFault),
      why: violation.why,
      traceHash: result.traceHash,
      token,
      timeline: timelineOf(captured).map((line) => line.trimEnd()),
    });
    writeFileMakingFolder(file, text);
    written.push(file);
  }
  return written;
}

/** What --save-failures wrote, one line a file; for a matrix with none, which matrix
 * (`compare --property all` prints one note per property). */
export function savedNote(files: readonly string[], property?: string): string {
  if (files.length === 0) return property === undefined ? 'no failure to save\n' : `no failure to save: no cell violated ${property}\n`;
  return files.map((f) => `saved failure  ${f}\n`).join('');
}
