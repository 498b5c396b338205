// AWS's Parquet flow logs read as flow-log text (src/core/input/parquet.ts): files written in the test with AWS's
// schema (scripts/parquetWriter.ts), the flowlogs-reader peer file, extra/missing columns, files that are not flow
// logs, damaged files, hostile values, and the analysis of a Parquet file against the same records as text.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildSync } from 'esbuild';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { analyzeText, FlowAnalyzer } from '../../../src/core/analysis/analyzer';
import { FIELD_LIST } from '../../../src/core/fields';
import { ColumnCells, writeRow, writeUint } from '../../../src/core/input/parquetColumns';
import { DEFAULT_V2_FIELDS, TGW_DEFAULT_FIELDS } from '../../../src/core/format';
import {
  bytesBuffer,
  escapeText,
  ParquetError,
  parquetBytes,
  parquetText,
  parseParquet,
  type AsyncBuffer,
  type ParquetLayout,
} from '../../../src/core/input/parquet';
import { FlowParser } from '../../../src/core/parser';
import { fieldRaw } from '../../../src/core/record';
import type { FlowRecord, UnparsedLine } from '../../../src/core/types';
import { fileBuffer } from '../../../src/node/parquetFile';
import { awsParquetType, writeFlowParquet, type FlowParquetOptions } from '../../../scripts/parquetWriter';
import { EXAMPLE } from '../fieldExamples';

