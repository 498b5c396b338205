// The field catalogue (src/core/fields.ts) is the one table of what a field is: every entry must carry a
// validator, an inference hint and a decoding that work on a real value, and the modules that validate, scan,
// infer and decode must know no field names of their own (a field AWS adds later is one entry plus its tests).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeValue } from '../../src/core/decode';
import { FIELD_LIST, fieldDef, TWIN_GROUPS } from '../../src/core/fields';
import { DEFAULT_V2_FIELDS } from '../../src/core/format';
import { fieldFit } from '../../src/core/infer';
import { FLOW_FIELDS, isStrictField, validateFieldValue, validatorOf } from '../../src/core/validate';
import { V, VALIDATORS } from '../../src/core/validators';

/** A real value of every field (a new catalogue entry needs one here: the tests below then cover it). */
const EXAMPLE: Record<string, string> = {
  version: '5',
  'account-id': '123456789010',
  'interface-id': 'eni-1235b8ca123456789',
  srcaddr: '172.31.16.139',
  dstaddr: '2001:db8::1',
  srcport: '20641',
  dstport: '443',
  protocol: '6',
  packets: '20',
  bytes: '4249',
  start: '1418530010',
  end: '1418530070',
  action: 'ACCEPT',
  'log-status': 'OK',
  'vpc-id': 'vpc-0a1b2c3d',
  'subnet-id': 'subnet-0a1b2c3d',
  'instance-id': 'i-0123456789abcdef0',
  'tcp-flags': '18',
  type: 'IPv4',
  'pkt-srcaddr': '10.0.0.5',
  'pkt-dstaddr': '52.95.1.2',
  region: 'us-east-1',
  'az-id': 'use1-az5',
  'sublocation-type': 'outpost',
  'sublocation-id': 'op-0123456789abcdef0',
  'pkt-src-aws-service': 'S3',
  'pkt-dst-aws-service': 'DYNAMODB',
  'flow-direction': 'ingress',
  'traffic-path': '2',
  'ecs-cluster-arn': 'arn:aws:ecs:us-east-1:123456789012:cluster/web',
  'ecs-cluster-name': 'web',
  'ecs-container-instance-arn':
    'arn:aws:ecs:us-east-1:123456789012:container-instance/web/0123456789abcdef0123456789abcdef',
  'ecs-container-instance-id': '0123456789abcdef0123456789abcdef',
  'ecs-container-id': '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'ecs-second-container-id': 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
  'ecs-service-name': 'frontend',
  'ecs-task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
  'ecs-task-arn': 'arn:aws:ecs:us-east-1:123456789012:task/web/0123456789abcdef0123456789abcdef',
  'ecs-task-id': 'fedcba9876543210fedcba9876543210',
  'reject-reason': 'BPA',
  'resource-id': 'nat-0123456789abcdef0',
  'encryption-status': '1',
  'instance-tag': 'web-server',
  'instance-tag-2': 'team-a',
  'interface-tag': 'frontend',
  'interface-tag-2': 'blue',
  'asg-tag': 'web-asg',
  'asg-tag-2': 'canary',
  'interface-type': 'interface',
  'next-hop-interface-id': 'eni-0fedcba987654321',
  'next-hop-subnet-id': 'subnet-0fedcba9',
  'next-hop-az-id': 'use1-az2',
  'next-hop-vpc-id': 'vpc-0fedcba9',
  'next-hop-interface-type': 'regional_nat_gateway',
  'resource-type': 'TransitGatewayAttachment',
  'tgw-id': 'tgw-0123456789abcdef0',
  'tgw-attachment-id': 'tgw-attach-0123456789abcdef0',
  'tgw-src-vpc-account-id': '123456789010',
  'tgw-dst-vpc-account-id': '210987654321',
  'tgw-src-vpc-id': 'vpc-0a1b2c3d',
  'tgw-dst-vpc-id': 'vpc-0d3c2b1a',
  'tgw-src-subnet-id': 'subnet-0a1b2c3d',
  'tgw-dst-subnet-id': 'subnet-0d3c2b1a',
  'tgw-src-eni': 'eni-0a1b2c3d4e5f',
  'tgw-dst-eni': 'eni-0f5e4d3c2b1a',
  'tgw-src-az-id': 'use1-az1',
  'tgw-dst-az-id': 'use1-az2',
  'tgw-pair-attachment-id': 'tgw-attach-0fedcba987654321',
  'packets-lost-no-route': '0',
  'packets-lost-blackhole': '3',
  'packets-lost-mtu-exceeded': '1',
  'packets-lost-ttl-expired': '0',
};

