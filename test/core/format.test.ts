// Field catalogue and formats: the well-known layouts and user format strings.
import { strict as assert } from 'node:assert';
import { closestFieldName, fieldDef, FIELD_LIST, FIELDS } from '../../src/core/fields';
import { ALPHABETICAL_29, DEFAULT_V2, formatString, parseFormat, TGW_DEFAULT } from '../../src/core/format';

describe('fields', () => {
  it('holds every VPC field of versions 2 to 11 and the Transit Gateway set, each described', () => {
    const byVersion = (v: number) =>
      FIELD_LIST.filter((d) => d.version === v && d.family !== 'tgw')
        .map((d) => d.name)
        .sort();
    assert.deepEqual(byVersion(2), [
      'account-id', 'action', 'bytes', 'dstaddr', 'dstport', 'end', 'interface-id', 'log-status', 'packets', 'protocol', 'srcaddr', 'srcport', 'start', 'version',
    ]); // prettier-ignore
    assert.deepEqual(byVersion(3), [
      'instance-id',
      'pkt-dstaddr',
      'pkt-srcaddr',
      'subnet-id',
      'tcp-flags',
      'type',
      'vpc-id',
    ]);
    assert.deepEqual(byVersion(4), ['az-id', 'region', 'sublocation-id', 'sublocation-type']);
    assert.deepEqual(byVersion(5), ['flow-direction', 'pkt-dst-aws-service', 'pkt-src-aws-service', 'traffic-path']);
    assert.equal(byVersion(7).length, 10);
    assert.deepEqual(byVersion(8), ['reject-reason']);
    assert.deepEqual(byVersion(9), ['resource-id']);
    assert.deepEqual(byVersion(10), ['encryption-status']);
    for (const n of [
      'interface-type',
      'next-hop-interface-id',
      'next-hop-subnet-id',
      'next-hop-az-id',
      'next-hop-vpc-id',
      'next-hop-interface-type',
      'instance-tag',
      'interface-tag',
      'asg-tag',
    ])
      assert.equal(fieldDef(n)?.version, 11, n);
    for (const n of TGW_DEFAULT.fields) assert.ok(FIELDS.has(n), n);
    for (const d of FIELD_LIST) {
      assert.ok(d.description.length > 10 && !d.description.includes('\n'), d.name);
      assert.ok(d.domain.length > 0, d.name);
    }
    assert.equal(fieldDef('tgw-id')?.family, 'tgw');
    assert.equal(fieldDef('srcaddr')?.family, 'both');
    assert.equal(fieldDef('nope'), undefined);
  });

  it('suggests the closest field name', () => {
    assert.equal(closestFieldName('dst-port'), 'dstport');
    assert.equal(closestFieldName('srcadr'), 'srcaddr');
    assert.equal(closestFieldName('logstatus'), 'log-status');
    assert.equal(closestFieldName('instanceid'), 'instance-id');
  });
});

describe('formats', () => {
  it('has the default v2, the 29-field alphabetical and the 36-field Transit Gateway layouts', () => {
    assert.equal(DEFAULT_V2.fields.length, 14);
    assert.equal(DEFAULT_V2.source, 'default');
    assert.equal(DEFAULT_V2.index.get('dstport'), 6);
    assert.equal(ALPHABETICAL_29.fields.length, 29);
    assert.equal(ALPHABETICAL_29.source, 'alphabetical');
    assert.deepEqual(ALPHABETICAL_29.fields.slice(0, 4), ['account-id', 'action', 'az-id', 'bytes']);
    assert.equal(ALPHABETICAL_29.fields[28], 'vpc-id');
    assert.equal(TGW_DEFAULT.fields.length, 36);
    assert.equal(TGW_DEFAULT.fields[1], 'resource-type');
  });

  it('parses ${...} strings, plain names, commas, underscores and keywords', () => {
    const a = parseFormat('${version} ${vpc-id} ${srcaddr}');
    assert.ok(a.ok);
    assert.deepEqual(a.format.fields, ['version', 'vpc-id', 'srcaddr']);
    assert.equal(a.format.source, 'user');
    assert.equal(a.format.confidence, 1);
    const b = parseFormat('version,vpc_id  srcaddr');
    assert.ok(b.ok);
    assert.deepEqual(b.format.fields, ['version', 'vpc-id', 'srcaddr']);
    const c = parseFormat('${version}${srcaddr}');
    assert.ok(c.ok);
    assert.deepEqual(c.format.fields, ['version', 'srcaddr']);
    const d = parseFormat(['tgw-id', 'srcaddr']);
    assert.ok(d.ok);
    assert.deepEqual(d.format.fields, ['tgw-id', 'srcaddr']);
    for (const [k, n] of [
      ['default', 14],
      ['alphabetical', 29],
      ['tgw', 36],
    ] as const) {
      const r = parseFormat(k);
      assert.ok(r.ok, k);
      assert.equal(r.format.fields.length, n);
      assert.equal(r.format.source, 'user');
    }
  });

  it('rejects unknown names with the closest known name, duplicates and empty formats', () => {
    assert.deepEqual(parseFormat('${version} ${dst-port}'), {
      ok: false,
      error: "unknown field '${dst-port}' (did you mean 'dstport'?)",
    });
    assert.deepEqual(parseFormat('version version'), { ok: false, error: "field 'version' appears twice" });
    assert.deepEqual(parseFormat('   '), { ok: false, error: 'the format names no fields' });
  });

  it('prints a format as an AWS --log-format string', () => {
    const r = parseFormat('version srcaddr');
    assert.ok(r.ok);
    assert.equal(formatString(r.format), '${version} ${srcaddr}');
  });
});