const ROOT = join(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vpcflow-parquet-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes rows as Parquet in the temp folder; returns the file's bytes. */
function parquet(
  name: string,
  fields: readonly string[],
  rows: readonly string[][],
  rowGroupSize?: number,
): Uint8Array {
  return writeParquetFile(name, fields, rows, { rowGroupSize });
}

function writeParquetFile(
  name: string,
  fields: readonly string[],
  rows: readonly string[][],
  options: FlowParquetOptions,
): Uint8Array {
  const path = join(dir, name);
  writeFlowParquet(path, fields, rows, options);
  return new Uint8Array(readFileSync(path));
}

async function textOf(file: AsyncBuffer, onLayout?: (l: ParquetLayout) => void): Promise<string> {
  let s = '';
  for await (const t of parquetText(file, onLayout)) {
    assert.ok(t.endsWith('\n'), 'each piece ends a line');
    s += t;
  }
  return s;
}

async function parquetError(file: AsyncBuffer): Promise<ParquetError> {
  try {
    await textOf(file);
  } catch (e) {
    assert.ok(e instanceof ParquetError, String(e));
    return e;
  }
  assert.fail('expected a ParquetError');
}

/** Parses a Parquet file as the CLI does; records, unparsed lines and stats. */
async function parseParquetFile(file: AsyncBuffer) {
  const records: FlowRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const parser = new FlowParser({ record: (r) => records.push(r), unparsed: (u) => unparsed.push(u) });
  await parseParquet(file, parser);
  return { records, unparsed, stats: parser.end() };
}

/** The records of a flow-log text (header line first) as rows of tokens. */
function rowsOf(text: string): { fields: string[]; rows: string[][] } {
  const lines = text.trimEnd().split('\n');
  return { fields: lines[0]!.split(' '), rows: lines.slice(1).map((l) => l.split(' ')) };
}

/** Rows of every field of `fields`: the example value, then '-' in turn, then shifted numbers. */
function varied(fields: readonly string[], n: number): string[][] {
  const rows: string[][] = [];
  for (let r = 0; r < n; r++)
    rows.push(
      fields.map((f, c) => {
        if ((r + c) % 7 === 3) return '-';
        const v = EXAMPLE[f]!;
        return /^\d+$/.test(v) && awsParquetType(f) !== 'STRING' && f !== 'version' && f !== 'protocol'
          ? String(Number(v) + (r % 5))
          : v;
      }),
    );
  return rows;
}

describe('Parquet flow logs: AWS schema', () => {
  const VPC_FIELDS = FIELD_LIST.filter((d) => d.family !== 'tgw').map((d) => d.name);

  it('maps every VPC column AWS documents (underscore names, int32/int64/string) back to its field, row for row', async () => {
    const rows = varied(VPC_FIELDS, 40);
    const bytes = parquet('vpc-all.parquet', VPC_FIELDS, rows, 16);
    // The file is in AWS's schema: underscores, INT32 for small integers, INT64 for counters and times.
    const md = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    const types = Object.fromEntries(md.schema.slice(1).map((e) => [e.name, e.type]));
    assert.equal(types.log_status, 'BYTE_ARRAY');
    assert.equal(types.account_id, 'BYTE_ARRAY');
    assert.equal(types.srcport, 'INT32');
    assert.equal(types.protocol, 'INT32');
    assert.equal(types.tcp_flags, 'INT32');
    assert.equal(types.traffic_path, 'INT32');
    assert.equal(types.packets, 'INT64');
    assert.equal(types.start, 'INT64');
    assert.equal(types.ecs_cluster_arn, 'BYTE_ARRAY');
    assert.equal(md.row_groups.length, 3);

    let layout: ParquetLayout | undefined;
    const text = await textOf(bytesBuffer(bytes), (l) => (layout = l));
    assert.deepEqual(layout?.fields, VPC_FIELDS);
    assert.deepEqual(layout?.ignored, []);
    assert.equal(layout?.rows, 40);
    assert.equal(text, [VPC_FIELDS.join(' '), ...rows.map((r) => r.join(' '))].join('\n') + '\n');

    const { records, unparsed, stats } = await parseParquetFile(bytesBuffer(bytes));
    assert.deepEqual(unparsed, []);
    assert.equal(records.length, 40);
    assert.equal(stats.headers, 1);
    assert.equal(stats.formats[0]?.format.source, 'header');
    for (const [i, rec] of records.entries())
      for (const [c, f] of VPC_FIELDS.entries()) assert.equal(fieldRaw(rec, rec.format.index.get(f)!), rows[i]![c]);
  });

  it('maps every Transit Gateway column (the TGW default format)', async () => {
    const rows = varied(TGW_DEFAULT_FIELDS, 9);
    for (const r of rows) r[TGW_DEFAULT_FIELDS.indexOf('resource-type')] = 'TransitGateway';
    const bytes = parquet('tgw.parquet', TGW_DEFAULT_FIELDS, rows);
    const { records, unparsed } = await parseParquetFile(bytesBuffer(bytes));
    assert.deepEqual(unparsed, []);
    assert.equal(records.length, 9);
    assert.deepEqual(records[0]!.format.fields, TGW_DEFAULT_FIELDS);
    assert.equal(fieldRaw(records[1]!, records[1]!.format.index.get('packets-lost-no-route')!), rows[1]![27]);
  });

  it('reads a file through positional reads of a file handle (fileBuffer) as from memory', async () => {
    const rows = varied(DEFAULT_V2_FIELDS, 25);
    const bytes = parquet('default.parquet', DEFAULT_V2_FIELDS, rows, 10);
    const file = await fileBuffer(join(dir, 'default.parquet'));
    try {
      assert.equal(file.byteLength, bytes.length);
      assert.equal(await textOf(file), await textOf(bytesBuffer(bytes)));
    } finally {
      await file.close();
    }
  });

  it('an empty Parquet flow log is its header line alone', async () => {
    const bytes = parquet('empty.parquet', DEFAULT_V2_FIELDS, []);
    assert.equal(await textOf(bytesBuffer(bytes)), `${DEFAULT_V2_FIELDS.join(' ')}\n`);
  });
});

describe('Parquet flow logs: the same analysis as the same records as text', () => {
  for (const [fixture, group] of [
    ['dashboard-demo.log', 256],
    ['aws-examples-default.log', 3],
    ['custom-v5-service-path.log', 1],
  ] as const) {
    it(`${fixture} (row groups of ${group}): every total, table and trigger count equal`, async () => {
      let text = readFileSync(join(FIX, fixture), 'utf8');
      if (fixture === 'aws-examples-default.log') text = `${DEFAULT_V2_FIELDS.join(' ')}\n${text}`;
      const { fields, rows } = rowsOf(text);
      const bytes = parquet(`${fixture}.parquet`, fields, rows, group);
      const analyzer = new FlowAnalyzer();
      const parser = new FlowParser(analyzer);
      await parseParquet(bytesBuffer(bytes), parser);
      const fromParquet = analyzer.finish(parser.end());
      const fromText = analyzeText(`${fields.join(' ')}\n${rows.map((r) => r.join(' ')).join('\n')}\n`);
      assert.equal(fromParquet.totals.records, rows.length);
      assert.deepEqual(fromParquet, fromText);
    });
  }
});

describe('Parquet flow logs: columns', () => {
  it('extra columns are left out, each with a note on the format; the rest is read', async () => {
    const fields = [...DEFAULT_V2_FIELDS, 'enrichment', 'geo country'];
    const rows = varied(DEFAULT_V2_FIELDS, 5).map((r) => [...r, 'x y', 'NL']);
    const bytes = parquet('extra.parquet', fields, rows);
    const text = await textOf(bytesBuffer(bytes));
    assert.equal(text.split('\n')[0], DEFAULT_V2_FIELDS.join(' '));
    const { records, unparsed, stats } = await parseParquetFile(bytesBuffer(bytes));
    assert.deepEqual(unparsed, []);
    assert.equal(records.length, 5);
    assert.deepEqual(stats.formats[0]?.format.notes, [
      "Parquet column 'enrichment' is not a flow-log field: ignored",
      "Parquet column 'geo\\x20country' is not a flow-log field: ignored",
    ]);
  });

  it('a column that repeats a field (log_status and log-status) is read once', async () => {
    const fields = [...DEFAULT_V2_FIELDS, 'log_status'];
    const rows = varied(DEFAULT_V2_FIELDS, 3).map((r) => [...r, 'SKIPDATA']);
    const bytes = parquetWriteBuffer({
      columnData: fields.map((f, c) => ({
        name: f,
        data: rows.map((r) => r[c]!),
        type: 'STRING' as const,
      })),
    });
    const { records, stats } = await parseParquetFile(bytesBuffer(new Uint8Array(bytes)));
    assert.equal(records.length, 3);
    assert.equal(fieldRaw(records[0]!, 13), 'OK');
    assert.deepEqual(stats.formats[0]?.format.notes, ["Parquet column 'log_status' repeats field log-status: ignored"]);
  });

  it('missing columns: the format is the columns present, in their order (as a custom format)', async () => {
    const fields = ['srcaddr', 'dstaddr', 'dstport', 'action', 'start', 'end'];
    const rows = [
      ['10.0.0.1', '10.0.0.2', '22', 'REJECT', '1700000000', '1700000060'],
      ['10.0.0.3', '10.0.0.2', '3389', 'REJECT', '1700000000', '1700000060'],
    ];
    const bytes = parquet('missing.parquet', fields, rows);
    const { records, unparsed } = await parseParquetFile(bytesBuffer(bytes));
    assert.deepEqual(unparsed, []);
    assert.deepEqual(records[0]!.format.fields, fields);
    assert.equal(fieldRaw(records[1]!, 2), '3389');
  });

  it('a Parquet file whose columns are not a flow log: a ParquetError in one line, nothing yielded', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'name', data: ['Alice', 'Bob'], type: 'STRING' },
        { name: 'age', data: [25, 30], type: 'INT32' },
        { name: 'city', data: ['Oslo', 'Rome'], type: 'STRING' },
      ],
    });
    const e = await parquetError(bytesBuffer(new Uint8Array(bytes)));
    assert.equal(e.kind, 'not-flow-log');
    assert.equal(e.message, 'not a flow-log Parquet file: none of its 3 columns (name, age, city) are flow-log fields');
    // Nor is a table that merely has a `type` column among others.
    const typed = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: [1], type: 'INT32' },
        { name: 'type', data: ['car'], type: 'STRING' },
        { name: 'colour', data: ['red'], type: 'STRING' },
      ],
    });
    const e2 = await parquetError(bytesBuffer(new Uint8Array(typed)));
    assert.equal(
      e2.message,
      'not a flow-log Parquet file: only 1 of its 3 columns (id, type, colour) is a flow-log field',
    );
    // parseParquet passes it on: the caller skips the file.
    const parser = new FlowParser({ record: () => assert.fail('no record'), unparsed: () => assert.fail('no line') });
    await assert.rejects(parseParquet(bytesBuffer(new Uint8Array(bytes)), parser), ParquetError);
    assert.equal(parser.end().lines, 0);
  });
});

