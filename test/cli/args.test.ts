// The command-line mechanics the commands share (src/cli/args.ts): `--flag value` and `--flag=value`, the
// refusal of an option in a value's place, -h/--help, whole-number options and what a refused command line prints.
import { strict as assert } from 'node:assert';
import { ArgReader, inputsError, refuseArgs, wholeNumber } from '../../src/cli/args';
import { capturedIo } from './capturedIo';

/** Each argument as [raw, flag, value()] (value read only for the options in `valued`). */
function read(argv: string[], valued: string[], notAnOption = false, inlineOptions?: string[]): unknown[] {
  const args = new ArgReader(argv, inlineOptions);
  const out: unknown[] = [];
  while (args.next()) out.push([args.raw, args.flag, valued.includes(args.flag) ? args.value(notAnOption) : null]);
  if (args.help) out.push('help');
  return out;
}

describe('cli: command-line arguments', () => {
  it('reads --flag value and --flag=value (split at the first =), and leaves -x=1 and paths whole', () => {
    assert.deepEqual(read(['--top', '5', '--top=6=7', '-x=1', 'a.log', '-', '--json=1'], ['--top']), [
      ['--top', '--top', '5'],
      ['--top=6=7', '--top', '6=7'],
      ['-x=1', '-x=1', null],
      ['a.log', 'a.log', null],
      ['-', '-', null],
      ['--json=1', '--json', null],
    ]);
  });

  it('takes an option as a value unless told not to; a missing value is undefined', () => {
    assert.deepEqual(read(['--format', '--json'], ['--format']), [['--format', '--format', '--json']]);
    assert.deepEqual(read(['--engine', '--list'], ['--engine'], true), [
      ['--engine', '--engine', undefined],
      ['--list', '--list', null],
    ]);
    assert.deepEqual(read(['--engine=--x', '--top'], ['--engine', '--top'], true), [
      ['--engine=--x', '--engine', '--x'],
      ['--top', '--top', undefined],
    ]);
  });

  it('splits only the options named, when given', () => {
    assert.deepEqual(read(['--format=x', '--ndjson=1', '--help=1'], ['--format'], false, ['--format']), [
      ['--format=x', '--format', 'x'],
      ['--ndjson=1', '--ndjson=1', null],
      ['--help=1', '--help=1', null],
    ]);
  });

  it('stops at -h or --help (also --help=…), not at one taken as a value', () => {
    assert.deepEqual(read(['--json', '-h', '--bogus'], []), [['--json', '--json', null], 'help']);
    assert.deepEqual(read(['--help=x'], []), ['help']);
    assert.deepEqual(read(['--format', '-h'], ['--format']), [['--format', '--format', '-h']]);
  });

  it('whole numbers: the messages of a missing, an option, a non-number and an out-of-range value', () => {
    const errors: string[] = [];
    assert.equal(wholeNumber(errors, '--top', '12', 1, 1000), 12);
    assert.equal(wholeNumber(errors, '--max-hits', '0'), 0);
    for (const v of [undefined, '', '--json', '-3', '1.5', '0', '1001'])
      assert.equal(wholeNumber(errors, '--top', v, 1, 1000), undefined);
    assert.deepEqual(errors, [
      '--top: expects a number',
      '--top: expects a number',
      '--top: expects a number',
      "--top: '-3' is not a whole number",
      "--top: '1.5' is not a whole number",
      '--top: 0 is out of range (1 to 1000)',
      '--top: 1001 is out of range (1 to 1000)',
    ]);
  });

  it('inputs: at least one, stdin once', () => {
    assert.equal(inputsError([]), 'missing input: give a file, a folder, or - for stdin');
    assert.equal(inputsError(['-', 'a', '-']), 'stdin (-) can be given once');
    assert.equal(inputsError(['-', 'a']), undefined);
  });

  it('a refused command line: the usage on stdout and 0 for help, else the errors (terminal-safe) on stderr and 1', () => {
    const c = capturedIo();
    assert.equal(refuseArgs(c.io, 'parse', 'Usage: x', { ok: false, errors: ['ignored'], help: true }), 0);
    assert.deepEqual([c.out, c.err], ['Usage: x\n', '']);
    c.clear();
    assert.equal(refuseArgs(c.io, 'query', 'Usage: x', { ok: false, errors: ['one', 'bad \u001b[2J'] }), 1);
    assert.deepEqual(
      [c.out, c.err],
      ['', 'vpcflow query: one\nvpcflow query: bad \\x1b[2J\nTry vpcflow query --help\n'],
    );
  });
});
