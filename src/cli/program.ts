import { Command, CommanderError } from '@commander-js/extra-typings';
import { CaseFormatError } from '../../models/case-codec.js';
import { PluginDefinitionError } from '../../models/plugin-error.js';
import { FailureFileError } from '../run/failure-file.js';
import { TokenError } from '../run/token.js';
import type { CommandOutput } from './output.js';
import { ShardError } from '../run/shard.js';
import { parseCount, parseSeconds, parseSeed, UsageError, writeFileMakingFolder } from './usage.js';
import { collect } from './switches.js';

/** Where a command may write while it runs, beside its output: stderr when it is a terminal
 * (src/cli/main.ts), for compare's progress bar and a long exploration's progress line. Without
 * it the simulated commands write nothing themselves; the real-Synapse ones (`real`, `conform`,
 * `replay --real`) log the deployment's set-up and their progress to stderr as they go. */
export interface CliIo {
  readonly terminal?: NodeJS.WriteStream;
}

/** `--out FILE`: the report goes to the file (its folders made, as --save-failures makes its
 * own); stdout says where. */
function toFile(output: CommandOutput, file: string | undefined): CommandOutput {
  if (file === undefined) return output;
  writeFileMakingFolder(file, output.stdout);
  return { ...output, stdout: `wrote ${file}\n` };
}

/** Runs a command, turning bad input into one line and exit 2. */
async function usageErrorsAsOutput(run: () => CommandOutput | Promise<CommandOutput>): Promise<CommandOutput> {
  try {
    return await run();
  } catch (error) {
    // PluginDefinitionError reaches here from withPlugins (a store and a routing file that clash);
    // a single file's mistakes are caught with its name in src/cli/plugins.ts and routing-file.ts.
    if (error instanceof UsageError || error instanceof TokenError || error instanceof CaseFormatError || error instanceof FailureFileError || error instanceof ShardError || error instanceof PluginDefinitionError) {
      return { stdout: '', stderr: `uiasim: ${error.message}\n`, exitCode: 2 };
    }
    throw error;
  }
}

/** Commander's parse errors in the form of every other bad input (docs/cli.md): `uiasim: ...` on
 * one line, its "(Did you mean ...?)" line folded in. */
function parseErrorLine(text: string): string {
  return `${text.trimEnd().replace(/^error: /, 'uiasim: ').replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)')}\n`;
}