describe('Parquet flow logs: damage', () => {
  const rows = varied(DEFAULT_V2_FIELDS, 60);

  it('a truncated file (its footer cut off): a damaged ParquetError, and the parser reports the damage', async () => {
    const bytes = parquet('cut.parquet', DEFAULT_V2_FIELDS, rows, 20);
    for (const cut of [bytes.length - 1, bytes.length >> 1, 8, 4]) {
      const e = await parquetError(bytesBuffer(bytes.subarray(0, cut)));
      assert.equal(e.kind, 'damaged');
      assert.ok(!e.message.includes('\n'));
      assert.match(e.message, /^the Parquet file is truncated/);
    }
    const { records, unparsed, stats } = await parseParquetFile(bytesBuffer(bytes.subarray(0, bytes.length >> 1)));
    assert.equal(records.length, 0);
    assert.equal(stats.damage, 'the Parquet file is truncated or corrupt: it does not end with its footer (PAR1)');
    assert.deepEqual(
      unparsed.map((u) => [u.line, u.reason]),
      [[1, stats.damage]],
    );
  });

  it('a file corrupt in its third row group: the first two are read and counted, then the damage', async () => {
    const bytes = parquet('corrupt.parquet', DEFAULT_V2_FIELDS, rows, 20).slice();
    const md = parquetMetadata(bytes.buffer.slice(0));
    const col = md.row_groups[2]!.columns[3]!.meta_data!;
    const at = Number(col.dictionary_page_offset ?? col.data_page_offset);
    bytes.fill(0xff, at, at + 24);
    const { records, unparsed, stats } = await parseParquetFile(bytesBuffer(bytes));
    assert.equal(records.length, 40);
    assert.match(stats.damage ?? '', /^the Parquet data is corrupt in row group 3 of 3 \(/);
    assert.equal(unparsed.length, 1);
    assert.equal(unparsed[0]!.line, 42);
    assert.equal(stats.lines, 42);
  });

  it('a page that claims more values than its row group has rows is damage, refused before it is read', async () => {
    const bytes = parquet('claims.parquet', DEFAULT_V2_FIELDS, rows, 20).slice();
    const md = parquetMetadata(bytes.buffer.slice(0));
    const col = md.row_groups[2]!.columns[6]!.meta_data!; // dstport
    const at = Number(col.data_page_offset);
    const pageRows = (b: Uint8Array): number | undefined => {
      const h = parquetHeader({ view: new DataView(b.buffer, b.byteOffset + at), offset: 0 });
      return h.data_page_header?.num_values ?? h.data_page_header_v2?.num_values;
    };
    assert.equal(pageRows(bytes), 20);
    // The header's num_values (zigzag varint 40, one byte) becomes 63 (126, one byte): nothing else moves.
    let patched: Uint8Array | undefined;
    for (let k = at; k < at + 32 && patched === undefined; k++) {
      if (bytes[k] !== 40) continue;
      const b = bytes.slice();
      b[k] = 126;
      if (pageRows(b) === 63) patched = b;
    }
    assert.ok(patched, 'the num_values byte of the page header');
    const { records, unparsed, stats } = await parseParquetFile(bytesBuffer(patched));
    assert.equal(records.length, 40, 'the first two row groups');
    assert.match(
      stats.damage ?? '',
      /^the Parquet data is corrupt in row group 3 of 3 \(.*a page of 63 values where 20 rows are left/,
    );
    assert.deepEqual(
      unparsed.map((u) => u.line),
      [42],
    );
  });

  it('a file that is not Parquet at all, given as one, is damaged', async () => {
    const e = await parquetError(bytesBuffer(new TextEncoder().encode('PAR1 but then a text file\n')));
    assert.equal(e.kind, 'damaged');
  });
});

describe('Parquet flow logs: values', () => {
  it('hostile text stays one token on one line: spaces, control characters, line separators escaped; empty is -', async () => {
    const hostile = [
      'a b',
      'tab\there',
      'new\nline',
      'cr\rx',
      'nul\u0000',
      'back\\slash',
      'ls\u2028ps\u2029',
      'nel\u0085',
      '',
    ];
    const fields = ['srcaddr', 'ecs-service-name', 'dstport'];
    const rows = hostile.map((h, i) => ['10.0.0.1', h, String(i)]);
    const text = await textOf(bytesBuffer(parquet('hostile.parquet', fields, rows)));
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 1 + hostile.length);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(' ')[1]),
      [
        'a\\x20b',
        'tab\\x09here',
        'new\\x0aline',
        'cr\\x0dx',
        'nul\\x00',
        'back\\x5cslash',
        'ls\\u2028ps\\u2029',
        'nel\\x85',
        '-',
      ],
    );
    for (const l of lines) assert.equal(l.split(' ').length, 3);
    assert.equal(escapeText('eni-0a1b2c'), 'eni-0a1b2c');
  });

  it('number fields written as text (pandas): a missing-value word is -, whatever the encoding of the column', async () => {
    // Distinct values (the writer stores them plain, not in a dictionary) and repeated ones (a dictionary).
    const words = ['None', 'nan', 'NaN', 'null'];
    const distinct = [...words, ...Array.from({ length: 40 }, (_, i) => String(1000 + i))];
    const repeated = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'None' : '443'));
    for (const packets of [distinct, repeated]) {
      const rows = packets.map((p, i) => [`10.0.${i >> 8}.${i & 255}`, p]);
      const file = writeParquetFile('text-numbers.parquet', ['srcaddr', 'packets'], rows, {
        types: { packets: 'STRING' },
      });
      const lines = (await textOf(bytesBuffer(file))).trimEnd().split('\n');
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(' ')[1]),
        packets.map((p) => (words.includes(p) ? '-' : p)),
      );
    }
  });

  it('int32 and int64 (BigInt) values become decimal text; nulls become -', async () => {
    const fields = ['version', 'srcport', 'packets', 'bytes', 'start'];
    const rows = [
      ['2', '65535', '9007199254740993', '18446744073709', '1700000000'],
      ['-', '-', '-', '-', '-'],
    ];
    const text = await textOf(bytesBuffer(parquet('ints.parquet', fields, rows)));
    assert.equal(text, `${fields.join(' ')}\n${rows[0]!.join(' ')}\n- - - - -\n`);
  });
});