describe('field catalogue', () => {
  it('has a real example value for every entry (and none for names it lacks)', () => {
    assert.deepEqual(Object.keys(EXAMPLE).sort(), FIELD_LIST.map((d) => d.name).sort());
  });

  for (const d of FIELD_LIST) {
    it(`${d.name}: its validator, inference hint and decoding work on a real value`, () => {
      const value = EXAMPLE[d.name]!;
      assert.ok(VALIDATORS[d.check], 'a declared validator');
      assert.equal(validatorOf(d.name), d.check);
      assert.equal(validateFieldValue(d.name, value), undefined, 'the example passes the validator');
      const fit = fieldFit(d.name, [value, value, value]);
      assert.ok(fit !== undefined && fit > 0, `inference recognises ${value} (fit ${fit})`);
      const text = describeValue(d.name, value);
      assert.ok(text.length > 0 && !text.startsWith('unknown field'), text);
      if (d.decode.by === 'description') assert.equal(text, d.description);
      else assert.notEqual(text, d.description, 'a decoding says something about the value');
      assert.equal(describeValue(d.name, '-'), 'absent: not applicable or not computed for this record');
      if (d.infer.by === 'words') assert.ok(d.words.includes(value) && d.words.length > 1, 'words to recognise');
      if (d.decode.by === 'meanings')
        for (const w of Object.keys(d.decode.meanings)) assert.ok(d.words.includes(w), `meaning of a word: ${w}`);
    });
  }

  it('says which fields are flow fields: a bad value of one makes the line unparsed', () => {
    assert.deepEqual(
      [...FLOW_FIELDS].sort(),
      DEFAULT_V2_FIELDS.filter((f) => !['version', 'account-id', 'interface-id'].includes(f)).sort(),
    );
    for (const f of FLOW_FIELDS) {
      assert.ok(isStrictField(f));
      assert.notEqual(validatorOf(f), V.Any, `${f} has a check`);
    }
    assert.ok(!isStrictField('vpc-id') && !isStrictField('no-such-field'));
    assert.equal(validatorOf('no-such-field'), V.Any);
  });

  it("gives every field a kind that agrees with its validator's shape", () => {
    const shapes: Record<string, readonly string[]> = {
      int: ['digits'],
      long: ['digits'],
      port: ['digits'],
      protocol: ['digits'],
      epoch: ['digits'],
      account: ['digits'],
      ip: ['ip'],
      id: ['prefix', 'any'],
      arn: ['prefix'],
      enum: ['words', 'any'],
      region: ['regionCode'],
      az: ['az'],
      text: ['any'],
    };
    for (const d of FIELD_LIST) {
      const shape = VALIDATORS[d.check]!.shape;
      assert.ok(shapes[d.kind]!.includes(shape), `${d.name}: kind ${d.kind}, validator shape ${shape}`);
      if (d.kind === 'enum') assert.ok(d.words.length > 0 || d.domain.includes('open list'), `${d.name}: words`);
    }
  });

  it('groups the fields values cannot tell apart, each field in one group at most', () => {
    const seen = new Set<string>();
    for (const g of TWIN_GROUPS) {
      assert.ok(g.fields.length >= 2);
      for (const f of g.fields) {
        assert.ok(fieldDef(f), `${f} is a catalogue field`);
        assert.ok(!seen.has(f), `${f} in two groups`);
        seen.add(f);
      }
      if (g.tell?.by === 'servicePort') {
        assert.ok(fieldDef(g.tell.flags) && fieldDef(g.tell.action));
        assert.ok(fieldDef(g.tell.action)!.words.includes(g.tell.reject));
      }
    }
  });

  it('is the only place that names fields: validation, scanning, inference and decoding read it', () => {
    const names = new Set(FIELD_LIST.map((d) => d.name));
    for (const file of ['validate.ts', 'validators.ts', 'record.ts', 'infer.ts', 'decode.ts', 'wasmScan.ts']) {
      const src = readFileSync(join(__dirname, '../../src/core', file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const literals = [...src.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
      const named = literals.filter((s) => names.has(s));
      assert.deepEqual(named, [], `${file} names catalogue fields`);
    }
  });
});
