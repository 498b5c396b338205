import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../../src/node/pool';

// A worker that doubles numbers (after a short wait, so that a second task is already queued on it) and dies on
// 'crash'.
const SCRIPT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.task === 'crash') process.exit(3);
  setTimeout(() => parentPort.postMessage({ type: 'done', id: m.id, result: m.task * 2 }), 20);
});
`;

describe('WorkerPool', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-pool-'));
    writeFileSync(join(dir, 'worker.js'), SCRIPT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every task, each worker holding the next while it runs one', async () => {
    const pool = new WorkerPool<number, number>(join(dir, 'worker.js'), 2, null);
    try {
      assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => pool.run(n))), [2, 4, 6, 8, 10, 12, 14]);
    } finally {
      await pool.close();
    }
  });

  it('with a local runner, the calling thread is one of the slots: one worker fewer, one task at a time here', async () => {
    let here = 0;
    let most = 0;
    const pool = new WorkerPool<number, number>(join(dir, 'worker.js'), 2, null, async (n) => {
      here++;
      most = Math.max(most, here);
      await new Promise((resolve) => setTimeout(resolve, 5));
      here--;
      return n * 3; // tells the calling thread's results from a worker's (n * 2)
    });
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => pool.run(n)));
      // The first task goes to the (one) worker, the second to this thread, each of the rest to whoever has room.
      assert.equal(results[0], 2);
      assert.equal(results[1], 6);
      results.forEach((r, i) => assert.ok(r === 2 * (i + 1) || r === 3 * (i + 1), `task ${i + 1}: ${r}`));
      assert.equal(most, 1, 'one task at a time on the calling thread');
      assert.ok(results.filter((r, i) => r === 2 * (i + 1)).length >= 2, 'the worker ran its share');
    } finally {
      await pool.close();
    }
  });

  it("rejects the calling thread's task when the pool is closed while it runs", async () => {
    let release: () => void = () => undefined;
    const pool = new WorkerPool<number, number>(
      join(dir, 'worker.js'),
      1,
      null,
      (n) => new Promise((resolve) => (release = () => resolve(n))),
    );
    const running = pool.run(5);
    await new Promise((resolve) => setImmediate(resolve));
    await pool.close();
    release();
    await assert.rejects(running, /cancelled/);
  });

  it('fails only the task a dead worker was running; the one it held next runs on a new worker', async () => {
    const pool = new WorkerPool<number | 'crash', number>(join(dir, 'worker.js'), 1, null);
    try {
      const crashed = pool.run('crash');
      const next = pool.run(21);
      await assert.rejects(crashed, /analysis worker stopped \(exit code 3\)/);
      assert.equal(await next, 42);
    } finally {
      await pool.close();
    }
  });
});
