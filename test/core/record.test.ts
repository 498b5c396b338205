// Record helpers used by hovers and labels: values, spans in line coordinates, field under a column.
import { strict as assert } from 'node:assert';
import { DEFAULT_V2 } from '../../src/core/format';
import { parseText } from '../../src/core/parser';
import {
  epochSeconds,
  fieldAt,
  fieldNumber,
  fieldRaw,
  fieldValue,
  isRecord,
  parseRecordLine,
  recordFields,
} from '../../src/core/record';
import { validateFieldValue } from '../../src/core/validate';

const SSH =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

describe('record helpers', () => {
  it('gives spans in line coordinates, also inside a JSON line', () => {
    const line = `{"timestamp": 1, "message": "${SSH}"}`;
    const { records } = parseText(line);
    const r = records[0]!;
    const fields = recordFields(r);
    const dst = fields.find((f) => f.name === 'dstaddr')!;
    assert.equal(line.slice(dst.start, dst.end), '172.31.16.21');
    const col = line.indexOf('20641') + 2;
    assert.equal(fieldAt(r, col)?.name, 'srcport');
    assert.equal(fieldAt(r, 0), undefined, 'the JSON key is not a field');
  });

  it('has no line coordinates for a decoded (base64) record', () => {
    const data = Buffer.from(`{"message":"${SSH}"}\n`).toString('base64');
    const { records } = parseText(JSON.stringify({ records: [{ data }] }));
    const r = records[0]!;
    assert.equal(r.offset, -1);
    assert.ok(recordFields(r).every((f) => f.start === -1 && f.end === -1));
    assert.equal(fieldAt(r, 5), undefined);
    assert.equal(fieldValue(r, 'srcaddr'), '172.31.16.139');
  });

  it('reads values, numbers and times', () => {
    const r = parseRecordLine(SSH.replace('1418530070', '1418530070000'), DEFAULT_V2, 1);
    assert.ok(isRecord(r));
    assert.equal(fieldRaw(r, 12), 'ACCEPT');
    assert.equal(fieldRaw(r, 99), '');
    assert.equal(fieldNumber(r, 'bytes'), 4249);
    assert.equal(fieldNumber(r, 'action'), undefined);
    assert.equal(epochSeconds(fieldValue(r, 'end')), 1418530070);
    assert.equal(epochSeconds(fieldValue(r, 'start')), 1418530010);
    assert.equal(epochSeconds(undefined), undefined);
    assert.ok(!isRecord(parseRecordLine('x', DEFAULT_V2, 2)));
  });

  it('validates single values with the reason a user sees', () => {
    assert.equal(validateFieldValue('dstport', '22'), undefined);
    assert.equal(validateFieldValue('dstport', '-'), undefined);
    assert.equal(validateFieldValue('dstport', '70000'), "field dstport: '70000' is not a port");
    assert.equal(validateFieldValue('account-id', 'unknown'), undefined);
    assert.equal(validateFieldValue('srcaddr', '2001:db8::1'), undefined);
    assert.equal(
      validateFieldValue('srcaddr', '2001:db8::1::2'),
      "field srcaddr: '2001:db8::1::2' is not an IP address",
    );
    assert.equal(validateFieldValue('az-id', 'use1-az1'), undefined);
    assert.equal(validateFieldValue('region', 'US-EAST-1'), "field region: 'US-EAST-1' is not a Region name");
    assert.equal(validateFieldValue('ecs-service-name', 'anything-goes'), undefined);
  });
});
