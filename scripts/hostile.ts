// The hostile-input suite: inputs generated on the fly (never committed), each run through the built CLI
// (dist/cli.js) as a child process under /usr/bin/time, with what each run must show: its exit status,
// line accounting (every input line counted once), peak RSS under 300 MB and no hang.
//
//   npm run test:hostile                         the mocha suite (test/hostile/hostile.test.ts)
//   HOSTILE_SCALE=1 npm run test:hostile         full size: 100 MB line, 240 MB JSON document, 200 MB zip bomb
//   npx tsx scripts/hostile.ts <dir> [case...]   write the inputs into <dir> to reproduce by hand
//
// HOSTILE_SCALE (default 0.1) scales the big cases, with a floor of 12 MB so linear behaviour still shows.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rng } from './benchData';

export const ROOT = join(__dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const RSS_LIMIT_KB = 300 * 1024;
export const TIME_LIMIT_MS = 120_000;

export function scale(): number {
  const s = Number(process.env.HOSTILE_SCALE ?? '0.1');
  return Number.isFinite(s) && s > 0 ? Math.min(s, 1) : 0.1;
}

/** `full` bytes at HOSTILE_SCALE, at least 12 MB. */
function sized(full: number): number {
  return Math.max(12e6, Math.round(full * scale()));
}

// ---------------------------------------------------------------------------------------------- inputs

/** Counts lines the way the parser splits them: LF, CRLF and a lone CR each end a line. */
export class LineCounter {
  lines = 0;
  private open = false;
  private cr = false;
  add(b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c === 10) {
        if (!this.cr) this.lines++;
        this.cr = false;
        this.open = false;
      } else if (c === 13) {
        this.lines++;
        this.cr = true;
        this.open = false;
      } else {
        this.cr = false;
        this.open = true;
      }
    }
  }
  total(): number {
    return this.lines + (this.open ? 1 : 0);
  }
}

/** One default-format (v2) record. */
export function record(i: number, bytes: string = String(100 + (i % 9000))): string {
  const r = i % 251;
  return `2 123456789012 eni-0a1b2c3d4e5f6a7b8 10.0.${r}.${i % 250} 172.31.${(i >> 8) % 250}.${i % 200} ${1024 + (i % 60000)} ${[22, 443, 3389, 80][i % 4]} 6 ${1 + (i % 40)} ${bytes} 1700000000 1700000060 ${i % 5 ? 'ACCEPT' : 'REJECT'} OK`;
}

function records(n: number, from = 0, sep = '\n'): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(record(from + i));
  return out.join(sep) + sep;
}

const enc = new TextEncoder();
const bytesOf = (s: string): Uint8Array => enc.encode(s);

/** Writes parts to a file, counting the plain lines; returns the plain line count. */
async function writeParts(path: string, parts: Iterable<Uint8Array | string>): Promise<number> {
  const counter = new LineCounter();
  const ws: WriteStream = createWriteStream(path);
  for (const p of parts) {
    const b = typeof p === 'string' ? bytesOf(p) : p;
    counter.add(b);
    if (!ws.write(b)) await new Promise<void>((r) => ws.once('drain', r));
  }
  await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return counter.total();
}

function countLines(b: Uint8Array): number {
  const c = new LineCounter();
  c.add(b);
  return c.total();
}

function deep(open: string, close: string, n: number, inner = ''): string {
  return open.repeat(n) + inner + close.repeat(n);
}

function gz(s: string | Uint8Array): Buffer {
  return gzipSync(typeof s === 'string' ? bytesOf(s) : s);
}

function b64(s: string | Uint8Array): string {
  return Buffer.from(typeof s === 'string' ? bytesOf(s) : s).toString('base64');
}

/** A CloudWatch Logs subscription payload (what Firehose and Lambda get) holding `messages`. */
function subscription(messages: string[] | string): string {
  const logEvents =
    typeof messages === 'string'
      ? messages
      : JSON.stringify(messages.map((m, i) => ({ id: String(i), timestamp: 1700000000000, message: m })));
  return `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow","logStream":"eni-1-all","subscriptionFilters":["f"],"logEvents":${logEvents}}`;
}

