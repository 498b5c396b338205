// A file read in chunks into two buffers used in turn (src/node/fileChunks.ts): the same bytes as the file, ranges,
// and the chunk a consumer holds stays intact while it reads the next one.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileChunks } from '../../src/node/fileChunks';

describe('fileChunks', () => {
  let dir: string;
  let path: string;
  const bytes = Buffer.alloc(10_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-chunks-'));
    path = join(dir, 'data.bin');
    writeFileSync(path, bytes);
    writeFileSync(join(dir, 'empty.bin'), '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function all(gen: AsyncGenerator<Uint8Array>): Promise<{ joined: Buffer; sizes: number[] }> {
    const parts: Buffer[] = [];
    for await (const c of gen) parts.push(Buffer.from(c)); // copies: a chunk is only lent
    return { joined: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
  }

  it('gives the file in chunks of at most the chunk size, in order', async () => {
    const { joined, sizes } = await all(fileChunks(path, 0, Infinity, 3000));
    assert.deepEqual(joined, bytes);
    assert.deepEqual(sizes, [3000, 3000, 3000, 1000]);
  });

  it('gives a byte range, and nothing for an empty file or range', async () => {
    assert.deepEqual((await all(fileChunks(path, 1234, 7777, 1000))).joined, bytes.subarray(1234, 7777));
    assert.deepEqual((await all(fileChunks(path, 9000, Infinity, 4096))).joined, bytes.subarray(9000));
    assert.deepEqual((await all(fileChunks(join(dir, 'empty.bin')))).sizes, []);
    assert.deepEqual((await all(fileChunks(path, 500, 500))).sizes, []);
  });

  it('keeps the chunk a consumer holds intact while it reads the next one (two buffers in turn)', async () => {
    let previous: Uint8Array | undefined;
    let at = 0;
    for await (const c of fileChunks(path, 0, Infinity, 1000)) {
      // The last chunk is still as read, now that the next one is in the other buffer.
      if (previous)
        assert.deepEqual(
          Buffer.from(previous),
          bytes.subarray(at - previous.length, at),
          'the last chunk, still as read',
        );
      assert.deepEqual(Buffer.from(c), bytes.subarray(at, at + c.length));
      at += c.length;
      previous = c;
    }
    assert.equal(at, bytes.length);
  });

  it('rejects as the file system does for a missing file', async () => {
    await assert.rejects(all(fileChunks(join(dir, 'missing.bin'))), { code: 'ENOENT' });
  });
});
