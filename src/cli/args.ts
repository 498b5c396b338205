// How the commands read their command lines: `--flag value` and `--flag=value`, whole-number options, the
// inputs, and what a command does with a command line it will not run (-h/--help or errors). What each
// option means, and the words of the errors about it, stay with its command.
import type { CliIo } from './io';
import { terminalText } from './text';

/** A command line a command will not run: -h/--help was given, or these errors were found. */
export interface ArgsRefused {
  ok: false;
  errors: string[];
  help?: boolean;
}

/** The arguments of a command, read left to right with `--flag=value` split at its first `=`. */
export class ArgReader {
  private at = -1;
  private inline: string | undefined;
  /** The current argument as given. */
  raw = '';
  /** The current option: `--flag` of `--flag=value`, else the whole argument. */
  flag = '';
  /** Whether reading stopped at -h or --help. */
  help = false;

  /** `inlineOptions`: the options that take `=value`, when not all do (any other `--flag=value` is read whole). */
  constructor(
    private readonly argv: readonly string[],
    private readonly inlineOptions?: readonly string[],
  ) {}

  /** Moves to the next argument; false when there is none, or when it is -h or --help (then `help` is true). */
  next(): boolean {
    const raw = this.argv[++this.at];
    if (raw === undefined) return false;
    let eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    if (eq > 0 && this.inlineOptions !== undefined && !this.inlineOptions.includes(raw.slice(0, eq))) eq = -1;
    this.raw = raw;
    this.flag = eq > 0 ? raw.slice(0, eq) : raw;
    this.inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    this.help = this.flag === '-h' || this.flag === '--help';
    return !this.help;
  }

  /**
   * The current option's value: what follows its `=`, else the next argument, which is then used up; undefined
   * when there is none. With `notAnOption`, a next argument that starts with `--` is not taken either: it is
   * read as the option it looks like.
   */
  value(notAnOption = false): string | undefined {
    if (this.inline !== undefined) return this.inline;
    const v = this.argv[this.at + 1];
    if (v === undefined || (notAnOption && v.startsWith('--'))) return undefined;
    this.at++;
    return v;
  }
}

/**
 * A whole-number option's value, or undefined after adding an error to `errors`: none (or an option in its
 * place) `expects a number`, anything but digits `is not a whole number`, a number outside [min, max] `is out
 * of range`.
 */
export function wholeNumber(
  errors: string[],
  flag: string,
  value: string | undefined,
  min = 0,
  max = Infinity,
): number | undefined {
  if (value === undefined || value === '' || value.startsWith('--')) {
    errors.push(`${flag}: expects a number`);
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    errors.push(`${flag}: '${value}' is not a whole number`);
    return undefined;
  }
  const n = Number(value);
  if (n < min || n > max) {
    errors.push(`${flag}: ${n} is out of range (${min} to ${max})`);
    return undefined;
  }
  return n;
}

/** What is wrong with a command's inputs (paths, and - for stdin), if anything. */
export function inputsError(inputs: readonly string[]): string | undefined {
  if (inputs.length === 0) return 'missing input: give a file, a folder, or - for stdin';
  if (inputs.filter((x) => x === '-').length > 1) return 'stdin (-) can be given once';
  return undefined;
}

/**
 * Ends `vpcflow <command>` on a command line it will not run: with -h/--help, its usage on stdout and status 0;
 * else each error, then where to look, on stderr and status 1.
 */
export function refuseArgs(io: CliIo, command: string, usage: string, refused: ArgsRefused): number {
  if (refused.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  for (const e of refused.errors) io.stderr.write(`vpcflow ${command}: ${terminalText(e)}\n`);
  io.stderr.write(`Try vpcflow ${command} --help\n`);
  return 1;
}
