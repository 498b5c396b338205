// The streaming parser: line handling, chunking, headers, user formats, envelopes in plain text, and the
// accounting invariant.
import { strict as assert } from 'node:assert';
import { gzipSync } from 'fflate';
import {
  FlowParser,
  headerFormat,
  parseText,
  type FlowParserOptions,
  type FullParseStats,
} from '../../src/core/parser';
import { fieldAt, fieldRaw, fieldValue, parseRecordLine, recordFields } from '../../src/core/record';
import { DEFAULT_V2 } from '../../src/core/format';
import type { FlowRecord, UnparsedLine } from '../../src/core/types';

const SSH =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const RDP =
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

function addsUp(s: FullParseStats): void {
  assert.equal(
    s.lines + s.envelopeMessages,
    s.blank + s.headers + s.records + s.unparsed + s.envelopeLines + s.messageLines + s.noFlowMessages,
  );
}

function stream(chunks: (string | Uint8Array)[], options?: FlowParserOptions) {
  const records: FlowRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const headers: number[] = [];
  const order: string[] = [];
  const p = new FlowParser(
    {
      record: (r) => {
        records.push(r);
        order.push(`r${r.line}`);
      },
      unparsed: (u) => {
        unparsed.push(u);
        order.push(`u${u.line}`);
      },
      header: (line) => {
        headers.push(line);
        order.push(`h${line}`);
      },
    },
    options,
  );
  for (const c of chunks) p.push(c);
  const stats = p.end();
  addsUp(stats);
  return { records, unparsed, headers, stats, order };
}