/**
 * The `uiasim` command line: parses `argv` (the arguments after the program's name), runs the
 * command and returns what it prints and its exit code (src/cli/main.ts prints the output and
 * exits); a simulated command writes only `io`'s progress itself (CliIo). Bad input is exit 2 with
 * one line on stderr, as Commander's own parse errors are; help is exit 0. A fault of uiasim
 * itself throws. Most suites run commands through it in their own thread (test/cli/run-cli.ts),
 * where a command runs its work in that thread, without the run watchdog: there are no built
 * worker scripts beside the sources.
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<CommandOutput> {
  let parserStdout = '';
  let parserStderr = '';
  let output: CommandOutput | null = null;
  const guarded = async (run: () => CommandOutput | Promise<CommandOutput>): Promise<void> => {
    output = await usageErrorsAsOutput(run);
  };

  // Each action imports its command's module when it runs, so a process loads only what its
  // command needs (`--help` 0.35 -> 0.15 s of CPU; docs/performance.md).
  const program = new Command()
    .name('uiasim')
    .description('Deterministic simulator of Synapse workers and UIA session stores, with property-based checks')
    .exitOverride()
    .configureOutput({ writeOut: (text) => (parserStdout += text), writeErr: (text) => (parserStderr += text), outputError: (text, write) => write(parseErrorLine(text)) });

  program
    .command('check')
    .description('property runs for one strategy; shrinks the first failure to a minimal counterexample')
    .option('--strategy <name>', 'session strategy (see `uiasim list`); with --store, the one whose routing and profile it uses (default sql)')
    .option('--store <file>', 'a session store plug-in (.js or .ts, docs/plugins.md "Plug-in stores")')
    .option('--routing <file>', 'a routing plug-in: your own worker map (docs/plugins.md "Routing files")')
    .option('--profile <version>', 'Synapse profile (default: the strategy\'s)')
    .option('--set <switch=value>', 'set a profile or homeserver-config switch, e.g. sso.samlEnabled=true (repeatable; see `uiasim list switches`)', collect)
    .option('--faults <profile>', 'fault profile', 'any-restart')
    .option('--property <name>', 'property to check (see `uiasim list`), or all: each in turn until one is violated', 'progress-never-lost')
    .option('--workload <name>', 'client workload: registration, password, deactivate, 3pid-add, delete-devices, cross-signing, login-token, mix or session-reuse (see `uiasim list`)', 'mix')
    .option('--runs <n>', 'number of generated cases', parseCount, 100)
    .option('--seed <n>', 'fast-check seed', parseSeed, 1)
    .option('--stats', 'print what the runs reached (coverage shares); the JSON always carries them')
    .option('--max-shrink-ms <ms>', 'wall-clock cap on shrinking; a shrink cut short is marked partial', parseCount)
    .option('--format <format>', 'text (the default) or json')
    .option('--json', 'same as --format json')
    .option('--save-failures <dir>', 'write the minimal counterexample as a failure file (JSON) into this directory')
    .option('--check-determinism', 'run every case twice; exit 1 naming the first differing event if two runs differ')
    .option('--jobs <n>', 'worker threads (default: UIASIM_JOBS or the number of cores from 1,000 runs, else 1); the output does not depend on it', parseCount)
    .option('--run-timeout <seconds>', 'a run taking longer is reported as hung, with its replay token (exit 3)', parseSeconds, 10)
    .option('--shard <k/n>', 'run only slice k of n of the runs and print a shard file for `uiasim merge`')
    .option('--out <file>', 'write the report (or the shard file) to this file instead of stdout')
    .action((options) => guarded(async () => toFile(await (await import('./check-all.js')).runCheckProperties(options), options.out)));

  program
    .command('replay')
    .description('re-run the case of a replay token bit for bit (exit 1 when the property is violated)')
    .argument('<token|file>', 'a uiasim1. replay token, or a failure file written by --save-failures')
    .option('--strategy <name>', 'replay the same case under another strategy')
    .option('--profile <version>', 'replay under another Synapse profile')
    .option('--set <switch=value>', "set a profile or homeserver-config switch on top of the token's (repeatable)", collect)
    .option('--property <name>', "judge the run by this property (default: the token's), or all: the first violated")
    .option('--format <format>', 'text (a timeline, the default), mermaid (a sequence diagram) or json')
    .option('--check-determinism', 'run the case twice; exit 1 naming the first differing event if the runs differ')
    .option('--json', 'same as --format json')
    .option('--real <version>', 'also run the case on a real Synapse (1.8, 1.12 or 1.13) and compare request by request (docs/real.md)')
    .option('--synapse-src <dir>', 'with --real: where Synapse is (default $UIASIM_SYNAPSE_SRC)')
    .action((token, options) => guarded(async () => (options.real === undefined ? (await import('./replay.js')).runReplay(token, options) : (await import('./replay-real.js')).runReplayReal(token, options))));

  program
    .command('real')
    .description('a real Synapse deployment on 127.0.0.1: PostgreSQL, main, reader1, reader2, nginx (docs/real.md)')
    .argument('<action>', 'up, down or status')
    .option('--synapse <version>', 'the Synapse version: 1.8, 1.12 or 1.13')
    .option('--strategy <name>', "route as this strategy's worker map (default: the version's own)")
    .option('--routing <file>', 'route as this routing file')
    .option('--synapse-src <dir>', 'where Synapse is (default $UIASIM_SYNAPSE_SRC): synapse-vX.Y.Z trees, or a virtualenv')
    .action((action, options) => guarded(async () => (await import('./real.js')).runReal(action, options)));

  program
    .command('conform')
    .description('generated registration cases in the model and on a real Synapse: agreement per endpoint and stage, the first disagreement shrunk (docs/real.md)')
    .option('--real <version>', 'the real Synapse: 1.8, 1.12 or 1.13')
    .option('--runs <n>', 'generated cases', parseCount, 30)
    .option('--seed <n>', 'fast-check seed', parseSeed, 1)
    .option('--strategy <name>', "route as this strategy's worker map (default: the version's own)")
    .option('--workload <name>', 'client workload (registration only)', 'registration')
    .option('--faults <profile>', 'fault profile (default steady)', 'steady')
    .option('--synapse-src <dir>', 'where Synapse is (default $UIASIM_SYNAPSE_SRC)')
    .action((options) => guarded(async () => (await import('./conform.js')).runConform(options)));

  program
    .command('compare')
    .description('every strategy x fault profile: which lose UIA progress, each failure with a replay token')
    .option('--strategies <names>', 'comma-separated strategies (default: all)')
    .option('--faults <names>', 'comma-separated fault profiles (default: all)')
    .option('--runs <n>', 'runs per cell (500: about 20 s for the whole matrix on 2 cores)', parseCount, 500)
    .option('--seed <n>', 'seed of the whole comparison', parseSeed, 1)
    .option('--jobs <n>', 'worker threads (default: UIASIM_JOBS or the number of cores); results do not depend on it', parseCount)
    .option('--format <format>', 'text (the default), markdown, json or html (one self-contained page)')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--json', 'same as --format json')
    .option('--fail-on-unexpected', 'exit 1 when a verdict differs from models/expectations.ts')
    .option('--property <name>', 'the property of the matrix (default progress-never-lost; see `uiasim list`), or all: one matrix per property')
    .option('--workload <name>', 'client workload of every cell (see `uiasim list`; default mix)')
    .option('--set <switch=value>', 'set a profile or homeserver-config switch in every cell (repeatable; see `uiasim list switches`)', collect)
    .option('--store <file>', 'adds a row: a session store plug-in (docs/plugins.md "Plug-in stores")')
    .option('--routing <file>', "adds a row: your worker map (with --store, the store's)")
    .option('--failures-file <file>', 'where the text report writes every failure\'s reason and replay token (default compare-failures/{property}.txt)')
    .option('--save-failures <dir>', "write each cell's minimal counterexample as a failure file (JSON) into this directory")
    .option('--run-timeout <seconds>', 'a run taking longer makes its cell ERROR, with its replay token; the others carry on', parseSeconds, 10)
    .option('--shard <k/n>', 'compute only every n-th cell from the k-th and print a shard file for `uiasim merge`')
    .action((options) => guarded(async () => toFile(await (await import('./compare.js')).runCompare(options, io.terminal), options.out)));

  program
    .command('merge')
    .description('combine the shard files of one check, compare or explore (--shard k/n --out FILE) into what the unsharded command prints')
    .argument('<files...>', 'every shard file, 1/n to n/n, in any order')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action((files, options) => guarded(async () => toFile(await (await import('./merge.js')).runMerge(files), options.out)));

  program
    .command('regress')
    .description('write a vitest test that replays a saved failure (passes once the strategy keeps the property)')
    .argument('<file>', 'a failure file written by --save-failures (or a replay token)')
    .option('--out <path>', 'write the test to this file instead of stdout')
    .option('--import <specifier>', "where the test imports checkToken from (default 'uia-sim/properties')")
    .action((file, options) => guarded(async () => toFile(await (await import('./regress.js')).runRegress(file, options), options.out)));

  program
    .command('explore')
    .description('every schedule of a small scope (orders of events, faults at any step): a proof for the scope, or its shortest counterexample')
    .requiredOption('--scope <name|file>', 'a named scope (docs/explore.md) or a scope file (.json)')
    .option('--strategy <name>', 'session strategy (see `uiasim list`); with --store, the one whose routing and profile it uses (default sql)')
    .option('--store <file>', 'a session store plug-in (.js or .ts, docs/plugins.md "Plug-in stores")')
    .option('--routing <file>', 'a routing plug-in: your own worker map (docs/plugins.md "Routing files")')
    .option('--profile <version>', "Synapse profile (default: the scope's, else the strategy's)")
    .option('--property <name>', 'property to check, or all: every property on every schedule', 'progress-never-lost')
    .option('--search <order>', 'bfs (the shortest counterexample) or dfs (cheaper proofs)', 'bfs')
    .option('--max-states <n>', 'stop after this many distinct states (the result then says NOT proven)', parseCount)
    .option('--no-fingerprints', 'do not prune paths at states explored already')
    .option('--sleep-sets', 'sleep sets: skip orders that only swap deliveries to different nodes (with --search dfs)')
    .option('--dpor', 'dynamic partial-order reduction (with --search dfs): re-run an order only where two steps on one node race; sleep sets on, fingerprint pruning off, one task')
    .option('--jobs <n>', 'worker threads (default: UIASIM_JOBS or the number of cores); the output does not depend on it', parseCount)
    .option('--run-timeout <s>', 'a run of the model longer than this is stuck: exit 3 (default 10)', parseSeconds)
    .option('--split-depth <d>', 'with --search dfs: cut the tree into the subtrees off the first path\'s first d decisions, the pieces --jobs and --shard share (default 1; the counts depend on it)', parseCount)
    .option('--shard <k/n>', 'with --search dfs: explore every n-th task of the split from the k-th and print a shard file for `uiasim merge`')
    .option('--out <file>', 'write the report (or the shard file) to this file instead of stdout')
    .option('--format <format>', 'text (the default) or json')
    .option('--json', 'same as --format json')
    .action((options) =>
      guarded(async () => {
        let progressShown = false;
        const output = await (await import('./explore.js')).runExplore(
          options,
          io.terminal === undefined
            ? undefined
            : (stats, elapsedMs) => {
                io.terminal?.write(`\r${stats.states} states, ${stats.schedules} schedules, ${Math.round((stats.states * 1000) / Math.max(1, elapsedMs))} states/s, frontier ${stats.frontier}   `);
                progressShown = true;
              },
        );
        // The progress line is erased before the report and the timing line are written.
        if (progressShown) io.terminal?.write('\r\x1b[K');
        // A hung or interrupted shard prints nothing: no file, rather than an empty one.
        return output.stdout === '' ? output : toFile(output, options.out);
      }),
    );

  program
    .command('list')
    .description('strategies, profiles, fault profiles, workloads, stage types, properties and explore scopes, one line each; `list switches`: what --set takes')
    .argument('[what]', 'switches: every profile and homeserver-config switch --set takes')
    .option('--format <format>', 'text (the default) or json')
    .option('--json', 'same as --format json')
    .action((what, options) => guarded(async () => (await import('./list.js')).runList(options, what)));

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Help and version exit 0; every other parse error is a usage error (exit 2), already written.
    if (error instanceof CommanderError) return { stdout: parserStdout, stderr: parserStderr, exitCode: error.exitCode === 0 ? 0 : 2 };
    throw error;
  }
  if (output === null) throw new Error('uiasim: the command line parsed but no command ran');
  return output;
}
