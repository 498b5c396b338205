// Every file in test/fixtures/ through the real parser: the facts test/fixtures/README.md states, the format
// source, the envelope, and that the counts add up. Each file is parsed whole (string and bytes) and streamed
// in small byte chunks; all three must agree.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowParser, parseText, type FullParseStats } from '../../src/core/parser';
import { fieldValue } from '../../src/core/record';
import { recordTags } from '../../src/core/tags';
import type { FlowRecord, UnparsedLine } from '../../src/core/types';

const DIR = join(__dirname, '..', 'fixtures');

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, name)));
}

function parseChunked(
  bytes: Uint8Array,
  size: number,
): { records: FlowRecord[]; unparsed: UnparsedLine[]; stats: FullParseStats } {
  const records: FlowRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const p = new FlowParser({ record: (r) => records.push(r), unparsed: (u) => unparsed.push(u) });
  for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
  return { records, unparsed, stats: p.end() };
}

function assertAddsUp(s: FullParseStats): void {
  assert.equal(
    s.lines + s.envelopeMessages,
    s.blank + s.headers + s.records + s.unparsed + s.envelopeLines + s.messageLines + s.noFlowMessages,
    `counts do not add up: ${JSON.stringify(s, (k, v: unknown) => (k === 'formats' ? undefined : v))}`,
  );
}

const v = fieldValue;
type Check = (r: ReturnType<typeof parseText>) => void;

