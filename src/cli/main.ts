// The `vpcflow` command line: dispatches to `parse` and `analyze`. Bundled into dist/cli.js.
import { version } from '../../package.json';
import { runAnalyze } from './analyze';
import * as fs from 'node:fs';
import { nodeIo, type CliIo } from './io';
import { runParse } from './parse';
import { runQuery } from './query';
import { terminalText } from './text';
import { errorText } from '../core/text';

export const USAGE = `Usage: vpcflow <command> [options]

Commands:
  parse <path...>    print the records of VPC / Transit Gateway flow logs (table or --ndjson)
  analyze <path...>  totals, top talkers and security triggers of flow logs, on every core
  query --engine e   the triggers and tables as Athena, Logs Insights, metric-filter or DuckDB queries

Options:
  -h, --help         this help (vpcflow <command> --help for a command's options)
  -V, --version      the version

A path is a file, a folder (read recursively, S3 objects in time order) or - for stdin. Input may be
plain text, gzip or Parquet, with or without header lines, or CloudWatch Logs / Firehose JSON.

Exit status: 0 done, 1 usage or I/O error (a closed or failing stdout included), 2 damaged input
(truncated or corrupt gzip: what decoded is used), 3 analyze --fail-on actionable and a trigger fired.
A reader that goes away early (vpcflow parse big.log | head) is not an error.`;

/** Runs the CLI with `argv` (without node and the script). Resolves to the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      io.stderr.write(`${USAGE}\n`);
      return 1;
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(`${USAGE}\n`);
      return 0;
    case '-V':
    case '--version':
    case 'version':
      io.stdout.write(`${version}\n`);
      return 0;
    case 'parse':
      return runParse(rest, io);
    case 'analyze':
      return runAnalyze(rest, io);
    case 'query':
      return runQuery(rest, io);
    default:
      io.stderr.write(`vpcflow: unknown command '${terminalText(cmd)}'\n${USAGE}\n`);
      return 1;
  }
}

/**
 * Whether stdout was closed when the process started (`vpcflow analyze f >&-`). Node reopens a closed
 * stdio descriptor on /dev/null, read-write, so writes would vanish and the command would exit 0; a shell
 * redirection to /dev/null opens it write-only. Linux only (/proc); elsewhere this says false.
 */
export function stdoutWasClosed(): boolean {
  try {
    if (fs.readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const m = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync('/proc/self/fdinfo/1', 'utf8'));
    return m !== null && (parseInt(m[1]!, 8) & 3) === 2; // O_RDWR
  } catch {
    return false;
  }
}

/** The command writes to stdout (not --help on stderr and the like): any command but none at all. */
function writesStdout(argv: readonly string[]): boolean {
  return argv.length > 0;
}

// dist/cli.js is loaded by bin/vpcflow.js, so it runs on load; tests that import `main` set VPCFLOW_CLI_NO_AUTORUN=1.
if (process.env.VPCFLOW_CLI_NO_AUTORUN !== '1') {
  const argv = process.argv.slice(2);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // A reader that went away (`vpcflow parse big.log | head`) is not an error.
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`vpcflow: cannot write to standard output: ${terminalText(err.message)}\n`);
    process.exit(1);
  });
  if (writesStdout(argv) && stdoutWasClosed()) {
    process.stderr.write('vpcflow: standard output is closed: nothing could be written\n');
    process.exitCode = 1;
  } else {
    main(argv, nodeIo()).then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`vpcflow: ${terminalText(errorText(err))}\n`);
        process.exitCode = 1;
      },
    );
  }
}