// ---------------------------------------------------------------------------------------------- cases

/** One run of the CLI. */
export interface Run {
  /** CLI arguments; `{in}` is replaced by the input path. */
  readonly args: readonly string[];
  /** Run through bash instead (for pipes and closed descriptors): `{cli}` and `{in}` are replaced. */
  readonly shell?: string;
  readonly exit: number;
  /** stderr must match. */
  readonly stderr?: RegExp;
  /** Bytes that must not appear on stdout or stderr (raw ESC and C1 controls). */
  readonly noRawControls?: boolean;
  /** Hold stdout unread this long first (a slow reader: memory must stay flat). */
  readonly slowReaderMs?: number;
}

export interface Case {
  readonly name: string;
  /** What the case is about. */
  readonly about: string;
  /** Writes the input into `path`; resolves to the number of input lines (after gzip decoding, if any). */
  readonly make: (path: string) => Promise<number>;
  /** The runs (default: parse --ndjson and analyze --json, both exit 0, with line accounting). */
  readonly runs?: readonly Run[];
  /** Expected records (when known). */
  readonly records?: number;
  /** Extra lines the parser reports beyond the input's (a damaged gzip's report). */
  readonly extraLines?: number;
  /** Checks of analyze --json beyond the accounting. */
  readonly summary?: (s: Summary) => string | undefined;
}

export interface Summary {
  totals: {
    lines: number;
    records: number;
    unparsedLines: number;
    headers: number;
    blankLines: number;
    envelopeLines?: number;
    noFlowMessages?: number;
    bytes: number;
    packets: number;
    bytesExact?: string;
    packetsExact?: string;
    oversizeValues?: number;
  };
}

const PARSE: Run = { args: ['parse', '--ndjson', '{in}'], exit: 0 };
const ANALYZE: Run = { args: ['analyze', '{in}', '--json'], exit: 0 };
const DAMAGED = /damaged input .*what decoded before the damage was used/;

const text = (s: string | Uint8Array) => (path: string) => writeParts(path, [s]);