describe('parser', () => {
  it('reads the default format with line numbers, spans and absent fields', () => {
    const { records, stats } = parseText([SSH, RDP, NODATA].join('\n'));
    assert.equal(stats.lines, 3);
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 2, 3],
    );
    const r = records[0]!;
    assert.equal(r.spans.length, 28);
    assert.equal(fieldRaw(r, 3), '172.31.16.139');
    assert.equal(r.text.slice(r.spans[6], r.spans[7]), '172.31.16.139');
    assert.equal(fieldValue(records[2]!, 'srcaddr'), undefined, "'-' is absent");
    assert.equal(fieldRaw(records[2]!, 3), '-');
    assert.equal(fieldValue(r, 'vpc-id'), undefined, 'not in the format');
    assert.equal(fieldAt(r, SSH.indexOf(' 22 ') + 1)?.name, 'dstport');
    assert.deepEqual(
      recordFields(r).map((f) => f.name),
      DEFAULT_V2.fields,
    );
  });

  it('accepts CRLF, a BOM, tabs, runs of blanks and trailing blanks', () => {
    const text = '\uFEFF' + SSH.replace(/ /g, ' \t ') + '  \t\r\n' + RDP + '\r\n\r\n';
    const { records, stats } = stream([text]);
    assert.equal(records.length, 2);
    assert.equal(stats.blank, 1);
    assert.equal(fieldValue(records[0]!, 'version'), '2');
    assert.equal(fieldValue(records[0]!, 'log-status'), 'OK');
    assert.equal(fieldValue(records[1]!, 'log-status'), 'OK', 'no \\r in the last value');
    // The same as bytes, with the UTF-8 BOM.
    const bytes = stream([new TextEncoder().encode(text)]);
    assert.deepEqual(
      bytes.records.map((r) => [r.line, r.text, Array.from(r.spans)]),
      records.map((r) => [r.line, r.text, Array.from(r.spans)]),
    );
  });

  it('gives the same result for every split of the input into two chunks (strings and bytes)', () => {
    const text = [HEADER, SSH, '', 'junk line', RDP, NODATA, '{"message":"' + SSH + '"}'].join('\n') + '\n';
    const whole = stream([text]);
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i <= text.length; i++) {
      const a = stream([text.slice(0, i), text.slice(i)]);
      assert.deepEqual(a.order, whole.order, `string split at ${i}`);
      const b = stream([bytes.subarray(0, i), bytes.subarray(i)]);
      assert.deepEqual(b.order, whole.order, `byte split at ${i}`);
    }
  });

  it('drops a UTF-8 BOM whose bytes arrive in separate chunks', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${SSH}\n${RDP}\n`);
    assert.equal(bytes[0], 0xef);
    for (const cuts of [[1], [2], [1, 2], [3], [1, 2, 3, 4]]) {
      const chunks: Uint8Array[] = [];
      let prev = 0;
      for (const c of [...cuts, bytes.length]) {
        chunks.push(bytes.subarray(prev, c));
        prev = c;
      }
      const { records } = stream(chunks);
      assert.deepEqual(
        records.map((r) => r.text),
        [SSH, RDP],
        `cuts ${cuts.join(',')}`,
      );
    }
  });

  it('decodes a UTF-8 sequence split across byte chunks', () => {
    const text = `${HEADER.replace('log-status', 'log-status ecs-service-name')}\n${SSH} café-☕-🚀\n`;
    const bytes = new TextEncoder().encode(text);
    for (let i = text.length - 20; i < bytes.length; i++) {
      const { records } = stream([bytes.subarray(0, i), bytes.subarray(i)]);
      assert.equal(fieldValue(records[0]!, 'ecs-service-name'), 'café-☕-🚀', `split at byte ${i}`);
    }
  });

  it('reports lines that are not records with their line number and reason, and keeps going', () => {
    const { records, unparsed, stats } = parseText(
      [SSH, SSH, SSH, '2 1 eni-x 1.2.3.4 5.6.7.8 1 abc 6 1 1 1 1 ACCEPT OK', 'hello world', SSH].join('\n'),
    );
    assert.equal(records.length, 4);
    assert.deepEqual(
      unparsed.map((u) => [u.line, u.reason, u.text]),
      [
        [4, "field dstport: 'abc' is not a port", '2 1 eni-x 1.2.3.4 5.6.7.8 1 abc 6 1 1 1 1 ACCEPT OK'],
        [5, 'expected 14 fields, found 2', 'hello world'],
      ],
    );
    assert.equal(stats.unparsed, 2);
  });

  it('truncates the text of an unparsed line to 200 characters', () => {
    const long = 'x'.repeat(5000);
    const { unparsed } = parseText(`${SSH}\n${long}`);
    assert.equal(unparsed[0]!.text.length, 200);
  });

  it('takes the format from a header line, and from a header repeated mid-file (concatenated S3 files)', () => {
    const custom = 'srcaddr dstaddr action';
    const { records, headers, stats, order } = stream([
      `${HEADER}\n${SSH}\n${custom}\n10.0.0.1 10.0.0.2 REJECT\n${HEADER}\n${RDP}\n`,
    ]);
    assert.deepEqual(headers, [1, 3, 5]);
    assert.deepEqual(order, ['h1', 'r2', 'h3', 'r4', 'h5', 'r6']);
    assert.equal(records[1]!.format.fields.length, 3);
    assert.equal(fieldValue(records[1]!, 'action'), 'REJECT');
    assert.equal(records[1]!.format.source, 'header');
    assert.equal(fieldValue(records[2]!, 'dstport'), '3389');
    assert.equal(stats.headers, 3);
    const total = stats.formats.reduce((n, f) => n + f.records, 0);
    assert.equal(total, 3);
  });

  it('keeps unknown field names of a header line as text, with a note', () => {
    const f = headerFormat('version srcaddr dstaddr next-gen-field');
    assert.ok(f);
    assert.deepEqual(f.fields, ['version', 'srcaddr', 'dstaddr', 'next-gen-field']);
    assert.match(f.notes[0]!, /next-gen-field/);
    assert.equal(headerFormat('hello world this is prose'), undefined);
    assert.deepEqual(
      headerFormat('${version} ${srcaddr}')?.fields,
      ['version', 'srcaddr'],
      'a pasted ${...} format string',
    );
    assert.equal(headerFormat('${version} srcaddr'), undefined);
    assert.equal(headerFormat('version version'), undefined, 'duplicate names');
  });

  it('uses a user format for header-less input, but a header in the input wins', () => {
    const user = '${srcaddr} ${dstaddr} ${action}';
    const a = parseText('10.0.0.1 10.0.0.2 ACCEPT\n', { format: user });
    assert.equal(a.records[0]!.format.source, 'user');
    assert.equal(fieldValue(a.records[0]!, 'dstaddr'), '10.0.0.2');
    const b = parseText(`10.0.0.1 10.0.0.2 ACCEPT\n${HEADER}\n${SSH}\n`, { format: user });
    assert.equal(b.records.length, 2);
    assert.equal(b.records[1]!.format.source, 'header');
  });

  it('reports a bad user format in the stats and resolves the format itself', () => {
    const r = parseText(`${SSH}\n`, { format: 'version dst-port' });
    assert.match(r.stats.formatError!, /unknown field 'dst-port' \(did you mean 'dstport'\?\)/);
    assert.equal(r.records.length, 1);
  });

  it('unwraps CloudWatch export lines (ISO timestamp first)', () => {
    const line = `2014-12-14T04:06:50.000Z ${SSH}`;
    const { records } = parseText(line);
    assert.equal(records[0]!.envelope, 'cloudwatch-export');
    assert.equal(records[0]!.offset, 25);
    assert.equal(records[0]!.text, SSH);
  });

  it('reads gzip bytes, whole or streamed in tiny chunks, including multi-member files', () => {
    const enc = new TextEncoder();
    const gz1 = gzipSync(enc.encode(`${HEADER}\n${SSH}\n`));
    const gz2 = gzipSync(enc.encode(`${HEADER}\n${RDP}\n`));
    const both = new Uint8Array(gz1.length + gz2.length);
    both.set(gz1, 0);
    both.set(gz2, gz1.length);
    const whole = stream([both]);
    assert.equal(whole.records.length, 2);
    assert.equal(whole.records[1]!.envelope, 'gzip');
    assert.equal(whole.records[1]!.line, 4);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < both.length; i += 3) chunks.push(both.subarray(i, i + 3));
    assert.deepEqual(
      stream(chunks).records.map((r) => r.text),
      [SSH, RDP],
    );
  });

  it('reports corrupt gzip as an unparsed line, without throwing', () => {
    const gz = gzipSync(new TextEncoder().encode(`${SSH}\n`.repeat(50)));
    const broken = gz.slice(0, gz.length - 30);
    broken[20] = broken[20]! ^ 0xff;
    const r = stream([broken]);
    assert.ok(r.unparsed.some((u) => /gzip/.test(u.reason)));
  });

  it('parses JSON envelopes inside a text stream, and several JSON documents on one line', () => {
    const doc = (m: string) => `{"message":"${m}"}`;
    const { records, stats } = stream([`${SSH}\n${doc(RDP)}${doc(NODATA)}\n${SSH}\n`]);
    assert.deepEqual(
      records.map((r) => [r.line, r.envelope, r.offset]),
      [
        [1, 'plain', 0],
        [2, 'ndjson', 12],
        [2, 'ndjson', doc(RDP).length + 12],
        [3, 'plain', 0],
      ],
    );
    assert.equal(stats.envelopeLines, 0, 'the JSON line carries messages: it is not structure only');
    assert.equal(stats.messageLines, 1);
  });

  it('gives -1 as the offset of an escaped JSON message (not verbatim in the line)', () => {
    const { records } = parseText(`{"message":"${SSH.replace(/ /g, '\\u0020')}"}`);
    assert.equal(records[0]!.offset, -1);
    assert.equal(records[0]!.text, SSH);
  });

  it('reports JSON that is not an envelope, invalid JSON and unterminated JSON, and parses the lines after them', () => {
    const a = stream([`{"foo": 1}\n${SSH}\n`]);
    assert.deepEqual(
      a.unparsed.map((u) => [u.line, u.reason]),
      [[1, 'JSON that is not a flow-log envelope']],
    );
    assert.equal(a.records.length, 1);
    const b = stream([`{"message": oops}\n${SSH}\n`]);
    assert.equal(b.unparsed[0]!.line, 1);
    assert.match(b.unparsed[0]!.reason, /^invalid JSON/);
    assert.equal(b.records[0]!.line, 2);
    const c = stream([`{"events": [\n{"message": "${SSH}"},\n`]);
    assert.deepEqual(
      c.unparsed.map((u) => [u.line, u.reason]),
      [[1, 'unterminated JSON document']],
    );
    assert.deepEqual(
      c.records.map((r) => r.line),
      [2],
    );
  });

  it('gives up at once on a line that starts like JSON but is not (no buffering of the rest)', () => {
    const r = stream([`[2025-01-01T10:00:00Z] INFO service started\n${SSH}\n${RDP}\n`]);
    assert.deepEqual(
      r.unparsed.map((u) => [u.line, u.reason]),
      [[1, 'invalid JSON: a character JSON does not allow outside strings']],
    );
    assert.deepEqual(
      r.records.map((x) => x.line),
      [2, 3],
    );
    const m = stream(['{"events": [\n', `  {"message": "${SSH}"},\n`, 'oops\n', `${RDP}\n`]);
    // The document is read as a stream: the event on line 2 is emitted when its object closes. It breaks on
    // line 3, which is reported with the document's first line, then read again as a plain line (junk); line
    // 4 is a plain record.
    assert.deepEqual(
      m.unparsed.map((u) => u.line),
      [1, 3],
    );
    assert.deepEqual(
      m.records.map((x) => [x.line, x.envelope]),
      [
        [2, 'get-log-events'],
        [4, 'plain'],
      ],
    );
  });

  it('reads lines of { then junk in linear time, one count per line (no replay, no recursion)', () => {
    for (const open of ['{', '[']) {
      const text = `${open}\n`.repeat(20_000) + 'x\n';
      const t0 = Date.now();
      const r = stream([text]);
      assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
      assert.equal(r.stats.lines, 20_001);
      assert.equal(r.unparsed.length, 20_001);
      assert.ok(!r.unparsed.some((u) => /internal/.test(u.reason)));
      assert.deepEqual(
        r.unparsed.map((u) => u.line),
        Array.from({ length: 20_001 }, (_, i) => i + 1),
        'one report per line, in input order',
      );
    }
  });

  it('reports a deep array in a Firehose record or a log event on its line, without overflowing the stack', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const doc of [
      `{"records":[${deep}]}`,
      `{"messageType":"DATA_MESSAGE","logEvents":[${deep}]}`,
      `{"logEvents":[${deep}],"messageType":"DATA_MESSAGE"}`,
    ]) {
      const r = stream([doc]);
      assert.equal(r.stats.lines, 1);
      assert.deepEqual(
        r.unparsed.map((u) => [u.line, u.reason]),
        [
          [
            1,
            doc.startsWith('{"records"')
              ? 'Firehose record without a data string'
              : 'log event without a message string',
          ],
        ],
      );
    }
  });

  it('emits each event of a pretty-printed CLI output as soon as its object closes', () => {
    const events = Array.from({ length: 50 }, (_, i) => ({ logStreamName: 's', message: SSH, eventId: String(i) }));
    const text = JSON.stringify({ events, searchedLogStreams: [] }, null, 4);
    const lines = text.split('\n');
    const records: FlowRecord[] = [];
    const p = new FlowParser(
      { record: (r) => records.push(r), unparsed: (u) => assert.fail(u.reason) },
      { format: DEFAULT_V2.fields.join(' ') },
    );
    p.push(lines.slice(0, 40).join('\n') + '\n');
    assert.ok(records.length >= 5, `${records.length} records before the document ends`);
    p.push(lines.slice(40).join('\n'));
    const stats = p.end();
    addsUp(stats);
    assert.equal(records.length, 50);
    for (const rec of records) {
      assert.equal(rec.envelope, 'filter-log-events');
      assert.equal(lines[rec.line - 1]!.slice(rec.offset, rec.offset + rec.text.length), SSH);
    }
    assert.equal(stats.messageLines, 50);
    assert.equal(stats.envelopeLines, lines.length - 50);
  });

  it('streams a JSON line longer than the line limit instead of holding it', () => {
    const one = JSON.stringify({ events: Array.from({ length: 40 }, () => ({ message: SSH })) });
    for (const chunks of [one.match(/[^]{1,64}/g)!, [new TextEncoder().encode(`${one}\n${RDP}`)]]) {
      const r = stream(chunks, { maxLineLength: 200 });
      assert.equal(r.records.filter((x) => x.envelope === 'get-log-events').length, 40);
      assert.deepEqual(r.unparsed, []);
      assert.ok(r.records.every((x) => x.line === 1 || x.text === RDP));
    }
  });

  it('keeps the events of a truncated CLI output, and reads what follows it as plain lines', () => {
    const text = JSON.stringify({ events: [{ message: SSH }, { message: RDP }, { message: NODATA }] }, null, 2);
    const cut = text.slice(0, text.lastIndexOf('{'));
    const truncated = stream([cut]);
    assert.deepEqual(
      truncated.records.map((x) => x.envelope),
      ['get-log-events', 'get-log-events'],
    );
    assert.deepEqual(
      truncated.unparsed.map((u) => [u.line, u.reason]),
      [[1, 'unterminated JSON document']],
    );
    // A record line where the next event should be: the document breaks there, the line is read again.
    const r = stream([`${cut}\n${SSH}\n${RDP}\n`]);
    assert.deepEqual(
      r.records.map((x) => [x.envelope, x.text]),
      [
        ['get-log-events', SSH],
        ['get-log-events', RDP],
        ['plain', SSH],
        ['plain', RDP],
      ],
    );
    assert.ok(r.unparsed.some((u) => u.line === 1 && /^invalid JSON/.test(u.reason)));
  });

  it('counts a CloudWatch CONTROL_MESSAGE as a no-flow message, not an error', () => {
    const control = JSON.stringify({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [
        { id: '', timestamp: 1680683189085, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' },
      ],
    });
    const { records, unparsed, stats } = stream([control]);
    assert.equal(records.length, 0);
    assert.equal(unparsed.length, 0);
    assert.equal(stats.noFlowMessages, 1);
  });

  it('parseRecordLine parses one line with a given format', () => {
    const r = parseRecordLine(SSH, DEFAULT_V2, 7);
    assert.ok('spans' in r);
    assert.equal(r.line, 7);
    const bad = parseRecordLine('1 2 3', DEFAULT_V2, 8);
    assert.ok('reason' in bad);
    assert.equal(bad.reason, 'expected 14 fields, found 3');
  });

  it('resolves the format only after the sample, yet emits in input order', () => {
    const lines = Array.from({ length: 450 }, (_, i) => (i % 50 === 7 ? 'not a record' : SSH));
    const { order, stats } = stream([lines.join('\n')], { inferenceSample: 100 });
    assert.deepEqual(
      order,
      lines.map((l, i) => (l === SSH ? `r${i + 1}` : `u${i + 1}`)),
    );
    assert.equal(stats.formats.length, 1);
    assert.equal(stats.formats[0]!.records, 441);
  });

  it('keeps memory flat on plain text: only the current partial line is held between chunks', () => {
    // 200k lines streamed without keeping records: the parser's own buffers stay small.
    const p = new FlowParser({ record() {}, unparsed() {} });
    const chunk = `${SSH}\n`.repeat(1000);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++) p.push(chunk);
    const stats = p.end();
    assert.equal(stats.records, 200_000);
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${grown} bytes`);
  });

  it('joins a line that spans many chunks, and reports (without holding) a line over the length limit', () => {
    const parts = SSH.split(' ');
    const chunked = stream([...parts.map((p, i) => (i ? ' ' + p : p)), '\n', RDP]);
    assert.deepEqual(
      chunked.records.map((r) => r.text),
      [SSH, RDP],
    );
    const huge = 'x'.repeat(500);
    for (const input of [`${SSH}\n${huge}\n${RDP}\n`, `${SSH}\n${huge}`]) {
      const pieces = input.match(/[^]{1,7}/g)!;
      for (const chunks of [pieces, pieces.map((p) => new TextEncoder().encode(p))]) {
        const r = stream(chunks, { maxLineLength: 200 });
        assert.deepEqual(
          r.unparsed.map((u) => [u.line, u.reason, u.text.length]),
          [[2, 'line longer than 200 characters', 200]],
        );
        assert.deepEqual(
          r.records.map((x) => x.line),
          input.endsWith(huge) ? [1] : [1, 3],
        );
      }
    }
  });

  it('ignores pushes after end()', () => {
    const p = new FlowParser({ record() {}, unparsed() {} });
    p.push(SSH);
    const a = p.end();
    p.push(`\n${SSH}`);
    assert.deepEqual(p.end().records, a.records);
  });
});
