// Envelope helpers: base64, gzip, ISO prefixes, JSON document boundaries, and unwrapping every shape.
import { strict as assert } from 'node:assert';
import { gzipSync, strToU8 } from 'fflate';
import {
  decodeBase64,
  gunzipBytes,
  isoPrefixLength,
  JsonDocScanner,
  splitJsonDocuments,
} from '../../src/core/envelope';
import { parseText } from '../../src/core/parser';
import { fieldValue } from '../../src/core/record';

const SSH =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('envelope helpers', () => {
  it('decodes base64 (standard, URL-safe, with whitespace) and rejects what is not', () => {
    assert.equal(new TextDecoder().decode(decodeBase64('aGVsbG8gd29ybGQ=')), 'hello world');
    assert.equal(new TextDecoder().decode(decodeBase64('aGVs\nbG8')), 'hello');
    assert.deepEqual(Array.from(decodeBase64('-_8')!), [251, 255]);
    assert.equal(decodeBase64('not base64!'), undefined);
    assert.equal(decodeBase64('a'), undefined);
  });

  it('gunzips single and multi-member data and rejects corrupt data', () => {
    const two = new Uint8Array([...gzipSync(strToU8('a\n')), ...gzipSync(strToU8('b\n'))]);
    assert.equal(new TextDecoder().decode(gunzipBytes(two)), 'a\nb\n');
    assert.equal(gunzipBytes(new Uint8Array([0x1f, 0x8b, 1, 2, 3])), undefined);
  });

  it('measures an ISO-8601 timestamp prefix', () => {
    assert.equal(isoPrefixLength(`2025-02-25T12:25:04.000Z ${SSH}`), 25);
    assert.equal(isoPrefixLength(`2025-02-25T12:25:04+01:00\t${SSH}`), 26);
    assert.equal(isoPrefixLength(SSH), 0);
    assert.equal(isoPrefixLength('2025-02-25T12:25:04.000Z'), 0, 'a timestamp alone is not a record');
  });

  it('finds where JSON documents end, strings and escapes included', () => {
    const s = new JsonDocScanner();
    assert.equal(s.feed('{"a": "}\\"{", "b": [1, {'), -1);
    assert.equal(s.feed('}]}  '), 3);
    assert.deepEqual(splitJsonDocuments('{"a":1}{"b":[2]}\n{"c":3} tail'), {
      docs: ['{"a":1}', '{"b":[2]}', '{"c":3}'],
      junk: 'tail',
    });
  });
});

describe('unwrapping envelopes (streamed)', () => {
  it('reports JSON that is not an envelope on every line', () => {
    for (const text of ['{"foo": 1}', '[1, 2]', '{\n  "foo": [\n    1\n  ]\n}', '[]', '{"events": [{"foo": 1}]}']) {
      const r = parseText(text);
      const n = text.split('\n').length;
      assert.deepEqual(
        r.unparsed.map((u) => [u.line, u.reason]),
        Array.from({ length: n }, (_, i) => [i + 1, 'JSON that is not a flow-log envelope']),
        text,
      );
    }
  });

  it('unwraps a bare array of log events (aws logs ... --query events)', () => {
    const text = JSON.stringify([{ timestamp: 1, message: SSH }], null, 2);
    const r = parseText(text);
    assert.deepEqual(
      r.records.map((x) => [x.envelope, x.line]),
      [['get-log-events', 4]],
    );
  });

  it('unwraps a subscription payload whose keys come in any order (logEvents before messageType)', () => {
    const events = [{ id: '1', timestamp: 1, message: SSH }];
    for (const messageType of ['DATA_MESSAGE', 'CONTROL_MESSAGE']) {
      const sorted = JSON.stringify({ logEvents: events, logGroup: 'g', messageType, owner: '1' }, null, 2);
      const r = parseText(sorted);
      assert.equal(r.records.length, messageType === 'DATA_MESSAGE' ? 1 : 0);
      assert.equal(r.stats.noFlowMessages, messageType === 'DATA_MESSAGE' ? 0 : 1);
      assert.deepEqual(r.unparsed, []);
    }
  });

  it('unwraps a Lambda awslogs event (base64 gzip subscription payload)', () => {
    const payload = { messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', timestamp: 1, message: SSH }] };
    const event = { awslogs: { data: b64(gzipSync(strToU8(JSON.stringify(payload)))) } };
    const r = parseText(JSON.stringify(event));
    assert.equal(r.records.length, 1);
    assert.equal(r.records[0]!.envelope, 'cwl-subscription');
    assert.equal(r.records[0]!.offset, -1);
  });

  it('unwraps Firehose records holding plain lines, concatenated CloudWatch payloads, and reports bad records', () => {
    const plain = b64(strToU8(`${SSH}\n${SSH}\n`));
    const cwl = JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ message: SSH }] });
    const concatenated = b64(gzipSync(strToU8(cwl + cwl)));
    const body = JSON.stringify(
      { requestId: 'x', records: [{ data: plain }, { data: concatenated }, { data: '%%%' }, { nodata: 1 }] },
      null,
      2,
    );
    const r = parseText(body);
    assert.equal(r.records.length, 4);
    assert.ok(r.records.every((x) => x.envelope === 'firehose'));
    assert.deepEqual(
      r.unparsed.map((u) => u.reason),
      ['Firehose record data is not base64', 'Firehose record without a data string'],
    );
    assert.equal(
      r.stats.lines + r.stats.envelopeMessages,
      r.stats.envelopeLines + r.stats.messageLines + r.stats.records + r.stats.unparsed,
    );
  });

  it('points each message of a pretty-printed filter-log-events output at its own line and column', () => {
    const text = JSON.stringify(
      {
        events: [
          { logStreamName: 's', message: SSH, eventId: '1' },
          { logStreamName: 's', message: SSH, eventId: '2' },
        ],
      },
      null,
      4,
    );
    const r = parseText(text);
    const lines = text.split('\n');
    assert.equal(r.records.length, 2);
    for (const rec of r.records) {
      assert.equal(rec.envelope, 'filter-log-events');
      assert.equal(lines[rec.line - 1]!.slice(rec.offset, rec.offset + rec.text.length), SSH);
      assert.equal(fieldValue(rec, 'dstport'), '22');
    }
    assert.notEqual(r.records[0]!.line, r.records[1]!.line);
  });
});