/** Per fixture: what a user must see. */
const EXPECT: Record<string, Check> = {
  'aws-examples-default.log': ({ records, stats }) => {
    assert.equal(records.length, 7);
    assert.equal(stats.formats[0]!.format.source, 'default');
    assert.equal(stats.formats[0]!.format.fields.length, 14);
    const [ssh, rdp, nodata, skip, , , v6] = records;
    assert.deepEqual(
      ['srcaddr', 'srcport', 'dstaddr', 'dstport', 'protocol', 'packets', 'bytes', 'action'].map((f) => v(ssh!, f)),
      ['172.31.16.139', '20641', '172.31.16.21', '22', '6', '20', '4249', 'ACCEPT'],
    );
    assert.equal(v(rdp!, 'action'), 'REJECT');
    assert.equal(v(rdp!, 'dstport'), '3389');
    for (const r of [nodata!, skip!]) {
      for (const f of ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'action'])
        assert.equal(v(r, f), undefined, f);
    }
    assert.equal(v(nodata!, 'log-status'), 'NODATA');
    assert.equal(v(skip!, 'log-status'), 'SKIPDATA');
    assert.equal(v(v6!, 'srcaddr'), '2001:db8:1234:a100:8d6e:3477:df66:f105');
  },
  'logzilla-format1.log': ({ records, stats }) => {
    assert.equal(records.length, 1);
    assert.equal(stats.formats[0]!.format.source, 'default');
    assert.equal(v(records[0]!, 'dstport'), '22');
  },
  'logzilla-format2.log': ({ records, stats }) => {
    assert.equal(records.length, 1);
    assert.equal(stats.formats[0]!.format.source, 'alphabetical');
    const r = records[0]!;
    assert.equal(v(r, 'az-id'), 'apse2-az3');
    assert.equal(v(r, 'instance-id'), 'eni-1235b8ca123456789');
    assert.equal(v(r, 'interface-id'), 'eni-0c0d52089ed3b20ba');
    assert.equal(v(r, 'pkt-dstaddr'), '4.3.2.1');
    assert.equal(v(r, 'pkt-srcaddr'), '1.2.3.4');
    assert.equal(v(r, 'region'), 'us-east-1');
    assert.equal(v(r, 'tcp-flags'), '18');
    assert.equal(recordTags(r)['TCP Flags'], 'SYN-ACK');
    assert.equal(v(r, 'traffic-path'), '8');
    assert.equal(v(r, 'version'), '5');
    assert.equal(v(r, 'vpc-id'), 'vpc-12345');
  },
  's3-alphabetical-skipdata.log': ({ records, stats }) => {
    assert.equal(records.length, 1);
    assert.equal(stats.formats[0]!.format.source, 'alphabetical');
    const r = records[0]!;
    assert.equal(v(r, 'log-status'), 'SKIPDATA');
    assert.equal(v(r, 'account-id'), '325352056000');
    assert.equal(v(r, 'az-id'), 'apne1-az1');
    assert.equal(v(r, 'region'), 'ap-northeast-1');
    assert.equal(v(r, 'vpc-id'), 'vpc-bcd5b000');
    assert.equal(v(r, 'subnet-id'), 'subnet-f27b1000');
    assert.equal(v(r, 'instance-id'), 'i-085c8f3d12aa57000');
    assert.equal(v(r, 'interface-id'), 'eni-03a3504cbdd789000');
    assert.equal(v(r, 'action'), undefined);
    assert.equal(v(r, 'srcaddr'), undefined);
  },
  'custom-v3-tcp-flags.log': ({ records, headers, stats }) => {
    assert.equal(headers.length, 1);
    assert.equal(headers[0]!.line, 1);
    assert.equal(stats.formats[0]!.format.source, 'header');
    assert.equal(records.length, 8);
    assert.deepEqual(
      records.map((r) => v(r, 'tcp-flags')),
      ['2', '18', '2', '18', '1', '1', '3', '19'],
    );
    const last = records[7]!; // the line with a double space
    assert.equal(v(last, 'dstport'), '43638');
    assert.equal(v(last, 'pkt-srcaddr'), '10.0.0.62');
    assert.equal(v(last, 'bytes'), '967');
    assert.equal(recordTags(last)['TCP Flags'], 'SYN-ACK, FIN');
  },
  'custom-v5-service-path.log': ({ records, stats }) => {
    assert.equal(stats.formats[0]!.format.source, 'header');
    assert.equal(records.length, 2);
    const [inbound, outbound] = records;
    assert.equal(v(inbound!, 'pkt-src-aws-service'), 'S3');
    assert.equal(v(inbound!, 'flow-direction'), 'ingress');
    assert.equal(v(inbound!, 'traffic-path'), undefined);
    assert.equal(v(outbound!, 'pkt-dst-aws-service'), 'S3');
    assert.equal(v(outbound!, 'traffic-path'), '8');
    assert.equal(v(outbound!, 'flow-direction'), 'egress');
    assert.equal(v(outbound!, 'az-id'), 'apse2-az3');
  },
  'custom-nat-gateway-no-version.log': ({ records, stats }) => {
    const f = stats.formats[0]!.format;
    assert.equal(f.source, 'header');
    assert.deepEqual(f.fields, ['instance-id', 'interface-id', 'srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr']);
    assert.equal(records.length, 6);
    assert.equal(v(records[0]!, 'instance-id'), undefined);
    assert.equal(v(records[0]!, 'pkt-dstaddr'), '203.0.113.5');
    assert.equal(v(records[4]!, 'instance-id'), 'i-01234567890123456');
  },
  'custom-v3-transit-gateway-path.log': ({ records, stats }) => {
    assert.equal(stats.formats[0]!.format.source, 'header');
    assert.equal(records.length, 4);
    assert.equal(v(records[2]!, 'srcaddr'), '10.40.1.175');
    assert.equal(v(records[2]!, 'pkt-srcaddr'), '10.20.33.164');
    assert.equal(v(records[2]!, 'instance-id'), undefined);
  },
  'custom-ecs-fields.log': ({ records, stats }) => {
    assert.equal(stats.formats[0]!.format.source, 'header');
    assert.equal(stats.formats[0]!.format.fields.length, 24);
    const r = records[0]!;
    assert.equal(v(r, 'version'), '7');
    assert.equal(v(r, 'account-id'), '64111117617');
    assert.equal(v(r, 'ecs-cluster-name'), 'DEMOGO-ECS');
    assert.equal(v(r, 'ecs-service-name'), 'cats');
    assert.equal(v(r, 'ecs-second-container-id'), undefined);
  },
  'tgw-flow-log-v6.log': ({ records, stats }) => {
    assert.equal(stats.formats[0]!.format.source, 'header');
    const r = records[0]!;
    assert.equal(v(r, 'version'), '6');
    assert.equal(v(r, 'tgw-id'), 'tgw-0abc12345def67890');
    assert.equal(v(r, 'tgw-attachment-id'), 'tgw-attach-0abc12345def67890');
    assert.deepEqual(
      ['packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired'].map(
        (f) => v(r, f),
      ),
      ['1', '2', '3', '4'],
    );
    assert.equal(v(r, 'flow-direction'), 'ingress');
  },
  'cloudwatch-filter-log-events.json': ({ records, stats }) => {
    assert.equal(records.length, 7);
    assert.equal(stats.formats[0]!.format.source, 'default');
    assert.deepEqual(stats.envelopes, [{ kind: 'filter-log-events', records: 7 }]);
    assert.equal(stats.messageLines, 7, 'one line per message');
    assert.equal(stats.envelopeLines, stats.lines - 7, 'the rest is JSON structure');
    assert.equal(v(records[0]!, 'dstport'), '22');
    assert.equal(v(records[1]!, 'action'), 'REJECT');
  },
  'cloudwatch-get-log-events.json': ({ records, stats }) => {
    assert.equal(records.length, 3);
    assert.deepEqual(stats.envelopes, [{ kind: 'get-log-events', records: 3 }]);
    assert.equal(v(records[2]!, 'log-status'), 'NODATA');
  },
  'cloudwatch-subscription-data-message.json': ({ records, stats }) => {
    assert.equal(records.length, 7);
    assert.deepEqual(stats.envelopes, [{ kind: 'cwl-subscription', records: 7 }]);
    assert.ok(records.every((r) => r.line === 1));
    assert.equal(stats.messageLines, 1);
    assert.equal(stats.envelopeLines, 0);
    assert.equal(v(records[6]!, 'srcaddr'), '2001:db8:1234:a100:8d6e:3477:df66:f105');
  },
  'firehose-request-cloudwatch.json': ({ records, stats, unparsed }) => {
    assert.equal(records.length, 7);
    assert.equal(stats.noFlowMessages, 1, 'the CONTROL_MESSAGE is a no-flow message');
    assert.equal(unparsed.length, 0, 'a CONTROL_MESSAGE is not an error');
    assert.deepEqual(stats.envelopes, [{ kind: 'firehose', records: 7 }]);
    assert.ok(records.every((r) => r.offset === -1));
    assert.equal(v(records[0]!, 'dstport'), '22');
  },
  'firehose-request-direct.json': ({ records, stats }) => {
    assert.equal(records.length, 7);
    assert.deepEqual(stats.envelopes, [{ kind: 'firehose', records: 7 }]);
    assert.equal(v(records[1]!, 'dstport'), '3389');
    assert.equal(v(records[3]!, 'log-status'), 'SKIPDATA');
  },
  '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz': ({ records, headers, stats }) => {
    assert.equal(headers.length, 1);
    assert.equal(stats.formats[0]!.format.source, 'header');
    assert.equal(records.length, 7);
    assert.deepEqual(stats.envelopes, [{ kind: 'gzip', records: 7 }]);
    assert.equal(records[0]!.line, 2);
    assert.equal(v(records[0]!, 'srcaddr'), '172.31.16.139');
  },
  'hostile.log': ({ records, unparsed, stats }) => {
    assert.equal(stats.formats[0]!.format.source, 'header');
    assert.equal(records.length, 3);
    assert.equal(v(records[0]!, 'ecs-cluster-name'), '<img/src=x/onerror=window.__pwned=1>');
    assert.equal(unparsed.length, 1);
    assert.equal(unparsed[0]!.line, 5);
    assert.match(unparsed[0]!.reason, /^expected 17 fields, found \d+$/);
  },
  'malformed.log': ({ records, unparsed, stats }) => {
    assert.equal(stats.formats[0]!.format.source, 'default');
    assert.equal(stats.blank, 1);
    assert.deepEqual(
      unparsed.map((u) => [u.line, u.reason]),
      [
        [2, 'expected 14 fields, found 9'],
        [3, "field dstport: 'abc' is not a port"],
        [5, "field srcaddr: '300.1.2.3' is not an IP address"],
        [7, "field action: 'MAYBE' is not ACCEPT or REJECT"],
        [8, 'expected 14 fields, found 6'],
        [9, "field protocol: '999' is not a protocol number (0-255)"],
      ],
    );
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 6, 10, 11, 12, 13, 14, 15],
    );
    const unknownAccount = records[1]!;
    assert.equal(v(unknownAccount, 'account-id'), 'unknown');
    assert.equal(v(unknownAccount, 'start'), '1418530010000');
    assert.equal(v(records[2]!, 'log-status'), 'OK', 'trailing tab and blanks are ignored');
    assert.equal(v(records[4]!, 'dstport'), '3389', 'tab-separated line');
  },
  'cloudwatch-export.log': ({ records, stats }) => {
    assert.equal(records.length, 4);
    assert.equal(stats.formats[0]!.format.source, 'default');
    assert.deepEqual(stats.envelopes, [{ kind: 'cloudwatch-export', records: 4 }]);
    assert.equal(records[0]!.offset, '2014-12-14T04:06:50.000Z '.length);
    assert.equal(v(records[1]!, 'dstport'), '3389');
  },
  'ndjson-messages.log': ({ records, stats }) => {
    assert.equal(records.length, 4);
    assert.deepEqual(stats.envelopes, [{ kind: 'ndjson', records: 4 }]);
    assert.equal(records[0]!.offset, '{"message":"'.length);
    assert.equal(v(records[3]!, 'dstport'), '22');
  },
  'nginx-access.log': ({ records, unparsed }) => {
    assert.equal(records.length, 0);
    assert.equal(unparsed.length, 4);
    assert.ok(unparsed.every((u) => /^expected \d+ fields, found \d+$/.test(u.reason)));
  },
};

