// The one record scanner (scanUnits in record.ts) through its three entry points: strings (scanRecord), ASCII
// bytes (scanRecordBytes) and bytes with values (scanRecordValues) must give the same verdict, reason and spans,
// and the verdict must be the one a plain reading of the rules gives: split on blanks, count, then check each
// value with its field's validator (a bad flow field rejects the line, a bad metadata value flags it).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { fieldDef } from '../../src/core/fields';
import { ALPHABETICAL_29, DEFAULT_V2, makeFormat, TGW_DEFAULT } from '../../src/core/format';
import { FLAGGED, scanRecord, scanRecordBytes, scanRecordValues } from '../../src/core/record';
import type { FlowFormat } from '../../src/core/types';
import { compileFormat, validateFieldValue } from '../../src/core/validate';
import { EXAMPLE } from './fieldExamples';

/** The verdict by the plain reading of the rules. */
function reference(text: string, format: FlowFormat): string | undefined {
  const tokens = text.split(/[ \t]+/).filter((t) => t !== '');
  const n = format.fields.length;
  if (tokens.length !== n) return `expected ${n} field${n === 1 ? '' : 's'}, found ${tokens.length}`;
  let flagged = false;
  for (let k = 0; k < n; k++) {
    const reason = validateFieldValue(format.fields[k]!, tokens[k]!);
    if (reason === undefined) continue;
    if (fieldDef(format.fields[k]!)!.flow) return reason;
    flagged = true;
  }
  return flagged ? FLAGGED : undefined;
}

const EDGE = [
  '-',
  '',
  '0',
  '007',
  '65536',
  '256',
  '99999999999999999999',
  '123456789012345678901',
  '1.2.3.4.5',
  '::1',
  '2001:db8:::1',
  'ACCEPTED',
  'unknown',
  'eni-',
  'tgw-attach-1',
  'use1-az1',
  'US-EAST-1',
  'arn:',
  'x\u0001y',
  'é',
  'eni-日本',
  'ACCEPT日',
  '1😀',
  '10.0.0.1é',
];

function lines(format: FlowFormat, ascii: boolean): fc.Arbitrary<string> {
  const edge = fc.constantFrom(...EDGE.filter((e) => !ascii || [...e].every((ch) => ch.charCodeAt(0) < 128)));
  const token = (f: string): fc.Arbitrary<string> =>
    fc.oneof({ weight: 12, arbitrary: fc.constant(EXAMPLE[f]!) }, { weight: 1, arbitrary: edge });
  const sep = fc.constantFrom(' ', ' ', '  ', '\t', ' \t ');
  return fc
    .tuple(
      fc.tuple(...format.fields.map(token)),
      fc.array(sep, { minLength: format.fields.length + 2, maxLength: format.fields.length + 2 }),
      fc.constantFrom('same', 'same', 'same', 'same', 'more', 'fewer', 'padded'),
    )
    .map(([ts, seps, shape]) => {
      const t = ts.filter((x) => x !== '');
      if (shape === 'more') t.push('extra');
      if (shape === 'fewer') t.pop();
      const body = t.map((x, k) => (k === 0 ? x : `${seps[k]!}${x}`)).join('');
      return shape === 'padded' ? `${seps[0]!}${body}${seps[seps.length - 1]!}` : body;
    });
}

const FORMATS: [string, FlowFormat][] = [
  ['default', DEFAULT_V2],
  ['alphabetical', ALPHABETICAL_29],
  ['Transit Gateway', TGW_DEFAULT],
  ['custom', makeFormat(['vpc-id', 'dstaddr', 'region', 'bytes', 'account-id', 'type', 'start'], { source: 'user' })],
];

describe('record scanner', () => {
  for (const [name, format] of FORMATS) {
    const cf = compileFormat(format);
    it(`reads strings as the rules say, whatever the characters (${name} format)`, () => {
      fc.assert(
        fc.property(lines(format, false), (text) => {
          const spans = new Int32Array(2 * cf.n);
          assert.equal(scanRecord(text, cf, format.fields, spans), reference(text, format), JSON.stringify(text));
        }),
        { numRuns: 400 },
      );
    });

    it(`gives the same verdict, reason and spans for a string and its bytes (${name} format)`, () => {
      const enc = new TextEncoder();
      fc.assert(
        fc.property(lines(format, true), fc.nat(5), (text, pad) => {
          const sSpans = new Int32Array(2 * cf.n);
          const fromText = scanRecord(text, cf, format.fields, sSpans);
          // The line inside a chunk, `pad` bytes in, followed by its LF.
          const u8 = enc.encode(`${'#'.repeat(pad)}\n${text}\nnext`);
          const a = pad + 1;
          const b = a + text.length;
          const bSpans = new Int32Array(2 * cf.n + 4);
          assert.equal(scanRecordBytes(u8, a, b, cf, format.fields, bSpans, 4, text), fromText);
          const vSpans = new Int32Array(2 * cf.n);
          const vals = new Float64Array(cf.n);
          assert.equal(scanRecordValues(u8, a, b, cf, format.fields, vSpans, vals), fromText);
          if (fromText === undefined || fromText === FLAGGED) {
            assert.deepEqual(Array.from(bSpans.subarray(4)), Array.from(sSpans));
            assert.deepEqual(
              Array.from(vSpans),
              Array.from(sSpans, (x) => x + a),
            );
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it('quotes the bad value of a non-ASCII line as written', () => {
    const text = EXAMPLE_LINE.replace('ACCEPT', 'ACCEPT日');
    const cf = compileFormat(DEFAULT_V2);
    assert.equal(
      scanRecord(text, cf, DEFAULT_V2.fields, new Int32Array(28)),
      "field action: 'ACCEPT日' is not ACCEPT or REJECT",
    );
    const u8 = new TextEncoder().encode(`${text}\n`);
    assert.equal(
      scanRecordValues(u8, 0, u8.length - 1, cf, DEFAULT_V2.fields, new Int32Array(28), new Float64Array(14)),
      null,
      'bytes that are not ASCII go back to the caller, to be decoded',
    );
  });
});

const EXAMPLE_LINE = DEFAULT_V2.fields.map((f) => EXAMPLE[f]!).join(' ');
