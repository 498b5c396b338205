import { strict as assert } from 'node:assert';
import type { TextChange } from '../../src/extension/documentWorkerProtocol';
import { editChunks } from '../../src/extension/heldText';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function chunked(text: string, sizes: readonly number[]): Uint8Array[] {
  const bytes = encoder.encode(text);
  const out: Uint8Array[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  return out;
}

const joined = (chunks: readonly Uint8Array[]): string => chunks.map((c) => decoder.decode(c)).join('');

/** The edits as the worker applied them to a string before: in order, each on the text the previous one left. */
function onString(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of changes) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

describe('heldText: edits applied to ASCII text held as bytes', () => {
  it('gives the text that the same edits give on a string, wherever they fall among the chunks', () => {
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const words = ['', 'x', 'REJECT', '\n', '2 123456789010 eni-1 - - - - - - - 1 2 - NODATA\n', '\r\n'];
    for (let round = 0; round < 500; round++) {
      let text = '';
      const lines = rnd(30);
      for (let i = 0; i < lines; i++) text += `line ${i} ${'z'.repeat(rnd(40))}\n`;
      const chunks = chunked(text, [1 + rnd(7), 1 + rnd(200), 1 + rnd(50)]);
      const changes: TextChange[] = [];
      let length = text.length;
      for (let k = 1 + rnd(3); k > 0; k--) {
        const offset = rnd(length + 1);
        const cut = rnd(length - offset + 1);
        const insert = words[rnd(words.length)]!;
        changes.push({ offset, length: cut, text: insert });
        length += insert.length - cut;
      }
      const edited = editChunks(chunks, changes);
      assert.ok(edited);
      assert.equal(joined(edited), onString(text, changes), `round ${round}`);
      assert.equal(joined(chunks), text, 'the chunks given are left as they were');
    }
  });

  it('edits an empty text, and the very start and end of a text', () => {
    assert.equal(joined(editChunks([], [{ offset: 0, length: 0, text: 'a\n' }]) ?? []), 'a\n');
    const edited = editChunks(chunked('abc\ndef\n', [3]), [
      { offset: 8, length: 0, text: 'end' },
      { offset: 0, length: 1, text: 'A' },
    ]);
    assert.equal(joined(edited ?? []), 'Abc\ndef\nend');
  });

  it('refuses an edit that is not ASCII or falls outside the text', () => {
    const chunks = chunked('abc\ndef\n', [4]);
    assert.equal(editChunks(chunks, [{ offset: 1, length: 0, text: 'é' }]), null);
    assert.equal(editChunks(chunks, [{ offset: 1, length: 0, text: 'Ł' }]), null); // not cut to its low byte
    assert.equal(editChunks(chunks, [{ offset: 9, length: 0, text: 'x' }]), null);
    assert.equal(editChunks(chunks, [{ offset: 6, length: 5, text: '' }]), null);
    assert.equal(
      editChunks(chunks, [
        { offset: 0, length: 0, text: 'ok' },
        { offset: 1, length: 0, text: '€' },
      ]),
      null,
    );
  });
});