export function cases(): Case[] {
  const S = scale();
  const list: Case[] = [
    {
      name: 'binary-noise',
      about: '8 MB of random bytes',
      make: (p) => {
        const r = rng(1);
        const b = new Uint8Array(8 << 20);
        for (let i = 0; i < b.length; i++) b[i] = (r() * 256) | 0;
        b[0] = 0; // not gzip magic
        return text(b)(p);
      },
    },
    {
      name: 'nul-bytes',
      about: 'records with NUL bytes inside and whole lines of NULs',
      make: text(`${record(1)}\n\0\0\0\0\n${record(2).replace(' 6 ', ' \0 ')}\n${'\0'.repeat(5000)}\n${record(3)}\n`),
    },
    {
      name: 'invalid-utf8',
      about: 'lone continuation bytes, overlong forms, truncated sequences, 0xff',
      make: text(
        Buffer.concat([
          Buffer.from(`${record(1)}\n`),
          Buffer.from([0x80, 0x0a, 0xc0, 0xaf, 0x0a, 0xe2, 0x82, 0x0a, 0xff, 0xfe, 0x0a]),
          Buffer.from(`${record(2)} \xff\n`, 'latin1'),
          Buffer.from(`${record(3)}\n`),
        ]),
      ),
    },
    {
      name: 'utf16le-bom',
      about: 'records in UTF-16 LE with a BOM (read as UTF-8: unparsed, but counted)',
      make: text(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(records(200), 'utf16le')])),
    },
    {
      name: 'utf16be-bom',
      about: 'records in UTF-16 BE with a BOM',
      make: text(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(records(200), 'utf16le').swap16()])),
    },
    {
      name: 'utf8-bom',
      about: 'a UTF-8 BOM before the first record',
      make: text(`\ufeff${records(100)}`),
      records: 100,
    },
    { name: 'lone-cr', about: 'old Mac line ends (CR only)', make: text(records(5000, 0, '\r')), records: 5000 },
    { name: 'crlf', about: 'Windows line ends', make: text(records(5000, 0, '\r\n')), records: 5000 },
    {
      name: 'mixed-line-ends',
      about: 'LF, CRLF, lone CR and LF CR mixed (an LF then a CR is a blank line)',
      make: text(`${record(1)}\r${record(2)}\r\n${record(3)}\n\r${record(4)}\n\r\n${record(5)}`),
      records: 5,
    },
    { name: 'empty-file', about: 'no bytes at all', make: text(''), records: 0 },
    { name: 'blank-lines', about: '200,000 blank lines', make: text('\n'.repeat(200_000)), records: 0 },
    {
      name: 'header-switches',
      about: 'a header before every record, alternating the field order',
      make: text(
        Array.from({ length: 2000 }, (_, i) =>
          i % 2
            ? `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${record(i)}`
            : `account-id version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${record(i).replace(/^2 (\S+)/, '$1 2')}`,
        ).join('\n'),
      ),
      records: 2000,
    },
    {
      name: 'gzip-truncated',
      about: 'a gzip cut in half: what decodes is used, exit 2',
      make: async (p) => {
        const plain = records(100_000);
        const z = gz(plain);
        const cut = z.subarray(0, z.length >> 1);
        writeFileSync(p, cut);
        // Lines that decode: as many as zcat gives (measured by decoding the cut input with the same rule).
        const { gunzipSync, constants } = await import('node:zlib');
        return countLines(gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }));
      },
      extraLines: 1,
      runs: [
        { ...PARSE, exit: 2, stderr: DAMAGED },
        { ...ANALYZE, exit: 2, stderr: DAMAGED },
      ],
    },
    {
      name: 'gzip-trailing-junk',
      about: 'a whole gzip followed by junk: every record, then exit 2',
      make: (p) => writeParts(p, [gz(records(100_000)), 'junk after the gzip member\n']).then(() => 100_000),
      records: 100_000,
      extraLines: 1,
      runs: [
        { ...PARSE, exit: 2, stderr: DAMAGED },
        { ...ANALYZE, exit: 2, stderr: DAMAGED },
      ],
    },
    {
      name: 'gzip-members',
      about: 'three concatenated gzip members (as `cat a.gz b.gz c.gz`)',
      make: (p) =>
        writeParts(p, [gz(records(1000)), gz(records(1000, 1000)), gz(records(1000, 2000))]).then(() => 3000),
      records: 3000,
    },
    {
      name: 'gzip-zip-bomb',
      about: `${Math.round(sized(200e6) / 1e6)} MB of zeros in a ~${Math.round(sized(200e6) / 1e6)} KB gzip: one line, streamed`,
      make: (p) => {
        writeFileSync(p, gzipSync(new Uint8Array(sized(200e6)), { level: 9 }));
        return Promise.resolve(1);
      },
      records: 0,
    },
    {
      name: 'gzip-in-gzip',
      about: 'a gzip of a gzip of records (one level is decoded: the inner gzip is binary lines)',
      make: async (p) => {
        const inner = gz(records(500));
        await writeParts(p, [gz(inner)]);
        return countLines(inner);
      },
    },
    {
      name: 'firehose-bad-base64',
      about: 'a Firehose request whose records hold bad base64, bad gzip and good data',
      make: text(
        JSON.stringify({
          requestId: 'r',
          timestamp: 1,
          records: [
            { data: '!!!not base64!!!' },
            { data: b64('\x1f\x8b\x08 not really gzip') },
            { data: 'QUJD' + '='.repeat(10) },
            { data: b64(gz(subscription([record(1), record(2)]))) },
          ],
        }) + '\n',
      ),
    },
    {
      name: 'json-deep-100k',
      about: '10^5-deep JSON arrays and objects (no recursion limit may be hit)',
      make: text(`${deep('[', ']', 100_000)}\n${deep('{"a":', '}', 100_000, '1')}\n`),
    },
    {
      name: 'control-chars',
      about: 'ESC sequences, C1 controls, U+2028/2029 and bidi overrides in fields and messages',
      make: text(
        [
          record(1).replace('eni-0a1b2c3d4e5f6a7b8', 'eni-\x1b[31mred\x1b]0;title\x07'),
          record(2).replace('eni-0a1b2c3d4e5f6a7b8', 'eni-\u009b31m\u0085\u2028\u2029\u202e'),
          `\x1b[2J\x1b[H junk \u009d line`,
          subscription([record(3).replace('eni-0a1b2c3d4e5f6a7b8', 'eni-\u001b[5m\u0090'), '\u009b1m not a record']),
        ].join('\n') + '\n',
      ),
      runs: [
        { ...PARSE, noRawControls: true },
        { ...ANALYZE, noRawControls: true },
        { args: ['parse', '{in}'], exit: 0, noRawControls: true },
        { args: ['analyze', '{in}'], exit: 0, noRawControls: true },
      ],
    },
    {
      name: 'open-braces-64000',
      about: '64,000 lines of `{` (an unterminated JSON document: no quadratic replay)',
      make: text('{\n'.repeat(64_000)),
      records: 0,
    },
    {
      name: 'open-braces-then-x',
      about: '50,000 lines of `{` then `x` (invalid JSON found late)',
      make: text(`${'{\n'.repeat(50_000)}x\n`),
      records: 0,
    },
    {
      name: 'firehose-deep-array',
      about: 'a Firehose `records` array holding a 5,000-deep array',
      make: text(`{"requestId":"r","timestamp":1,"records":[${deep('[', ']', 5000)},{"data":"${b64(record(1))}"}]}\n`),
    },
    {
      name: 'subscription-deep-array',
      about: 'a subscription `logEvents` array holding a 5,000-deep array',
      make: text(`${subscription(`[${deep('[', ']', 5000)},{"id":"1","timestamp":1,"message":"${record(1)}"}]`)}\n`),
    },
    {
      name: 'one-huge-line',
      about: `one ${Math.round(sized(100e6) / 1e6)} MB line of records separated by spaces`,
      make: (p) => {
        const target = sized(100e6);
        const block = records(1000, 0, ' ');
        const n = Math.ceil(target / block.length);
        return writeParts(
          p,
          (function* () {
            for (let i = 0; i < n; i++) yield block;
            yield '\n';
          })(),
        );
      },
      records: 0,
    },
    {
      name: 'filter-log-events-pretty',
      about: `a pretty-printed ${Math.round(sized(240e6) / 1e6)} MB \`aws logs filter-log-events\` document`,
      make: (p) => {
        const target = sized(240e6);
        const event = (i: number): string =>
          `        {\n            "logStreamName": "eni-0a1b2c3d4e5f6a7b8-all",\n            "timestamp": 1700000000000,\n            "message": "${record(i)}",\n            "ingestionTime": 1700000001000,\n            "eventId": "${String(i).padStart(56, '3')}"\n        }`;
        const perEvent = event(0).length + 2;
        const n = Math.max(1, Math.floor(target / perEvent));
        return writeParts(
          p,
          (function* () {
            yield '{\n    "events": [\n';
            for (let i = 0; i < n; i += 1000) {
              const part: string[] = [];
              for (let j = i; j < Math.min(n, i + 1000); j++) part.push(event(j));
              yield part.join(',\n') + (i + 1000 < n ? ',\n' : '\n');
            }
            yield '    ],\n    "searchedLogStreams": []\n}\n';
          })(),
        );
      },
    },
    {
      name: 'one-word-per-line',
      about: 'a file of one word per line (`AAAA`): no records',
      make: text('AAAA\n'.repeat(50_000)),
      records: 0,
    },
    {
      name: 'oversize-counts',
      about: 'bytes and packets of 17 to 20 digits: summed exactly, and said so',
      make: text(
        [record(1, '18446744073709551615'), record(2, '99999999999999999'), record(3, '9007199254740993')].join('\n') +
          '\n',
      ),
      records: 3,
      summary: (s) => {
        const want = (18446744073709551615n + 99999999999999999n + 9007199254740993n).toString();
        if (s.totals.bytesExact !== want) return `bytesExact ${s.totals.bytesExact} != ${want}`;
        if (s.totals.oversizeValues !== 3) return `oversizeValues ${s.totals.oversizeValues} != 3`;
        return undefined;
      },
    },
    {
      name: 'cloudwatch-export-junk',
      about: 'ISO-timestamp export lines with records, junk and empty messages',
      make: text(
        Array.from({ length: 3000 }, (_, i) =>
          i % 3 === 0
            ? `2023-11-14T22:13:20.000Z ${record(i)}`
            : i % 3 === 1
              ? `2023-11-14T22:13:20.000Z `
              : `2023-11-14T22:13:20.000Z \x1b junk`,
        ).join('\n') + '\n',
      ),
    },
    {
      name: 'concatenated-json-one-line',
      about: '2,000 subscription documents on one line, {...}{...}',
      make: text(Array.from({ length: 2000 }, (_, i) => subscription([record(i)])).join('') + '\n'),
    },
    {
      name: 'format-bogus',
      about: "--format '${version} ${bogus}': both commands exit 1 with the same message",
      make: text(records(10)),
      runs: [
        {
          args: ['parse', '--format', '${version} ${bogus}', '{in}'],
          exit: 1,
          stderr: /--format: unknown field '\$\{bogus\}'/,
        },
        {
          args: ['analyze', '--format', '${version} ${bogus}', '{in}'],
          exit: 1,
          stderr: /--format: unknown field '\$\{bogus\}'/,
        },
      ],
    },
    {
      name: 'unknown-option-esc',
      about: 'unknown options and commands holding ESC and C1 bytes are echoed escaped',
      make: text(records(10)),
      runs: [
        {
          args: ['parse', '--x\x1b[31m\u009b', '{in}'],
          exit: 1,
          stderr: /unknown option '--x\\x1b\[31m\\x9b'/,
          noRawControls: true,
        },
        {
          args: ['analyze', '--x\x1b[31m', '{in}'],
          exit: 1,
          stderr: /unknown option '--x\\x1b\[31m'/,
          noRawControls: true,
        },
        { args: ['x\x1b]0;t\x07'], exit: 1, stderr: /unknown command 'x\\x1b\]0;t\\x07'/, noRawControls: true },
      ],
    },
    {
      name: 'file-name-esc',
      about: 'an input name with ESC in it is echoed escaped in the report',
      make: text(records(10)),
      runs: [{ args: ['analyze', '{in}'], exit: 0, noRawControls: true }],
    },
    {
      name: 'sigpipe-head',
      about: '`| head -1`: the reader goes away, exit 0 as before',
      make: text(records(200_000)),
      runs: [
        { args: [], shell: 'node {cli} parse --ndjson {in} | head -1 >/dev/null; exit ${PIPESTATUS[0]}', exit: 0 },
        { args: [], shell: 'node {cli} parse {in} | head -1 >/dev/null; exit ${PIPESTATUS[0]}', exit: 0 },
      ],
    },
    {
      name: 'closed-stdout',
      about: '`>&-`: exit 1 with a message, for both commands',
      make: text(records(1000)),
      runs: [
        { args: [], shell: 'node {cli} analyze {in} >&-', exit: 1, stderr: /standard output is closed/ },
        { args: [], shell: 'node {cli} parse --ndjson {in} >&-', exit: 1, stderr: /standard output is closed/ },
        { args: [], shell: 'node {cli} analyze {in} >/dev/full', exit: 1, stderr: /cannot write to standard output/ },
      ],
    },
    {
      name: 'slow-reader',
      about: `parse --ndjson of ${Math.round(600_000 * Math.max(S, 0.25))} records into a reader that waits 3 s: memory stays flat`,
      make: (p) => {
        const n = Math.round(600_000 * Math.max(S, 0.25));
        return writeParts(
          p,
          (function* () {
            for (let i = 0; i < n; i += 10_000) yield records(Math.min(10_000, n - i), i);
          })(),
        );
      },
      runs: [{ ...PARSE, slowReaderMs: 3000 }],
    },
  ];
  return list;
}

