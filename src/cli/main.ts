// The `vpcflow` command line: dispatches to `parse` and `analyze`. Bundled into dist/cli.js.
import { version } from '../../package.json';
import { runAnalyze } from './analyze';
import { nodeIo, type CliIo } from './io';
import { runParse } from './parse';

export const USAGE = `Usage: vpcflow <command> [options]

Commands:
  parse <file|->     print the records of a VPC / Transit Gateway flow log (table or --ndjson)
  analyze <file|->   totals, top talkers and security triggers of a flow log

Options:
  -h, --help         this help (vpcflow <command> --help for a command's options)
  -V, --version      the version

Input may be plain text or gzip, with or without header lines, or CloudWatch Logs / Firehose JSON.`;

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
    default:
      io.stderr.write(`vpcflow: unknown command '${cmd.replace(/[^\x20-\x7e]/g, '?')}'\n${USAGE}\n`);
      return 1;
  }
}

// dist/cli.js is loaded by bin/vpcflow.js, so it runs on load; tests that import `main` set VPCFLOW_CLI_NO_AUTORUN=1.
if (process.env.VPCFLOW_CLI_NO_AUTORUN !== '1') {
  // A closed pipe (`vpcflow parse big.log | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2), nodeIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`vpcflow: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
