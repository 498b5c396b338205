import * as assert from 'node:assert/strict';
import { NumScanTracker } from '../../../src/core/analysis/portScan';

// Pair keys are two numbers (source and target address, or source and port); items are numbers.
const SRC = 0xcb007142; // 203.0.113.66
const DST = 0x0a000009; // 10.0.0.9

describe('port-scan tracker', () => {
  it('fires when the distinct count reaches the threshold, once per window', () => {
    const s = new NumScanTracker(5, 300, 100);
    const fired: number[] = [];
    for (let p = 1; p <= 12; p++) fired.push(s.observe(SRC, DST, p, 1000 + p));
    // 5th distinct port fires; later ports in the same window stay quiet
    assert.deepEqual(fired, [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
    // repeating a port does not count twice
    const t = new NumScanTracker(5, 300, 100);
    for (let i = 0; i < 20; i++) assert.equal(t.observe(SRC, DST, 22 + (i % 4), 1000 + i), 0);
    // after the quiet window, a new burst fires again
    const again: number[] = [];
    for (let p = 100; p < 105; p++) again.push(s.observe(SRC, DST, p, 1400 + p));
    assert.deepEqual(again, [0, 0, 0, 0, 5]);
  });

  it('keeps pairs apart, including keys past 32 bits (hashed IPv6 addresses)', () => {
    const s = new NumScanTracker(3, 300, 100);
    const big = 2 ** 52 + 12345;
    assert.equal(s.observe(big, DST, 1, 0), 0);
    assert.equal(s.observe(big + 1, DST, 2, 1), 0); // another pair
    assert.equal(s.observe(big, DST, 3, 2), 0);
    assert.equal(s.observe(big, DST + 2 ** 40, 4, 3), 0); // another pair again
    assert.equal(s.observe(big, DST, 2 ** 50, 4), 3); // the third item of the first pair
  });

  it('forgets items reached before the window', () => {
    const s = new NumScanTracker(3, 60, 100);
    assert.equal(s.observe(1, 2, 1, 0), 0);
    assert.equal(s.observe(1, 2, 2, 10), 0);
    // 100 s later the first two are out of the 60 s window
    assert.equal(s.observe(1, 2, 3, 100), 0);
    assert.equal(s.observe(1, 2, 4, 110), 0);
    assert.equal(s.observe(1, 2, 5, 120), 3);
  });

  it('holds at most maxTracked pairs, and a scan in progress survives a flood of one-off pairs', () => {
    const s = new NumScanTracker(3, 60, 1000);
    assert.equal(s.observe(SRC, DST, 1, 1000), 0);
    for (let i = 0; i < 100_000; i++) {
      s.observe(i, 7, 1, 1000);
      if (i % 500 === 0) s.observe(SRC, DST, 2, 1000); // the scanning pair keeps being touched
    }
    assert.ok(s.tracked <= 1000, `${s.tracked} pairs`);
    assert.ok(s.evicted >= 99_000, `${s.evicted} evicted`);
    assert.equal(s.observe(SRC, DST, 3, 1001), 3);
  });
});
