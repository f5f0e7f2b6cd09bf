#!/usr/bin/env node
import { runCli } from './program.js';

// Progress (compare's bar, explore's line) only on a terminal; a pipe gets the report alone.
const output = await runCli(process.argv.slice(2), process.stderr.isTTY ? { terminal: process.stderr } : {});
if (output.stderr) process.stderr.write(output.stderr);
// process.exit runs in the write callback so piped stdout is flushed first.
process.stdout.write(output.stdout, () => process.exit(output.exitCode));
