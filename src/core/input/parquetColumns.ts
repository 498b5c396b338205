// One flat Parquet column chunk straight to flow-log tokens, as UTF-8 bytes. PURE.
//
// hyparquet's row reader assembles every optional column value by value through its general (nested) list
// assembly, the larger part of its reading time on flow logs, whose columns are all optional; a flow log's columns
// are flat, so here the pages are decoded with hyparquet's own page readers and each value goes to its token at
// once: a dictionary's entries are encoded once, integers are written as digits (no string per value), nulls
// (definition level below the maximum) are `-`.
import type { ColumnMetaData, Compressors, DecodedArray, SchemaTree } from 'hyparquet';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { getMaxDefinitionLevel } from 'hyparquet/src/schema.js';

type ColumnDecoder = Parameters<typeof readDataPageV2>[2];

/** The byte range of a column chunk in the file. */
export function chunkRange(meta: ColumnMetaData): { start: number; end: number } {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/** A column's tokens as UTF-8 bytes: the token of row r is bytes[offs[r], offs[r + 1]). */
export interface TokenColumn {
  bytes: Uint8Array;
  offs: Int32Array;
}

const DASH = 45;
const encoder = new TextEncoder();

/** Appends tokens to a growing byte array, row after row. */
export class TokenWriter {
  private buf: Uint8Array;
  private p = 0;
  private row = 0;
  private readonly offs: Int32Array;

  constructor(rows: number) {
    this.offs = new Int32Array(rows + 1);
    this.buf = new Uint8Array(Math.max(64, rows * 8));
  }

  private room(n: number): void {
    if (this.p + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.p + n));
    grown.set(this.buf.subarray(0, this.p));
    this.buf = grown;
  }

  private next(): void {
    this.offs[++this.row] = this.p;
  }

  /** A token given as text. */
  text(t: string): void {
    const n = t.length;
    this.room(n * 3);
    const buf = this.buf;
    let p = this.p;
    let i = 0;
    for (; i < n; i++) {
      const ch = t.charCodeAt(i);
      if (ch >= 0x80) break;
      buf[p++] = ch;
    }
    if (i < n) p += encoder.encodeInto(t.slice(i), buf.subarray(p)).written;
    this.p = p;
    this.next();
  }

  /** A token given as UTF-8 bytes. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let p = this.p;
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.p = p;
    this.next();
  }

  /** A non-negative safe integer, in decimal (as String(n) writes it). */
  uint(n: number): void {
    let d = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) d++;
    this.room(d);
    const buf = this.buf;
    for (let i = this.p + d - 1; i >= this.p; i--) {
      buf[i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.p += d;
    this.next();
  }

  dash(): void {
    this.room(1);
    this.buf[this.p++] = DASH;
    this.next();
  }

  /** `count` more rows of `-` (a column the row group does not hold). */
  dashes(count: number): void {
    for (let i = 0; i < count; i++) this.dash();
  }

  done(): TokenColumn {
    return { bytes: this.buf, offs: this.offs };
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One value as a token: non-negative integers (numbers, or bigints in the safe range) as digits, anything else as
 * `text` gives it (which must write such integers as their decimal digits too, as valueText does).
 */
function writeValue(out: TokenWriter, v: unknown, text: (v: unknown) => string): void {
  if (typeof v === 'number') {
    if (v >= 0 && Number.isSafeInteger(v)) out.uint(v);
    else out.text(text(v));
  } else if (typeof v === 'bigint' && v >= 0n && v <= MAX_SAFE) out.uint(Number(v));
  else out.text(text(v));
}

/** A token that is its own bytes: printable ASCII but `\\` (what escapeText leaves as it is), not empty. */
function plainToken(b: Uint8Array): boolean {
  const n = b.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c <= 0x20 || c >= 0x7f || c === 0x5c) return false;
  }
  return true;
}

const utf8 = new TextDecoder();

/**
 * The tokens of the `rows` values of a flat column chunk (its bytes in `buffer`) into `out`, each value through
 * `text` (integers written as digits). `plainBytes`: `text` writes a string of printable ASCII as it is (no
 * missing-value words), so a plain string value whose bytes are such is copied without becoming a string. Throws
 * (hyparquet's words, or a short column) on damage.
 */
export function chunkTokens(
  buffer: ArrayBuffer,
  meta: ColumnMetaData,
  schemaPath: SchemaTree[],
  compressors: Compressors,
  rows: number,
  text: (v: unknown) => string,
  out: TokenWriter,
  plainBytes = false,
): void {
  const decoder: ColumnDecoder = {
    pathInSchema: meta.path_in_schema,
    type: meta.type,
    element: schemaPath[schemaPath.length - 1]!.element,
    schemaPath,
    codec: meta.codec,
    parsers: DEFAULT_PARSERS,
    compressors,
    utf8: true,
  };
  const maxDef = getMaxDefinitionLevel(schemaPath);
  // Values convert would only decode as UTF-8 (a plain or STRING-annotated byte array): see plainBytes.
  const element = decoder.element;
  const rawStrings =
    plainBytes &&
    meta.type === 'BYTE_ARRAY' &&
    (element.converted_type === undefined || element.converted_type === 'UTF8') &&
    (element.logical_type === undefined || element.logical_type.type === 'STRING') &&
    schemaPath.length === 2;
  const reader = { view: new DataView(buffer), offset: 0 };
  let dictionary: Uint8Array[] | undefined;
  let row = 0;
  while (row < rows && reader.offset < reader.view.byteLength - 1) {
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    if (!(size >= 0) || reader.offset + size > reader.view.byteLength) throw new Error('page past the column chunk');
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(reader, header, decoder, undefined, undefined, 0);
      const values = convert(data!, decoder);
      dictionary = new Array<Uint8Array>(values.length);
      for (let i = 0; i < values.length; i++) {
        const one = new TokenWriter(1);
        writeValue(one, values[i], text);
        const t = one.done();
        dictionary[i] = t.bytes.slice(0, t.offs[1]);
      }
      continue;
    }
    const compressed = new Uint8Array(reader.view.buffer, reader.view.byteOffset + reader.offset, size);
    reader.offset += size;
    let defs: ArrayLike<number> | undefined;
    let data: DecodedArray;
    let encoding: string;
    let count: number;
    if (header.type === 'DATA_PAGE' && header.data_page_header) {
      const daph = header.data_page_header;
      const page = decompressPage(compressed, Number(header.uncompressed_page_size), meta.codec, compressors);
      ({ definitionLevels: defs, dataPage: data } = readDataPage(page, daph, decoder));
      encoding = daph.encoding;
      count = daph.num_values;
    } else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
      const daph2 = header.data_page_header_v2;
      ({ definitionLevels: defs, dataPage: data } = readDataPageV2(compressed, header, decoder));
      encoding = daph2.encoding;
      count = daph2.num_values;
    } else continue; // an index page, or one of a kind a flat column does not need
    const dict = dictionary !== undefined && encoding.endsWith('_DICTIONARY') ? dictionary : undefined;
    const raw = !dict && rawStrings;
    const values = dict || raw ? data : convert(data, decoder);
    const n = Math.min(count, rows - row);
    const nullable = defs !== undefined && defs.length > 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (nullable && defs![i] !== maxDef) out.dash();
      else if (dict) {
        const b = dict[values[v++] as number];
        if (b === undefined) out.dash();
        else out.bytes(b);
      } else if (raw) {
        // As convert's stringFromBytes then `text`, for any value that is not plain.
        const b = values[v++] as Uint8Array | undefined;
        if (b !== undefined && plainToken(b)) out.bytes(b);
        else out.text(text(b && utf8.decode(b)));
      } else writeValue(out, values[v++], text);
    }
    row += n;
  }
  if (row < rows) throw new Error(`the column ${meta.path_in_schema.join('.')} ends after ${row} of ${rows} rows`);
}
