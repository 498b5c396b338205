// The real CLI, run as a child process (node + tsx on src/cli/main.ts): exit codes, stdout and stderr.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Output } from '../../src/cli/io';
import { writeRecord, writeUnparsed } from '../../src/cli/ndjson';
import { jsonString, jsonText, terminalText } from '../../src/cli/text';
import { FlowParser } from '../../src/core/parser';
import { fieldRaw } from '../../src/core/record';
import { recordTags } from '../../src/core/tags';
import type { FlowRecord, UnparsedLine } from '../../src/core/types';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');

function vpcflow(args: string[], input?: string | Buffer): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('cli: vpcflow parse', function () {
  this.timeout(60000);

  it('prints an aligned table and a summary with the format, its source and confidence', () => {
    const r = vpcflow(['parse', join(FIX, 'aws-examples-default.log')]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 8);
    assert.match(lines[0]!, /^LINE {2}VERSION {2}ACCOUNT-ID +INTERFACE-ID +SRCADDR +DSTADDR +SRCPORT {2}DSTPORT/);
    // Columns line up: DSTPORT starts at the same column in the header and every row.
    const col = lines[0]!.indexOf('DSTPORT');
    assert.equal(lines[1]!.slice(col, col + 2), '22');
    assert.equal(lines[2]!.slice(col, col + 4), '3389');
    assert.match(r.err, /^vpcflow parse: 7 lines, 7 records, 0 headers, 0 unparsed, 0 blank$/m);
    assert.match(r.err, /^format: default v2 \(source: default, confidence 0\.90\) for 7 records$/m);
  });

  it('--ndjson: one object per record or unparsed line, absent fields left out, tags included', () => {
    const r = vpcflow(['parse', '--ndjson', join(FIX, 'malformed.log')]);
    assert.equal(r.code, 0, r.err);
    const objs = r.out
      .trimEnd()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            line: number;
            fields?: Record<string, string>;
            tags?: Record<string, string>;
            error?: string;
          },
      );
    assert.deepEqual(
      objs.map((o) => o.line),
      [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    );
    assert.deepEqual(objs[1], { line: 2, error: 'expected 14 fields, found 9' });
    assert.deepEqual(objs[2], { line: 3, error: "field dstport: 'abc' is not a port" });
    const first = objs[0]!;
    assert.equal(first.fields?.dstport, '22');
    assert.equal(first.tags?.DstPort, '22/ssh');
    assert.equal(first.tags?.Protocol, 'TCP');
    const nodata = objs.find((o) => o.line === 13)!;
    assert.equal(nodata.fields?.['log-status'], 'NODATA');
    assert.equal('srcaddr' in nodata.fields, false, "'-' fields are left out");
    assert.match(r.err, /15 lines, 8 records, 0 headers, 6 unparsed, 1 blank/);
  });

  it('reads gzip files with a header, and JSON envelopes', () => {
    const gz = vpcflow([
      'parse',
      '--ndjson',
      join(FIX, '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz'),
    ]);
    assert.equal(gz.code, 0, gz.err);
    assert.equal(gz.out.trimEnd().split('\n').length, 7);
    assert.match(gz.err, /1 header/);
    assert.match(gz.err, /source: header, confidence 1\.00/);
    const fh = vpcflow(['parse', '--ndjson', join(FIX, 'firehose-request-cloudwatch.json')]);
    assert.equal(fh.code, 0);
    assert.equal(fh.out.trimEnd().split('\n').length, 7);
    assert.match(fh.err, /1 no-flow messages \(CONTROL_MESSAGE\)/);
    assert.match(fh.err, /envelope: firehose \(7 records\)/);
  });

  it('reads stdin with -, plain or gzip', () => {
    const text = readFileSync(join(FIX, 'logzilla-format2.log'));
    const r = vpcflow(['parse', '--ndjson', '-'], text);
    assert.equal(r.code, 0, r.err);
    const o = JSON.parse(r.out) as { fields: Record<string, string> };
    assert.equal(o.fields['az-id'], 'apse2-az3');
    assert.match(r.err, /all fields \(alphabetical\) \(source: alphabetical/);
    const gz = vpcflow(
      ['parse', '-'],
      readFileSync(join(FIX, '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz')),
    );
    assert.equal(gz.code, 0, gz.err);
    assert.match(gz.err, /7 records/);
  });

  it('applies --format to header-less input', () => {
    const input = '10.0.0.1 10.0.0.2 REJECT\n10.0.0.2 10.0.0.1 ACCEPT\n';
    const r = vpcflow(['parse', '--ndjson', '--format', '${srcaddr} ${dstaddr} ${action}', '-'], input);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out.split('\n')[0]!), {
      line: 1,
      fields: { srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'REJECT' },
      tags: { Action: 'REJECT', DstIP: '10.0.0.2', SrcIP: '10.0.0.1' },
    });
    assert.match(r.err, /source: user, confidence 1\.00/);
  });

  it('exits 1 with a clear message on a missing file, an unknown field, or bad usage', () => {
    const missing = vpcflow(['parse', join(FIX, 'nope.log')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read '.*nope\.log': no such file/);
    const unknown = vpcflow(['parse', '--format', 'version dst-port', join(FIX, 'aws-examples-default.log')]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.err, "vpcflow parse: --format: unknown field 'dst-port' (did you mean 'dstport'?)\n");
    assert.equal(unknown.out, '');
    const noInput = vpcflow(['parse']);
    assert.equal(noInput.code, 1);
    assert.match(noInput.err, /missing input/);
    const badOpt = vpcflow(['parse', '--bogus', 'x']);
    assert.equal(badOpt.code, 1);
    assert.match(badOpt.err, /unknown option '--bogus'/);
  });

  it('does not let log text drive the terminal (control characters escaped in the table)', () => {
    const input = `srcaddr action ecs-service-name\n10.0.0.1 ACCEPT evil\u001b[2J\u009b31m\n`;
    const r = vpcflow(['parse', '-'], input);
    assert.equal(r.code, 0);
    assert.ok(!r.out.includes('\u001b') && !r.out.includes('\u009b'));
    assert.match(r.out, /evil\\x1b\[2J\\x9b31m/);
    const j = vpcflow(['parse', '--ndjson', '-'], input);
    assert.ok(!j.out.includes('\u001b') && !j.out.includes('\u009b'));
    assert.equal(
      (JSON.parse(j.out) as { fields: Record<string, string> }).fields['ecs-service-name'],
      'evil\u001b[2J\u009b31m',
    );
  });
});

