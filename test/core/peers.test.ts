// Other parsers' public test vectors (Vector's VRL function tests, flowlogs-reader's tests), parsed without
// being told the format and compared field by field with what those tools expect; plus the documented
// layouts, best-effort metadata and the Parquet notice, on generated lines.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { ALL_V5_FIELDS, DOCUMENTED_ORDER, TGW_DEFAULT_FIELDS } from '../../src/core/format';
import { FlowParser, PARQUET_REASON, parseText } from '../../src/core/parser';
import { fieldRaw, metadataWarnings } from '../../src/core/record';
import type { FlowRecord, UnparsedLine } from '../../src/core/types';

const PEER = join(__dirname, '..', 'fixtures', 'peer');
const read = (...p: string[]) => readFileSync(join(PEER, ...p), 'utf8');

interface Expected {
  line: number;
  expect: string;
  fields?: Record<string, string | number | null>;
}

/** The peer's value as our raw token: `-` for null, ISO times as Unix seconds, underscores as hyphens. */
function want(v: string | number | null): string {
  if (v === null) return '-';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return String(Date.parse(v) / 1000);
  return String(v);
}

function ours(rec: FlowRecord, name: string): string | undefined {
  const i = rec.format.index.get(name);
  if (i === undefined) return undefined;
  const raw = fieldRaw(rec, i);
  // flowlogs-reader turns millisecond times into seconds.
  return (name === 'start' || name === 'end') && raw.length > 10 ? String(Math.floor(Number(raw) / 1000)) : raw;
}

/** Compares every stated field of every stated line; returns the mismatches as text. */
function compare(text: string, lines: Expected[]): string[] {
  const { records } = parseText(text);
  const byLine = new Map(records.map((r) => [r.line, r]));
  const misses: string[] = [];
  for (const e of lines) {
    if (e.expect !== 'record') {
      assert.equal(byLine.get(e.line), undefined, `line ${e.line} is not a record for the peer`);
      continue;
    }
    const rec = byLine.get(e.line);
    assert.ok(rec, `line ${e.line} is a record`);
    for (const [k, v] of Object.entries(e.fields ?? {})) {
      const name = k.replace(/_/g, '-');
      if (ours(rec, name) !== want(v)) misses.push(`line ${e.line} ${name}: want ${want(v)}, got ${ours(rec, name)}`);
    }
  }
  return misses;
}

describe('peer test vectors, parsed without a format', () => {
  const vector = JSON.parse(read('vector-vrl', 'parse_aws_vpc_flow_log.expected.json')) as {
    files: Record<string, { format: string | null; lines: Expected[] }>;
  };
  // Vector's own test layouts for v7 and v8–v11 are not AWS's documented ones and carry synthetic values
  // (`i-…` as an ECS container-instance id, `abcd1234` as a task id, a lone `1` as encryption-status): values
  // alone cannot place them. With Vector's format given, they must agree too (below).
  const NOT_INFERABLE = new Set(['v7-ecs.log', 'v8-v11.log', 'example-v11.log']);

  for (const [file, { format, lines }] of Object.entries(vector.files)) {
    if (NOT_INFERABLE.has(file)) continue;
    it(`Vector ${file}: every field as Vector reads it`, () => {
      assert.deepEqual(compare(read('vector-vrl', file), lines), []);
    });
    if (format !== null) {
      it(`Vector ${file}: a single record is enough`, () => {
        const text = read('vector-vrl', file).split('\n')[0]!;
        assert.deepEqual(compare(text, lines.slice(0, 1)), []);
      });
    }
  }

  for (const [file, { format, lines }] of Object.entries(vector.files)) {
    if (format === null) continue;
    it(`Vector ${file} with Vector's format given: every field agrees`, () => {
      const header = format.replace(/_/g, '-');
      assert.deepEqual(
        compare(
          `${header}\n${read('vector-vrl', file)}`,
          lines.map((e) => ({ ...e, line: e.line + 1 })),
        ),
        [],
      );
    });
  }

  const reader = JSON.parse(read('flowlogs-reader', 'test_flowlogs_reader.expected.json')) as Record<string, unknown>;
  for (const [file, lines] of Object.entries(reader)) {
    if (!file.endsWith('.log')) continue;
    it(`flowlogs-reader ${file}: every field as flowlogs-reader reads it`, () => {
      assert.deepEqual(compare(read('flowlogs-reader', file), lines as Expected[]), []);
    });
  }

  it('flowlogs-reader V6_FILE.log: the ids it made up ("00000000" as a tgw-id) keep the record, flagged', () => {
    const { records, stats } = parseText(read('flowlogs-reader', 'V6_FILE.log'));
    assert.equal(records.length, 1);
    assert.equal(stats.flaggedRecords, 1);
    const w = metadataWarnings(records[0]!);
    assert.ok(w.some((x) => x.reason === "field tgw-id: '00000000' is not a transit gateway id (tgw-…)"));
    assert.ok(w.some((x) => x.name === 'tgw-src-az-id'));
  });
});

