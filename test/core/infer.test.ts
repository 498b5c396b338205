// Format resolution without a header: known layouts by value shape (not token count alone), then inference.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assign, inferFormat, resolveFormat } from '../../src/core/infer';
import { TGW_DEFAULT } from '../../src/core/format';
import { parseText } from '../../src/core/parser';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('resolveFormat', () => {
  it('recognises the default v2 and alphabetical layouts by their values', () => {
    const d = resolveFormat(fixture('aws-examples-default.log'));
    assert.equal(d.source, 'default');
    assert.ok(d.confidence > 0.85 && d.confidence < 1);
    const a = resolveFormat(fixture('logzilla-format2.log'));
    assert.equal(a.source, 'alphabetical');
    assert.ok(a.notes.some((n) => /1 line only/.test(n)));
  });

  it('does not take 14 tokens for the default format when the values do not fit it', () => {
    // 14 fields of a custom layout (the tcp-flags example minus 7 fields): same count as v2, other shapes.
    const lines = fixture('custom-v3-tcp-flags.log')
      .slice(1)
      .map((l) => l.trim().split(/\s+/).slice(0, 14).join(' '));
    const f = resolveFormat(lines);
    assert.equal(f.source, 'inferred');
    assert.deepEqual(f.fields.slice(0, 7), [
      'version',
      'vpc-id',
      'subnet-id',
      'instance-id',
      'interface-id',
      'account-id',
      'type',
    ]);
  });

  it("recognises header-less records in the layouts of AWS's examples as those layouts, not by guessing", () => {
    for (const [name, label] of [
      ['custom-v3-tcp-flags.log', 'AWS example: TCP flag sequence (21 fields)'],
      ['custom-v5-service-path.log', 'AWS example: service name, traffic path and flow direction (29 fields)'],
      ['custom-nat-gateway-no-version.log', 'AWS example: NAT gateway (6 fields)'],
      ['custom-v3-transit-gateway-path.log', 'AWS example: traffic through a transit gateway (17 fields)'],
    ] as const) {
      const [header, ...records] = fixture(name);
      const f = resolveFormat(records);
      assert.equal(f.label, label, name);
      assert.deepEqual(f.fields, header!.split(' '), name);
      assert.equal(f.ambiguous, false, name);
      // One record is enough when the values fit the documented layout.
      assert.deepEqual(resolveFormat(records.slice(-1)).fields, header!.split(' '), `${name}, last record alone`);
    }
  });

  it('recovers other header-less custom layouts, and says what it could not decide', () => {
    // The tcp-flags example without its last column: no documented layout, so inference decides.
    const [header, ...records] = fixture('custom-v3-tcp-flags.log');
    const f = resolveFormat(records.map((l) => l.trim().split(/\s+/).slice(0, -1).join(' ')));
    assert.equal(f.source, 'inferred');
    assert.deepEqual(f.fields, header!.split(' ').slice(0, -1));
    // Its addresses cannot be ordered by value: reported, not guessed silently.
    assert.equal(f.ambiguous, true);
    assert.ok(f.notes.some((n) => n.startsWith('srcaddr/dstaddr')));
  });

  it('orders start/end, packets/bytes and (given SYN packets) srcport/dstport by their semantics', () => {
    const [, ...records] = fixture('custom-v3-tcp-flags.log');
    const f = resolveFormat(records.map((l) => l.trim().split(/\s+/).slice(0, -1).join(' ')));
    assert.ok(f.notes.includes('start/end told apart by start <= end (columns 17 and 18)'));
    assert.ok(f.notes.includes('packets/bytes told apart by packets <= bytes (columns 15 and 16)'));
    assert.ok(f.notes.some((n) => n.startsWith('srcport/dstport told apart by SYN packets')));
  });

  it('orders srcport/dstport by REJECT records (no reply: ephemeral port to service port) when there is no SYN', () => {
    const lines = [
      'eni-0a1b2c3d4e5f60718 REJECT 22 51234',
      'eni-0a1b2c3d4e5f60718 REJECT 3389 40000',
      'eni-0a1b2c3d4e5f60718 REJECT 23 61000',
      'eni-0a1b2c3d4e5f60718 ACCEPT 49152 443',
    ];
    const f = resolveFormat(lines);
    assert.deepEqual(f.fields, ['interface-id', 'action', 'dstport', 'srcport']);
    assert.equal(f.ambiguous, false);
    assert.ok(f.notes.some((n) => n.startsWith('srcport/dstport told apart by REJECT records (3 of 3)')));
    // Without agreement it stays ambiguous.
    const mixed = resolveFormat([...lines, 'eni-0a1b2c3d4e5f60718 REJECT 51000 22']);
    assert.equal(mixed.ambiguous, true);
  });

  it('falls back to the default format with a low confidence when nothing fits', () => {
    const f = resolveFormat(fixture('nginx-access.log'));
    assert.equal(f.source, 'default');
    assert.ok(f.confidence <= 0.1);
    assert.ok(f.notes[0]!.includes('no sample line fits'));
    const r = parseText('just some prose here\nand another line of it\n');
    assert.equal(r.records.length, 0);
    assert.equal(r.unparsed.length, 2);
  });

  it('marks a column that is always "-" as undecidable', () => {
    const lines = [
      'ACCEPT - eni-0a1b2c3d4e5f60718 OK',
      'REJECT - eni-0a1b2c3d4e5f60718 OK',
      'ACCEPT - eni-0a1b2c3d4e5f60719 OK',
    ];
    const r = inferFormat(lines);
    assert.ok(r);
    assert.equal(r.format.ambiguous, true);
    assert.deepEqual(
      [r.format.fields[0], r.format.fields[2], r.format.fields[3]],
      ['action', 'interface-id', 'log-status'],
    );
    assert.ok(r.format.notes.some((n) => n.startsWith("column 2 is '-' in every sample line")));
  });

  it('recognises the 36-field Transit Gateway default layout without a header', () => {
    const [header, record] = fixture('tgw-flow-log-v6.log');
    const values = new Map(header!.split(' ').map((n, i) => [n, record!.split(' ')[i]!]));
    values.set('resource-type', 'TransitGateway');
    const line = TGW_DEFAULT.fields.map((n) => values.get(n) ?? '-').join(' ');
    const { records } = parseText(`${line}\n${line}\n`);
    assert.equal(records.length, 2);
    assert.equal(records[0]!.format.source, 'default');
    assert.equal(records[0]!.format.label, 'Transit Gateway default (36 fields)');
  });

  it('prefers the Transit Gateway field set when tgw- ids are present', () => {
    const [header, record] = fixture('tgw-flow-log-v6.log');
    const f = resolveFormat([record!]);
    const truth = header!.split(' ');
    for (const n of [
      'version',
      'account-id',
      'tgw-id',
      'tgw-attachment-id',
      'tgw-src-vpc-id',
      'tgw-dst-vpc-id',
      'srcaddr',
      'log-status',
      'type',
      'region',
    ])
      assert.equal(f.fields.indexOf(n), truth.indexOf(n), n);
    assert.ok(!f.fields.includes('vpc-id'));
  });
});

describe('assign (Hungarian algorithm)', () => {
  it('finds the minimum-cost assignment', () => {
    assert.deepEqual(
      assign([
        [4, 1, 3],
        [2, 0, 5],
        [3, 2, 2],
      ]),
      [1, 0, 2],
    );
    assert.deepEqual(assign([[5, 1, 9]]), [1]);
    assert.deepEqual(assign([]), []);
  });
});
