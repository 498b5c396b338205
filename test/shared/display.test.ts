// Sizes and times as people read them (src/shared/display.ts): the CLI report, hovers and the dashboard each keep
// their own style, written by one function.
import { strict as assert } from 'node:assert';
import { humanBytes } from '../../src/core/decode';
import {
  bytesText,
  DASHBOARD_BYTES,
  IEC_BYTES,
  intText,
  isoSeconds,
  SI_BYTES,
  utcText,
} from '../../src/shared/display';
import { editDistance } from '../../src/core/text';

describe('display: sizes and times', () => {
  it('writes sizes in the CLI style (SI units, two digits under 10)', () => {
    assert.deepEqual(
      [0, 999, 1000, 4_250_000, 42_500_000, 425_000_000, 3e18].map((n) => bytesText(n, SI_BYTES)),
      ['0 B', '999 B', '1.00 KB', '4.25 MB', '42.5 MB', '425 MB', '3000 PB'],
    );
  });

  it('writes sizes in the hover style (binary units), as humanBytes', () => {
    assert.deepEqual(
      [1023, 1024, 4200, 43_008, 5 * 1024 ** 3].map((n) => bytesText(n, IEC_BYTES)),
      ['1023 B', '1.0 KiB', '4.1 KiB', '42 KiB', '5.0 GiB'],
    );
    assert.equal(humanBytes(4200), '4.1 KiB');
  });

  it('writes sizes in the dashboard style (binary steps, grouped bytes)', () => {
    assert.deepEqual(
      [1023, 4200, 435_200, 2 ** 40].map((n) => bytesText(n, DASHBOARD_BYTES)),
      ['1,023 B', '4.1 KB', '425 KB', '1.0 TB'],
    );
  });

  it('writes integers and times', () => {
    assert.equal(intText(1234567), '1,234,567');
    assert.equal(isoSeconds(1418530010), '2014-12-14T04:06:50Z');
    assert.equal(isoSeconds(NaN), 'NaN');
    assert.equal(utcText(1418530010), '2014-12-14 04:06:50 UTC');
  });

  it('measures edit distance (for "did you mean")', () => {
    assert.equal(editDistance('srcadr', 'srcaddr'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});