describe('cli: hardening', function () {
  this.timeout(60000);
  const REC = '2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK';

  it('the NDJSON writer gives what JSON.stringify of the object gives, escaping C1 and U+2028 too', () => {
    const escaped = (s: string): string =>
      JSON.stringify(s).replace(
        /[\u007f-\u009f\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        assert.equal(jsonString(s), escaped(s));
        assert.equal(jsonText({ s }), `{"s":${escaped(s)}}`);
      }),
      { numRuns: 2000 },
    );
    // Whole records: hostile tokens in a free-text field, through the byte writer.
    const lines = [
      `srcaddr action ecs-service-name`,
      `10.0.0.1 ACCEPT plain`,
      `10.0.0.1 REJECT e\u001b[2J\u009b\u2028\u2029"\\\u0000\ud800x\u00e9\u{1f600}`,
      `10.0.0.1 ACCEPT -`,
      `not a record at all \u0085`,
    ];
    const seen: string[] = [];
    const want: string[] = [];
    const out = new Output({ write: (b: string | Uint8Array) => seen.push(Buffer.from(b).toString('utf8')) });
    const p = new FlowParser({
      record(rec: FlowRecord) {
        writeRecord(out, rec);
        const fields: Record<string, string> = {};
        rec.format.fields.forEach((n, i) => {
          if (fieldRaw(rec, i) !== '-') fields[n] = fieldRaw(rec, i);
        });
        want.push(jsonText({ line: rec.line, fields, tags: recordTags(rec) }));
      },
      unparsed(u: UnparsedLine) {
        writeUnparsed(out, u);
        want.push(jsonText({ line: u.line, error: u.reason }));
      },
    });
    p.push(lines.join('\n'));
    p.end();
    void out.flush();
    assert.equal(seen.join(''), want.map((w) => `${w}\n`).join(''));
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(seen.join('').replace(/\n/g, '')));
  });

  it('terminalText escapes ESC, C0, C1, separators and bidi controls, and nothing else', () => {
    assert.equal(terminalText('a\u001b[31mb\u009b\u2028\u202e\tc é'), 'a\\x1b[31mb\\x9b\\u2028\\u202e\tc é');
  });

  it('a truncated gzip, or one followed by junk: what decodes is printed, then exit 2 with a line on stderr', () => {
    const gz = gzipSync(Buffer.from(`${REC}\n`.repeat(20000)));
    const cut = vpcflow(['parse', '--ndjson', '-'], gz.subarray(0, gz.length >> 1));
    assert.equal(cut.code, 2, cut.err);
    assert.match(cut.err, /damaged input '\(stdin\)': the gzip data ends early \(truncated\)/);
    assert.ok(cut.out.split('\n').length > 1000);
    const junk = vpcflow(['parse', '--ndjson', '-'], Buffer.concat([gz, Buffer.from('junk\n')]));
    assert.equal(junk.code, 2);
    assert.match(junk.err, /20001 lines, 20000 records/);
    assert.match(junk.err, /damaged input/);
    assert.match(vpcflow(['parse', '--help']).out, /2 when the input is damaged/);
  });

  it('a lone CR ends a line (text and bytes), CRLF stays one line end', () => {
    const r = vpcflow(['parse', '--ndjson', '-'], `${REC}\r${REC}\r\n${REC}\r`);
    assert.equal(r.code, 0);
    assert.match(r.err, /3 lines, 3 records/);
  });

  it('a closed stdout exits 1 with a message; a reader that goes away exits 0', () => {
    const closed = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" --import tsx src/cli/main.ts parse test/fixtures/malformed.log >&-`],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    assert.equal(closed.status, 1);
    assert.match(closed.stderr, /standard output is closed/);
    const head = spawnSync(
      'bash',
      [
        '-c',
        `yes '${REC}' | head -200000 | "${process.execPath}" --import tsx src/cli/main.ts parse --ndjson - | head -1 >/dev/null; exit \${PIPESTATUS[2]}`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(head.status, 0, head.stderr);
  });
});

describe('cli: vpcflow', function () {
  this.timeout(60000);

  it('--help, --version, no command, unknown command', () => {
    const help = vpcflow(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: vpcflow <command>/);
    assert.match(help.out, /parse <path\.\.\.>/);
    const parseHelp = vpcflow(['parse', '--help']);
    assert.equal(parseHelp.code, 0);
    assert.match(parseHelp.out, /--ndjson/);
    const version = vpcflow(['--version']);
    assert.equal(version.code, 0);
    assert.equal(
      version.out.trim(),
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    const none = vpcflow([]);
    assert.equal(none.code, 1);
    assert.match(none.err, /Usage/);
    const unknown = vpcflow(['frobnicate']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /unknown command 'frobnicate'/);
    const esc = vpcflow(['x\u001b[31m']);
    assert.match(esc.err, /unknown command 'x\\x1b\[31m'/);
    assert.ok(!esc.err.includes('\u001b'));
  });
});