// ------------------------------------------------------------------ generated lines in documented layouts

/** A realistic value for each field (distinct shapes where AWS's values have them). */
const VALUE: Record<string, string> = {
  version: '8',
  'account-id': '123456789010',
  'interface-id': 'eni-0a1b2c3d4e5f60718',
  srcaddr: '10.0.1.5',
  dstaddr: '10.0.2.9',
  srcport: '49761',
  dstport: '443',
  protocol: '6',
  packets: '20',
  bytes: '4249',
  start: '1700000000',
  end: '1700000060',
  action: 'REJECT',
  'log-status': 'OK',
  'vpc-id': 'vpc-0abcdef1234567890',
  'subnet-id': 'subnet-0abcdef1234567890',
  'instance-id': 'i-01234567890123456',
  'tcp-flags': '2',
  type: 'IPv4',
  'pkt-srcaddr': '203.0.113.7',
  'pkt-dstaddr': '10.0.2.9',
  region: 'us-east-1',
  'az-id': 'use1-az4',
  'sublocation-type': '-',
  'sublocation-id': '-',
  'pkt-src-aws-service': 'S3',
  'pkt-dst-aws-service': '-',
  'flow-direction': 'ingress',
  'traffic-path': '-',
  'ecs-cluster-arn': 'arn:aws:ecs:us-east-1:123456789010:cluster/web',
  'ecs-cluster-name': 'web',
  'ecs-container-instance-arn':
    'arn:aws:ecs:us-east-1:123456789010:container-instance/web/39623aba81594d79b596c0c5f556d47b',
  'ecs-container-instance-id': '39623aba81594d79b596c0c5f556d47b',
  'ecs-container-id': '0c5c6db7540ca5c4dbc692a53c1d7bab0a4e17e9cf44fc9167659c8687fd13df',
  'ecs-second-container-id': '-',
  'ecs-service-name': 'cats',
  'ecs-task-definition-arn': 'arn:aws:ecs:us-east-1:123456789010:task-definition/catsdef:2',
  'ecs-task-arn': 'arn:aws:ecs:us-east-1:123456789010:task/web/b9ad2f8a90b24f7bbce4b0341034852f',
  'ecs-task-id': 'b9ad2f8a90b24f7bbce4b0341034852f',
  'reject-reason': 'BPA',
};

function single(fields: readonly string[]): FlowRecord {
  const text = fields.map((f) => VALUE[f] ?? '-').join(' ');
  const { records, unparsed } = parseText(text);
  assert.deepEqual(unparsed, []);
  return records[0]!;
}

describe('documented layouts without a header', () => {
  it("a single record in AWS's documented 29-field order", () => {
    const rec = single(ALL_V5_FIELDS);
    assert.deepEqual(rec.format.fields, ALL_V5_FIELDS);
    assert.equal(ours(rec, 'packets'), '20');
    assert.equal(ours(rec, 'bytes'), '4249');
  });

  it('a single 39-field (v5 + ECS) and 40-field (v5 + ECS + v8 reject-reason) line', () => {
    for (const n of [39, 40]) {
      const fields = DOCUMENTED_ORDER.slice(0, n);
      const rec = single(fields);
      assert.deepEqual(rec.format.fields, fields, `${n} fields`);
      assert.equal(ours(rec, 'ecs-task-id'), VALUE['ecs-task-id']);
      assert.equal(ours(rec, 'ecs-container-instance-id'), VALUE['ecs-container-instance-id']);
    }
  });

  it("AWS's TCP-flag-sequence example with one record: no swapped dstport/bytes or packets/bytes", () => {
    const line =
      '3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK';
    const rec = parseText(line).records[0]!;
    assert.equal(rec.format.label, 'AWS example: TCP flag sequence (21 fields)');
    assert.deepEqual(
      ['dstport', 'bytes', 'packets'].map((f) => ours(rec, f)),
      ['5001', '568', '8'],
    );
  });
});

