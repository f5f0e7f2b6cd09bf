import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { messageOf } from '../error-message.js';

/** Bad user input: one clear line on stderr, exit 2, never a stack trace. */
export class UsageError extends Error {}

export function parseCount(value: string): number {
  if (!isCount(value)) throw new InvalidArgumentError(`expected a positive whole number, got '${value}'`);
  return Number(value);
}

/** Whether `value` is a positive whole number written in digits (a count of runs, threads...). */
export function isCount(value: string): boolean {
  return /^[0-9]+$/.test(value) && Number(value) >= 1 && Number.isSafeInteger(Number(value));
}

/** A run timeout: at least a second, since the watchdog reads a run that has not finished as
 * hung, and below that a busy machine's pauses (a collection, a page fault storm) would read as
 * hangs: `--run-timeout 0.001` made the same check exit 0 or 3 from one run to the next. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(n >= 1) || n > 86_400) throw new InvalidArgumentError(`expected a number of seconds from 1 to 86400, got '${value}'`);
  return n;
}

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^-?[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new InvalidArgumentError(`expected a 32-bit integer seed, got '${value}'`);
  }
  return n;
}

/** The named item, or a UsageError listing the valid ones. */
export function choose<T>(kind: string, name: string, items: readonly T[], nameOf: (item: T) => string): T {
  const found = items.find((item) => nameOf(item) === name);
  if (found === undefined) throw new UsageError(`unknown ${kind} '${name}'; valid choices: ${items.map(nameOf).join(', ')}`);
  return found;
}

export type OutputFormat = 'text' | 'json' | 'markdown' | 'html' | 'mermaid';

export function formatOf(options: { format?: string; json?: boolean }, allowed: readonly string[] = ['text', 'json']): OutputFormat {
  // `--json` is `--format json`; with another format the command could only ignore one of them.
  // (--format has no default in the parser, so a `--format text` given is told from none.)
  if (options.json === true && options.format !== undefined && options.format !== 'json') throw new UsageError(`--json is --format json: give one of them, not --json with --format ${options.format}`);
  if (options.json === true) return 'json';
  const format = options.format ?? 'text';
  if (!allowed.includes(format)) throw new UsageError(`unknown format '${format}'; valid formats: ${allowed.join(', ')}`);
  return format as OutputFormat;
}

/** Writes `text` to `file`, making its folder; a failure is bad input naming the file. */
export function writeFileMakingFolder(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${messageOf(error)}`);
  }
}
