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
