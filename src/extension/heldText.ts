// The document worker's copy of a document's text as bytes (documentWorker.ts): edits applied to the bytes, so that
// an edit to a large log costs neither decoding its text to a string nor encoding it again for the next analysis.
// Pure (no `vscode`, no worker API), unit-tested in test/extension/heldText.test.ts.
import type { TextChange } from './documentWorkerProtocol';

/** The bytes of an ASCII string; null when it is not ASCII. */
function asciiBytes(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return null;
    out[i] = c;
  }
  return out;
}

/**
 * Applies edits to ASCII text held as bytes, in place of decoding it to a string and encoding it again for the next
 * analysis (which costs more than the analysis itself on a large log). Each change's UTF-16 offsets are byte offsets
 * (the text is ASCII) and its text must be ASCII too. Returns the edited text's chunks (a new array: an analysis
 * still reading `chunks` is not disturbed), or null when a change is not ASCII or falls outside the text.
 */
export function editChunks(chunks: readonly Uint8Array[], changes: readonly TextChange[]): Uint8Array[] | null {
  const encoded: Uint8Array[] = [];
  for (const c of changes) {
    const bytes = asciiBytes(c.text);
    if (bytes === null) return null;
    encoded.push(bytes);
  }
  const work = chunks.slice();
  for (let k = 0; k < changes.length; k++) {
    const { offset, length } = changes[k]!;
    // The chunk holding `offset` (i, at `at` in it), and the one holding offset + length (j, at `endAt`).
    let i = 0;
    let before = 0;
    while (i < work.length && before + work[i]!.length < offset) before += work[i++]!.length;
    if (i === work.length && offset > before) return null;
    let j = i;
    let beforeJ = before;
    while (j < work.length && beforeJ + work[j]!.length < offset + length) beforeJ += work[j++]!.length;
    if (j === work.length && offset + length > beforeJ) return null;
    const head = i < work.length ? work[i]!.subarray(0, offset - before) : new Uint8Array(0);
    const tail = j < work.length ? work[j]!.subarray(offset + length - beforeJ) : new Uint8Array(0);
    const merged = new Uint8Array(head.length + encoded[k]!.length + tail.length);
    merged.set(head, 0);
    merged.set(encoded[k]!, head.length);
    merged.set(tail, head.length + encoded[k]!.length);
    work.splice(i, Math.min(j, work.length - 1) - i + 1, merged);
  }
  return work.filter((c) => c.length > 0);
}