describe('best-effort metadata', () => {
  it("a Transit Gateway record whose tgw-src-az-id is 'us-east-1a' is kept, the value flagged", () => {
    const values: Record<string, string> = {
      version: '6',
      'resource-type': 'TransitGatewayAttachment',
      'account-id': '123456789010',
      'tgw-id': 'tgw-0123456789abcdef0',
      'tgw-attachment-id': 'tgw-attach-0123456789abcdef0',
      'tgw-src-vpc-account-id': '123456789010',
      'tgw-dst-vpc-account-id': '123456789010',
      'tgw-src-vpc-id': 'vpc-0abcdef1234567890',
      'tgw-dst-vpc-id': 'vpc-0fedcba9876543210',
      'tgw-src-subnet-id': 'subnet-0abcdef1234567890',
      'tgw-dst-subnet-id': 'subnet-0fedcba9876543210',
      'tgw-src-eni': 'eni-0a1b2c3d4e5f60718',
      'tgw-dst-eni': 'eni-0f1e2d3c4b5a60718',
      'tgw-src-az-id': 'us-east-1a',
      'tgw-dst-az-id': 'use1-az2',
      'tgw-pair-attachment-id': 'tgw-attach-0fedcba9876543210',
      srcaddr: '10.0.1.5',
      dstaddr: '10.1.2.9',
      srcport: '49761',
      dstport: '443',
      protocol: '6',
      packets: '10',
      bytes: '840',
      start: '1700000000',
      end: '1700000060',
      'log-status': 'OK',
      type: 'IPv4',
      region: 'us-east-1',
      'flow-direction': 'egress',
    };
    const header = TGW_DEFAULT_FIELDS.join(' ');
    const text = `${header}\n${TGW_DEFAULT_FIELDS.map((f) => values[f] ?? '-').join(' ')}`;
    const { records, unparsed, stats } = parseText(text);
    assert.deepEqual(unparsed, []);
    assert.equal(records.length, 1);
    assert.equal(stats.flaggedRecords, 1);
    assert.deepEqual(
      metadataWarnings(records[0]!).map((w) => w.reason),
      ["field tgw-src-az-id: 'us-east-1a' is not an Availability Zone ID"],
    );
    // The flow still counts in the analysis, and the summary says how many records carry a flagged value.
    const s = analyzeText(text);
    assert.equal(s.totals.records, 1);
    assert.equal(s.totals.flaggedRecords, 1);
  });

  it('a bad flow field still makes the line unparsed, with its reason', () => {
    const line =
      '2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.5 10.0.2.9 49761 http 6 20 4249 1700000000 1700000060 ACCEPT OK';
    const { records, unparsed } = parseText(line, { format: 'default' });
    assert.equal(records.length, 0);
    assert.equal(unparsed[0]?.reason, "field dstport: 'http' is not a port");
  });

  it('the same record through the byte path and the fused analysis path is flagged the same way', () => {
    const line = '2 123456789010 nic-12345 10.0.1.5 10.0.2.9 49761 22 6 20 4249 1700000000 1700000060 REJECT OK\n';
    const s = analyzeText(line);
    assert.equal(s.totals.records, 1);
    assert.equal(s.totals.flaggedRecords, 1);
    const out: (FlowRecord | UnparsedLine)[] = [];
    const p = new FlowParser({ record: (r) => out.push(r), unparsed: (u) => out.push(u) });
    p.push(new TextEncoder().encode(line));
    assert.equal(p.end().flaggedRecords, 1);
    assert.equal(out.length, 1);
  });
});

describe('Parquet', () => {
  it('a Parquet file streamed to the parser as bytes is said to be one, in one line, and nothing else is read from it', () => {
    const bytes = readFileSync(join(PEER, 'flowlogs-reader', 'flows.parquet'));
    const out: UnparsedLine[] = [];
    const p = new FlowParser({ record: () => assert.fail('no records'), unparsed: (u) => out.push(u) });
    p.push(new Uint8Array(bytes));
    const stats = p.end();
    assert.deepEqual(
      out.map((u) => [u.line, u.reason]),
      [[1, PARQUET_REASON]],
    );
    assert.equal(stats.lines, 1);
    assert.equal(stats.unparsed, 1);
    assert.match(PARQUET_REASON, /^an Apache Parquet file: its bytes are not flow-log text; it is read as Parquet/);
  });
});
