import * as assert from 'node:assert/strict';
import { ScanTracker } from '../../../src/core/analysis/portScan';

describe('port-scan tracker', () => {
  it('fires when the distinct count reaches the threshold, once per window', () => {
    const s = new ScanTracker<number>(5, 300, 100);
    const fired: number[] = [];
    for (let p = 1; p <= 12; p++) fired.push(s.observe('a>b', p, 1000 + p));
    // 5th distinct port fires; later ports in the same window stay quiet
    assert.deepEqual(fired, [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
    // repeating a port does not count twice
    const t = new ScanTracker<number>(5, 300, 100);
    for (let i = 0; i < 20; i++) assert.equal(t.observe('a>b', 22 + (i % 4), 1000 + i), 0);
    // after the quiet window, a new burst fires again
    const again: number[] = [];
    for (let p = 100; p < 105; p++) again.push(s.observe('a>b', p, 1400 + p));
    assert.deepEqual(again, [0, 0, 0, 0, 5]);
  });

  it('forgets items reached before the window', () => {
    const s = new ScanTracker<number>(3, 60, 100);
    assert.equal(s.observe('x', 1, 0), 0);
    assert.equal(s.observe('x', 2, 10), 0);
    // 100 s later the first two are out of the 60 s window
    assert.equal(s.observe('x', 3, 100), 0);
    assert.equal(s.observe('x', 4, 110), 0);
    assert.equal(s.observe('x', 5, 120), 3);
  });

  it('holds at most maxTracked pairs', () => {
    const s = new ScanTracker<number>(3, 60, 1000);
    for (let i = 0; i < 100_000; i++) s.observe(`pair-${i}`, 1, 1000);
    assert.ok(s.tracked <= 1000, `${s.tracked} pairs`);
    assert.ok(s.evicted >= 99_000);
  });
});