describe('Parquet flow logs: as bytes', () => {
  it('parquetBytes is parquetText in UTF-8, each piece ending a line, long and non-ASCII rows included', async () => {
    const fields = ['srcaddr', 'ecs-service-name', 'dstport'];
    const rows: string[][] = [];
    for (let i = 0; i < 3000; i++)
      rows.push([
        '10.0.0.1',
        i % 1000 === 7 ? `svc-ü-😀-${'x'.repeat(20000)}` : i % 3 ? `svc-${i}` : 'dienst-ä',
        String(i % 65536),
      ]);
    const bytes = parquet('bytes.parquet', fields, rows, 1200);
    const pieces: Uint8Array[] = [];
    for await (const b of parquetBytes(bytesBuffer(bytes))) {
      assert.equal(b[b.length - 1], 10, 'each piece ends a line');
      pieces.push(b.slice());
    }
    assert.ok(pieces.length > 3);
    assert.equal(Buffer.concat(pieces).toString('utf8'), await textOf(bytesBuffer(bytes)));
  });
});

describe('Parquet flow logs: the flowlogs-reader peer file', () => {
  it('tests/data/flows.parquet is read with the values flowlogs-reader expects', async () => {
    const expected = (
      JSON.parse(readFileSync(join(FIX, 'peer', 'flowlogs-reader', 'test_flowlogs_reader.expected.json'), 'utf8')) as {
        'flows.parquet': { record: number; fields: Record<string, string | number> }[];
      }
    )['flows.parquet'];
    const bytes = new Uint8Array(readFileSync(join(FIX, 'peer', 'flowlogs-reader', 'flows.parquet')));
    const { records, unparsed } = await parseParquetFile(bytesBuffer(bytes));
    // Its number columns are text columns (written from pandas), with the word 'None' for a missing value: read as '-'.
    // Record 3 has protocol 8080, which is not an IANA protocol number (0-255): a flow field that fails its check
    // makes the line unparsed here, where flowlogs-reader keeps the number.
    assert.equal(records.length, 2);
    assert.deepEqual(
      unparsed.map((u) => [u.line, u.reason]),
      [[4, "field protocol: '8080' is not a protocol number (0-255)"]],
    );
    for (const [i, rec] of records.entries()) {
      const want = expected[i]!.fields;
      const names = rec.format.fields;
      for (const name of names) {
        const key = name.replace(/-/g, '_');
        const v = want[key];
        const raw = fieldRaw(rec, rec.format.index.get(name)!);
        if (v === undefined) assert.equal(raw, '-', `record ${i + 1} ${name}`);
        else if (typeof v === 'string' && /^\d{4}-/.test(v)) assert.equal(raw, String(Date.parse(v) / 1000));
        else assert.equal(raw, String(v), `record ${i + 1} ${name}`);
      }
    }
  });
});