describe('samples: every fixture parses to the facts its README states', () => {
  const files = readdirSync(DIR, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'README.md')
    .map((e) => e.name);

  it('has an expectation for every sample the fixtures README lists', () => {
    // Other fixtures (added for other parts of the project) still get the generic checks below.
    const listed = [...readFileSync(join(DIR, 'README.md'), 'utf8').matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    assert.ok(listed.length >= 16);
    const missing = listed.filter((f) => !(f in EXPECT));
    assert.deepEqual(missing, [], 'add the sample to EXPECT in samples.test.ts');
    for (const f of listed) assert.ok(files.includes(f), `${f} is listed but missing`);
  });

  for (const file of files) {
    it(file, () => {
      const bytes = bytesOf(file);
      const whole = parseText(bytes);
      assertAddsUp(whole.stats);
      EXPECT[file]?.(whole);
      // The same input as a string (not for gzip) and streamed in small chunks gives the same records.
      const variants = [parseChunked(bytes, 7), parseChunked(bytes, 1 << 16)];
      if (!file.endsWith('.gz')) variants.push(parseText(new TextDecoder().decode(bytes)));
      for (const other of variants) {
        assertAddsUp(other.stats);
        assert.deepEqual(
          other.records.map((r) => [r.line, r.text, r.offset, Array.from(r.spans)]),
          whole.records.map((r) => [r.line, r.text, r.offset, Array.from(r.spans)]),
        );
        assert.deepEqual(
          other.unparsed.map((u) => [u.line, u.reason]),
          whole.unparsed.map((u) => [u.line, u.reason]),
        );
      }
      // Where a record's text sits verbatim in its line, the offset points at it.
      if (!file.endsWith('.gz')) {
        const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
        for (const r of whole.records) {
          if (r.offset < 0) continue;
          assert.equal(lines[r.line - 1]!.slice(r.offset, r.offset + r.text.length), r.text, `line ${r.line}`);
        }
      }
    });
  }
});
