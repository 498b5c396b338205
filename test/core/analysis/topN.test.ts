import * as assert from 'node:assert/strict';
import { DenseCounter, NumTopCounter, TopCounter } from '../../../src/core/analysis/topN';

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

describe('numeric top-N (IPv4 keys, pairs, text hashes)', () => {
  it('counts exactly under the cap, growing from a small table', () => {
    const t = new NumTopCounter(5000);
    const truth = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const k = (i * 2654435761) % 3000;
      t.add(k >>> 3, k, 1, 2, 3);
      truth.set(k, (truth.get(k) ?? 0) + 1);
    }
    assert.equal(t.approximate, false);
    assert.equal(t.distinct, 3000);
    const rows = t.top(3000);
    assert.equal(rows.length, 3000);
    for (const r of rows) assert.equal(r.flows, truth.get(r.lo));
  });

  it('keeps heavy hitters past the cap with bounded counters (by flows and by bytes)', () => {
    for (const rankBy of ['flows', 'bytes'] as const) {
      const t = new NumTopCounter(200, rankBy);
      let heavyA = 0;
      for (let i = 0; i < 100_000; i++) {
        t.add(0, 1_000_000 + i, 1, 100, 1); // one-off keys
        if (i % 50 === 0) {
          t.add(0, 7, 1, 100, 1);
          heavyA++;
        }
        if (i % 80 === 0) t.add(0, 9, 1, 100, 1);
      }
      assert.equal(t.approximate, true);
      assert.ok(t.size <= 200);
      const top = t.top(2);
      assert.deepEqual(
        top.map((r) => r.lo),
        [7, 9],
        rankBy,
      );
      // hits after admission are exact; the estimate never under-counts
      const w = rankBy === 'bytes' ? (top[0]?.bytes ?? 0) / 100 : (top[0]?.flows ?? 0);
      assert.ok(w >= heavyA * 0.9 && w <= heavyA * 1.5, `${rankBy}: ${w} vs ${heavyA}`);
    }
  });

  it('keys text spans by hash and keeps their text', () => {
    const t = new NumTopCounter(10);
    const text = 'eni-aaa eni-bbb eni-aaa 2001:db8::1 2001:db8::2';
    t.addSpans(text, null, 0, 7, -1, -1, 1, 10, 1);
    t.addSpans(text, null, 8, 15, -1, -1, 1, 10, 1);
    t.addSpans(text, null, 16, 23, -1, -1, 1, 10, 1);
    t.addSpans(text, null, 24, 35, 36, 47, 1, 10, 1);
    assert.deepEqual(
      t.textTable(5).rows.map((r) => [r.key, r.flows]),
      [
        ['eni-aaa', 2],
        ['2001:db8::1\u00002001:db8::2', 1],
        ['eni-bbb', 1],
      ],
    );
  });

  it('counts a span of ASCII bytes under the same key as the same span of text', () => {
    const text = 'eni-aaa eni-bbb 2001:db8::1 2001:db8::2';
    const u8 = new TextEncoder().encode(text);
    const t = new NumTopCounter(10);
    t.addSpans(text, null, 0, 7, -1, -1, 1, 10, 1);
    t.addSpans('', u8, 0, 7, -1, -1, 1, 10, 1);
    t.addSpans(text, null, 16, 27, 28, 39, 1, 10, 1);
    t.addSpans('', u8, 16, 27, 28, 39, 1, 10, 1);
    t.addSpans('', u8, 8, 15, -1, -1, 1, 10, 1);
    assert.equal(t.distinct, 3);
    assert.deepEqual(
      t.textTable(5).rows.map((r) => [r.key, r.flows]),
      [
        ['2001:db8::1\u00002001:db8::2', 2],
        ['eni-aaa', 2],
        ['eni-bbb', 1],
      ],
    );
  });
});
