import { settingsLines, SCHEMA_VERSION, type CommandOutput } from './check.js';
import { caseLabels } from './output.js';
import { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { captureCase, tokenStrategy } from './replay.js';
import { readReplayInput } from './replay-input.js';
import { propertyOption } from './property-labels.js';
import { choose, formatOf, UsageError } from './usage.js';
import { realGuard, versionOption } from './real.js';
import { leaseDeployment } from '../../real/lifetime.js';
import { runReal } from '../../real/driver.js';
import { compareRuns, formatAnswer, rowMark, verdicts } from '../../real/compare.js';
import { REAL_RELEASES } from '../../real/versions.js';
import { realModelStrategy } from '../../real/model-side.js';

export interface ReplayRealOptions {
  real?: string;
  synapseSrc?: string;
  property?: string;
  format?: string;
  json?: boolean;
}

/**
 * `replay TOKEN --real V`: the token's case in the model under V's profile and, with the same
 * routing, in a real Synapse V deployment (docs/real.md); request by request the two answers,
 * then both verdicts. Exit 0 when they agree on every request and verdict, 1 otherwise.
 */
export async function runReplayReal(input: string, options: ReplayRealOptions): Promise<CommandOutput> {
  const format = formatOf(options, ['text', 'json']);
  const version = versionOption(options.real, '--real');
  const { payload } = readReplayInput(input);
  const requested = options.property === undefined ? payload.property : propertyOption(options.property);
  const properties: readonly PropertyName[] = requested === ALL_PROPERTIES ? PROPERTY_NAMES : [choose<PropertyName>('property', requested, PROPERTY_NAMES, (p) => p)];
  const strategy = realModelStrategy(await tokenStrategy(payload), version);
  const c = { ...payload.case, profile: REAL_RELEASES[version].profile };
  const captured = captureCase(c, properties, strategy);
  return realGuard(async () => {
    const t0 = Date.now();
    const lease = await leaseDeployment(version, { routing: strategy.routing, routingName: strategy.name, ...(options.synapseSrc === undefined ? {} : { synapseSrc: options.synapseSrc }), log: (line) => process.stderr.write(`${line}\n`) });
    const setupMs = Date.now() - t0;
    try {
      const real = await runReal(c, captured.verdict.result, lease.state);
      process.stderr.write(`${lease.started ? `set up in ${(setupMs / 1000).toFixed(1)} s, ` : ''}case ran in ${real.wallMs} ms on the real deployment\n`);
      const rows = compareRuns(captured.verdict.result, real);
      const judged = verdicts(c, captured.verdict.result, real, properties);
      const agree = rows.every((r) => rowMark(r) !== 'DIFFER') && judged.every((v) => v.realViolated === null || v.realViolated === v.modelViolated);
      const exitCode = agree ? 0 : 1;
      if (format === 'json') {
        const json = { schemaVersion: SCHEMA_VERSION, real: REAL_RELEASES[version].release, strategy: strategy.name, profile: c.profile, agree, rows, verdicts: judged, notes: real.notes };
        return { stdout: JSON.stringify(json) + '\n', exitCode };
      }
      const text = [
        ...settingsLines(strategy.name, c.profile, caseLabels(c).faults, caseLabels(c).workload),
        `real Synapse ${REAL_RELEASES[version].release} behind nginx, routed as ${strategy.name}: ${c.workload.clients.length} client(s)`,
        ...real.notes.map((n) => `  note: ${n}`),
        '',
        ...rows.flatMap((r) => [
          `${String(r.request).padStart(3)}. ${r.actor.padEnd(9)} ${r.what}`,
          `       model ${formatAnswer(r.model)}`,
          `       real  ${formatAnswer(r.real)}   ${rowMark(r)}`,
        ]),
        '',
        ...judged.flatMap((v) => [`${v.property}: model ${v.model}; real ${v.real}`, ...(v.realWhy === undefined ? [] : [`  real: ${v.realWhy}`])]),
        agree ? (rows.every((r) => r.agree) ? 'The real run agrees with the model on every request.' : 'The real run agrees with the model except where requests in flight together raced (marked race), and on what the clients whose answers raced did after (marked after race).') : 'The real run DIFFERS from the model.',
      ];
      return { stdout: text.join('\n') + '\n', exitCode };
    } finally {
      await lease.release();
    }
  });
}

export { UsageError };