// ---------------------------------------------------------------------------------------------- running

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly rssKB: number;
  readonly ms: number;
  readonly stdoutLines: number;
  readonly stdoutHead: string;
  readonly stderr: string;
  readonly rawControl: boolean;
}

/** Raw ESC, other C0 controls but tab/LF/CR, and C1 controls (as UTF-8: C2 80..9F). */
function hasRawControl(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) return true;
    if (c === 0xc2 && i + 1 < b.length && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) return true;
  }
  return false;
}

const HEAD_KEEP = 64 << 20;

export function runCli(run: Run, input: string, tmp: string): Promise<RunResult> {
  const rssFile = join(tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const args = run.args.map((a) => a.replace('{in}', input));
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = run.shell
    ? [
        'bash',
        '-c',
        `/usr/bin/time -o ${q(rssFile)} -f %M bash -c ${q(run.shell.replace('{cli}', q(CLI)).replace('{in}', q(input)))}`,
      ]
    : ['/usr/bin/time', '-o', rssFile, '-f', '%M', process.execPath, CLI, ...args];
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so the hang guard ends the CLI too, not only /usr/bin/time.
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let lines = 0;
    const head: Buffer[] = [];
    let headLen = 0;
    let raw = false;
    const err: Buffer[] = [];
    if (run.slowReaderMs) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), run.slowReaderMs);
    }
    child.stdout.on('data', (b: Buffer) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
      if (run.noRawControls && hasRawControl(b)) raw = true;
      if (headLen < HEAD_KEEP) {
        head.push(b);
        headLen += b.length;
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      if (run.noRawControls && hasRawControl(b)) raw = true;
      err.push(b);
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, TIME_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let rssKB = -1;
      try {
        const lastLine = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
        rssKB = Number(lastLine);
        rmSync(rssFile, { force: true });
      } catch {
        // no report (killed)
      }
      resolve({
        code,
        signal: killed ? 'SIGKILL' : signal,
        rssKB,
        ms: Date.now() - started,
        stdoutLines: lines,
        stdoutHead: Buffer.concat(head).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        rawControl: raw,
      });
    });
  });
}

