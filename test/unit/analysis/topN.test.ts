import * as assert from 'node:assert/strict';
import { DenseCounter, TopCounter } from '../../../src/core/analysis/topN';

describe('top-N counting', () => {
  it('is exact while the distinct keys fit under the cap', () => {
    const t = new TopCounter<string>(10);
    for (let i = 0; i < 10; i++) for (let j = 0; j <= i; j++) t.add(`k${i}`, 1, 100, 2);
    assert.equal(t.approximate, false);
    assert.equal(t.distinct, 10);
    const rows = t.table(3).rows;
    assert.deepEqual(
      rows.map((r) => [r.key, r.flows, r.bytes, r.packets]),
      [
        ['k9', 10, 1000, 20],
        ['k8', 9, 900, 18],
        ['k7', 8, 800, 16],
      ],
    );
  });

  it('switches to a bounded approximate table past the cap and still finds the heavy hitter', () => {
    const cap = 100;
    const t = new TopCounter<string>(cap);
    let heavy = 0;
    for (let i = 0; i < 20_000; i++) {
      t.add(`noise-${i}`, 1, 1, 1);
      if (i % 10 === 0) {
        t.add('203.0.113.7', 1, 1, 1);
        heavy++;
      }
    }
    assert.equal(t.approximate, true);
    assert.ok(t.size <= cap, `held ${t.size} counters`);
    assert.ok(t.distinct > cap);
    const table = t.table(5);
    assert.equal(table.approximate, true);
    assert.equal(table.rows[0]?.key, '203.0.113.7');
    // Space-Saving over-estimates by at most total/cap.
    const total = 20_000 + heavy;
    const est = table.rows[0]?.flows ?? 0;
    assert.ok(est >= heavy && est <= heavy + total / cap, `estimate ${est} for ${heavy}`);
  });

  it('ranks by bytes when asked (top talkers)', () => {
    const t = new TopCounter<number>(3, 'bytes');
    t.add(1, 100, 10, 1);
    t.add(2, 1, 5000, 1);
    t.add(3, 5, 50, 1);
    assert.deepEqual(
      t.top(3).map((r) => r.key),
      [2, 3, 1],
    );
  });

  it('dense counters count ports exactly and label them', () => {
    const d = new DenseCounter(65536);
    for (let i = 0; i < 5; i++) d.add(22, 1, 10, 1);
    d.add(443, 1, 99999, 1);
    d.add(65535, 1, 1, 1);
    const t = d.table(2, (p) => `port ${p}`);
    assert.equal(t.distinct, 3);
    assert.equal(t.approximate, false);
    assert.deepEqual(
      t.rows.map((r) => [r.key, r.label, r.flows]),
      [
        ['22', 'port 22', 5],
        ['443', 'port 443', 1],
      ],
    );
    assert.equal(d.table(1, String, 'bytes').rows[0]?.key, '443');
    assert.deepEqual(d.table(0, String).rows, []);
  });
});
