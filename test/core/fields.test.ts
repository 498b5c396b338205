// The field catalogue (src/core/fields.ts) is the one table of what a field is: every entry must carry a
// validator, an inference hint and a decoding that work on a real value, and the modules that validate, scan,
// infer and decode must know no field names of their own (a field AWS adds later is one entry plus its tests).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeValue } from '../../src/core/decode';
import { FIELD_LIST, fieldDef, fieldIndexes, TWIN_GROUPS } from '../../src/core/fields';
import { DEFAULT_V2, DEFAULT_V2_FIELDS, TGW_DEFAULT } from '../../src/core/format';
import { fieldFit } from '../../src/core/infer';
import { FLOW_FIELDS, isStrictField, validateFieldValue, validatorOf } from '../../src/core/validate';
import { V, VALIDATORS } from '../../src/core/validators';
import { EXAMPLE } from './fieldExamples';

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

  it('gives the positions of fields in a format by the names the catalogue knows', () => {
    const names = { action: 'action', az: 'az-id', src: 'srcaddr' };
    const at = fieldIndexes(DEFAULT_V2, names);
    assert.deepEqual(at, { action: 12, az: -1, src: 3 });
    assert.equal(fieldIndexes(DEFAULT_V2, names), at, 'remembered');
    assert.deepEqual(fieldIndexes(TGW_DEFAULT, names), {
      action: -1,
      az: -1,
      src: TGW_DEFAULT.fields.indexOf('srcaddr'),
    });
    assert.throws(() => fieldIndexes(DEFAULT_V2, { x: 'dst-port' }), /not a catalogue field: dst-port/);
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