/** The parse summary line on stderr, as numbers (0 for parts not shown). */
export function parseStats(stderr: string): Record<string, number> | undefined {
  const m = /^vpcflow parse: (.*)$/m.exec(stderr);
  if (!m) return undefined;
  const out: Record<string, number> = {};
  for (const [k, re] of [
    ['lines', /(\d+) lines?\b/],
    ['records', /(\d+) records?\b/],
    ['headers', /(\d+) headers?\b/],
    ['unparsed', /(\d+) unparsed/],
    ['blank', /(\d+) blank/],
    ['envelopeLines', /(\d+) envelope lines/],
    ['messageLines', /(\d+) message lines/],
    ['messages', /\((\d+) messages?\)/],
    ['noFlow', /(\d+) no-flow messages/],
  ] as const)
    out[k] = Number(re.exec(m[1]!)?.[1] ?? 0);
  return out;
}

/** What one case's runs have seen so far (the parse run tells whether envelope messages were unwrapped). */
export interface CaseContext {
  messages?: number;
}

/**
 * What is wrong with one run of a case (empty: nothing). The full accounting invariant is checked on the
 * parse summary (it shows envelope messages); analyze --json totals must count the input's lines, and add
 * up to them when no envelope message was unwrapped.
 */
export function check(c: Case, run: Run, r: RunResult, inputLines: number, ctx: CaseContext = {}): string[] {
  const bad: string[] = [];
  const tail = r.stderr.slice(-600);
  if (r.signal === 'SIGKILL' || r.ms >= TIME_LIMIT_MS) bad.push(`did not finish within ${TIME_LIMIT_MS / 1000} s`);
  if (r.code !== run.exit) bad.push(`exit ${r.code} (signal ${r.signal}), expected ${run.exit}; stderr: ${tail}`);
  if (!(r.rssKB > 0 && r.rssKB < RSS_LIMIT_KB)) bad.push(`peak RSS ${Math.round(r.rssKB / 1024)} MB (limit 300 MB)`);
  if (run.stderr && !run.stderr.test(r.stderr)) bad.push(`stderr does not match ${run.stderr}: ${tail}`);
  if (run.noRawControls && r.rawControl) bad.push('raw control characters on stdout or stderr');
  if (/\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr)) bad.push(`a stack trace on stderr: ${tail}`);
  if (run.shell || run.exit === 1) return bad;
  const lines = inputLines + (c.extraLines ?? 0);
  if (run.args[0] === 'parse') {
    const st = parseStats(r.stderr);
    if (!st) return [...bad, `no summary line on stderr: ${tail}`];
    if (st.lines !== lines) bad.push(`parse counted ${st.lines} lines, the input has ${lines}`);
    const classified =
      st.blank! + st.headers! + st.records! + st.unparsed! + st.envelopeLines! + st.messageLines! + st.noFlow!;
    ctx.messages = st.messages;
    if (st.lines! + st.messages! !== classified)
      bad.push(`parse accounting: lines ${st.lines} + messages ${st.messages} != ${classified} classified`);
    if (c.records !== undefined && st.records !== c.records)
      bad.push(`parse found ${st.records} records, expected ${c.records}`);
    if (run.args.includes('--ndjson') && r.stdoutLines !== st.records! + st.unparsed!)
      bad.push(`--ndjson wrote ${r.stdoutLines} lines for ${st.records} records + ${st.unparsed} unparsed`);
  } else if (run.args.includes('--json')) {
    let s: Summary;
    try {
      s = JSON.parse(r.stdoutHead) as Summary;
    } catch (e) {
      return [...bad, `analyze --json output is not JSON: ${String(e)}`];
    }
    const t = s.totals;
    if (t.lines !== lines) bad.push(`analyze counted ${t.lines} lines, the input has ${lines}`);
    const sum = t.records + t.unparsedLines + t.headers + t.blankLines + (t.envelopeLines ?? 0);
    if (ctx.messages === 0 && t.lines !== sum)
      bad.push(`analyze accounting: ${t.lines} lines != ${sum} (records, unparsed, headers, blank, envelope lines)`);
    if (c.records !== undefined && t.records !== c.records)
      bad.push(`analyze found ${t.records} records, expected ${c.records}`);
    const extra = c.summary?.(s);
    if (extra) bad.push(extra);
  }
  return bad;
}

/** The input file of a case in `dir` (the file-name case puts ESC in the name). */
export function inputPath(dir: string, c: Case): string {
  return join(dir, c.name === 'file-name-esc' ? `name-\x1b[31m-\u009b.log` : `${c.name}.input`);
}

// `npx tsx scripts/hostile.ts <dir> [case...]`: write the inputs, to run the CLI on them by hand.
if (require.main === module) {
  const [dir, ...names] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: tsx scripts/hostile.ts <dir> [case...]');
    process.exit(1);
  }
  mkdirSync(dir, { recursive: true });
  void (async () => {
    for (const c of cases()) {
      if (names.length && !names.includes(c.name)) continue;
      const p = inputPath(dir, c);
      const lines = await c.make(p);
      console.log(`${c.name}: ${JSON.stringify(p)} (${lines} lines) — ${c.about}`);
    }
  })();
}