describe('Parquet flow logs: the browser build', () => {
  it('parquet.ts bundles for the browser with no Node built-in', () => {
    const r = buildSync({
      entryPoints: [join(ROOT, 'src', 'core', 'input', 'parquet.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    assert.deepEqual(r.errors, []);
    const code = r.outputFiles[0]!.text;
    assert.doesNotMatch(code, /require\(["'](node:)?(fs|zlib|path|os|buffer)["']\)|from ["']node:/);
  });

  it('reads from memory as the browser does (bytesBuffer over a slice of a larger buffer)', async () => {
    const bytes = parquet('mem.parquet', DEFAULT_V2_FIELDS, varied(DEFAULT_V2_FIELDS, 4));
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    const inner = padded.subarray(5, 5 + bytes.length);
    assert.equal(await textOf(bytesBuffer(inner)), await textOf(bytesBuffer(bytes)));
  });
});

describe('Parquet cells as bytes', () => {
  const ints = [
    0,
    7,
    9,
    10,
    99,
    100,
    65535,
    65536,
    99_999_999,
    100_000_000,
    999_999_999,
    1_000_000_000,
    1_000_000_007,
    1_418_530_010,
    2_147_483_648,
    4_294_967_295,
    2 ** 40 + 3,
    10 ** 15,
    Number.MAX_SAFE_INTEGER,
  ];

  it('writes integers as String() does', () => {
    const buf = new Uint8Array(32);
    const decoder = new TextDecoder();
    for (const n of ints) assert.equal(decoder.decode(buf.subarray(3, writeUint(buf, 3, n))), String(n), String(n));
    for (let n = 0; n < 200_000; n += 7) assert.equal(decoder.decode(buf.subarray(0, writeUint(buf, 0, n))), String(n));
  });

  it('writes a row of integer, dash and token cells as one line, and refuses one that does not fit', () => {
    const texts = ['ACCEPT', 'us-east-1', 'héllo', '\\x20', 'x'.repeat(300)];
    const rows = ints.length + texts.length + 2;
    const a = new ColumnCells(rows);
    const b = new ColumnCells(rows);
    for (const n of ints) {
      a.uint(n);
      b.dash();
    }
    for (const t of texts) {
      a.text(t);
      b.uint(1);
    }
    a.token(new TextEncoder().encode('eni-1'));
    b.text('-');
    a.dash();
    assert.equal(a.filled, rows);
    assert.equal(b.filled, rows - 1);
    b.dashes(); // the rest of the rows
    assert.equal(b.filled, rows);
    const buf = new Uint8Array(1024);
    const decoder = new TextDecoder();
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) lines.push(decoder.decode(buf.subarray(0, writeRow([a, b], r, buf, 0))));
    assert.deepEqual(lines, [...ints.map((n) => `${n} -\n`), ...texts.map((t) => `${t} 1\n`), 'eni-1 -\n', '- -\n']);
    // The 300-character token does not fit in 200 bytes: nothing is claimed written.
    assert.equal(writeRow([a, b], ints.length + 4, new Uint8Array(200), 0), -1);
    assert.equal(writeRow([a, b], 0, new Uint8Array(200), 190), -1);
  });
});

describe('Parquet flow logs: page versions and encodings', () => {
  // The same rows written by DuckDB (version 1 data pages) and by hyparquet-writer (version 2), in row groups of
  // tens of thousands of rows: long pages, nulls, dictionaries and plain strings, negative and unsafe integers.
  const fields = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstport', 'packets', 'bytes', 'start', 'action'];
  const N = 150_000;
  const rows: string[][] = [];
  const want: string[] = [fields.join(' ')];
  for (let i = 0; i < N; i++) {
    const eni = i % 1000 === 3 ? 'eni ü x' : i % 1000 === 4 ? 'a\\b' : `eni-${i % 7}`;
    const row = [
      i % 50 === 0 ? '-' : '2',
      '123456789010',
      eni,
      `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      i % 11 === 0 ? '-' : i % 13 === 0 ? '-5' : String(i % 65536),
      i % 17 === 0 ? '-' : String(i),
      i % 1001 === 0 ? '9007199254740993' : i % 1001 === 1 ? '-1' : String(i * 1000003),
      String(1_700_000_000 + i),
      i % 97 === 0 ? '-' : i % 3 ? 'ACCEPT' : 'REJECT',
    ];
    rows.push(row);
    // Written out by hand: a space and a backslash escaped, everything else as it is.
    const shownEni = eni === 'eni ü x' ? 'eni\\x20ü\\x20x' : eni === 'a\\b' ? 'a\\x5cb' : eni;
    want.push([row[0], row[1], shownEni, ...row.slice(3)].join(' '));
  }
  const wantText = `${want.join('\n')}\n`;

  /** The type of the first data page of each column of the first row group. */
  function pageKinds(bytes: Uint8Array): Set<string> {
    const md = parquetMetadata(bytes.slice().buffer);
    const kinds = new Set<string>();
    for (const c of md.row_groups[0]!.columns) {
      const at = Number(c.meta_data!.data_page_offset);
      kinds.add(parquetHeader({ view: new DataView(bytes.buffer, bytes.byteOffset), offset: at }).type);
      if (c.meta_data!.dictionary_page_offset !== undefined) kinds.add('DICTIONARY_PAGE');
    }
    return kinds;
  }

  it('version 2 pages (hyparquet-writer): the rows as text', async () => {
    const bytes = writeParquetFile('v2.parquet', fields, rows, { rowGroupSize: 60_000 });
    assert.deepEqual([...pageKinds(bytes)].sort(), ['DATA_PAGE_V2', 'DICTIONARY_PAGE']);
    assert.equal(await textOf(bytesBuffer(bytes)), wantText);
  });

  it('version 1 pages (DuckDB): the rows as text', async () => {
    const tsv = join(dir, 'rows.tsv');
    writeFileSync(tsv, `${fields.join('\t')}\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
    const path = join(dir, 'v1.parquet');
    const types: Record<string, string> = {
      version: 'INTEGER',
      dstport: 'INTEGER',
      packets: 'BIGINT',
      bytes: 'BIGINT',
      start: 'BIGINT',
    };
    const columns = fields.map((f) => `'${f}': '${types[f] ?? 'VARCHAR'}'`).join(', ');
    const select = fields.map((f) => `"${f}" AS ${f.replace(/-/g, '_')}`).join(', ');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      await c.run(
        `COPY (SELECT ${select} FROM read_csv('${tsv}', delim = '\t', header = true, quote = '', escape = '', nullstr = '-', columns = {${columns}})) ` +
          `TO '${path}' (FORMAT PARQUET, COMPRESSION GZIP, ROW_GROUP_SIZE 60000)`,
      );
    } finally {
      c.closeSync();
      db.closeSync();
    }
    const bytes = new Uint8Array(readFileSync(path));
    const kinds = pageKinds(bytes);
    assert.ok(kinds.has('DATA_PAGE') && kinds.has('DICTIONARY_PAGE'), [...kinds].join());
    assert.equal(await textOf(bytesBuffer(bytes)), wantText);
  });
});
