import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TimeSeriesBuilder } from '../../../src/core/analysis/timeSeries';

describe('time series', () => {
  it('keeps one-second buckets over a short range', () => {
    const ts = new TimeSeriesBuilder(100);
    ts.add(1000, 1, 10, 1);
    ts.add(1000, 1, 10, 1);
    ts.add(1003, 1, 5, 1);
    const r = ts.result();
    assert.equal(r.bucketSeconds, 1);
    assert.deepEqual(
      r.points.map((p) => [p.t, p.flows, p.bytes]),
      [
        [1000, 2, 20],
        [1001, 0, 0],
        [1002, 0, 0],
        [1003, 1, 5],
      ],
    );
  });

  it('grows buckets to stay under the point cap, conserving totals', () => {
    const ts = new TimeSeriesBuilder(50);
    let flows = 0;
    // one day of flows, one a minute, out of order in places
    for (let i = 0; i < 1440; i++) {
      const t = 1_700_000_000 + ((i * 7919) % 1440) * 60;
      ts.add(t, 1, 100, 2);
      flows++;
    }
    const r = ts.result();
    assert.ok(r.points.length <= 50, `${r.points.length} points`);
    // 24 h in 10 min buckets needs 145 points, in 30 min buckets 49
    assert.equal(r.bucketSeconds, 1800);
    assert.equal(
      r.points.reduce((a, p) => a + p.flows, 0),
      flows,
    );
    assert.equal(
      r.points.reduce((a, p) => a + p.bytes, 0),
      flows * 100,
    );
    for (const p of r.points) assert.equal(p.t % 1800, 0);
  });

  it('can be coarsened to another series bucket size', () => {
    const ts = new TimeSeriesBuilder(100);
    ts.add(60, 1, 1, 1);
    ts.add(125, 1, 1, 1);
    ts.growTo(300);
    const r = ts.result();
    assert.equal(r.bucketSeconds, 300);
    assert.deepEqual(
      r.points.map((p) => [p.t, p.flows]),
      [[0, 2]],
    );
  });
});

describe('time series, any order', () => {
  it('every flow lands in the bucket of its start time, under the point cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4_000_000_000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 10, max: 60 }),
        (times, cap) => {
          const ts = new TimeSeriesBuilder(cap);
          for (const t of times) ts.add(t, 1, t % 7, 1);
          const r = ts.result();
          assert.ok(r.points.length <= cap);
          const expected = new Map<number, number>();
          for (const t of times) {
            const k = t - (t % r.bucketSeconds);
            expected.set(k, (expected.get(k) ?? 0) + 1);
          }
          for (const p of r.points) assert.equal(p.flows, expected.get(p.t) ?? 0);
          assert.equal(
            r.points.reduce((a, p) => a + p.flows, 0),
            times.length,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
