// One flat Parquet column chunk straight to the cells of flow-log tokens. PURE.
//
// hyparquet's row reader assembles every optional column value by value through its general (nested) list
// assembly, the larger part of its reading time on flow logs, whose columns are all optional; a flow log's columns
// are flat, so here the pages are decoded with hyparquet's own page readers and each value becomes a cell at once:
// integers stay numbers (read from the typed arrays, no value per row; written as digits only into the line), a
// dictionary's entries become cells once, a plain string's bytes are its token, nulls (definition level below the
// maximum) are `-`. writeRow then writes a row's cells straight into the text, so no token is copied twice.
import type { ColumnMetaData, Compressors, DecodedArray, SchemaTree } from 'hyparquet';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getMaxDefinitionLevel } from 'hyparquet/src/schema.js';

type ColumnDecoder = Parameters<typeof readDataPageV2>[2];

/** The byte range of a column chunk in the file. */
export function chunkRange(meta: ColumnMetaData): { start: number; end: number } {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/** A cell of ColumnCells.nums that is `-` (a null, or a column the row group does not hold). */
export const DASH_CELL = -1;
/** A cell of ColumnCells.nums whose token is held in ColumnCells.pool. */
export const TOKEN_CELL = -2;
/** Cells below this are entry `ENTRY_CELL - x` of ColumnCells.dict (a token of the dictionary, not copied). */
const ENTRY_CELL = -3;

const DASH = 45;
const encoder = new TextEncoder();

/**
 * A column's values for the rows of one row group, as what each row's token will be: `nums[r] >= 0` is a
 * non-negative safe integer (written in decimal by writeUint), DASH_CELL is `-`, TOKEN_CELL is a UTF-8 token held
 * in `pool` from `at[r]` to `at[r] + len[r]` (copied there, so the decoded page values it came from die young), and
 * a cell below ENTRY_CELL the token of an entry of the column chunk's dictionary `dict`. Filled row after row.
 */
export class ColumnCells {
  readonly nums: Float64Array;
  /** Token bytes of TOKEN_CELL rows, one after the other (made on the first one). */
  pool: Uint8Array = EMPTY;
  at: Int32Array = EMPTY_AT;
  len: Int32Array = EMPTY_AT;
  /** The dictionary whose entries ENTRY cells are. */
  dict: ColumnCells | null = null;
  private used = 0;
  private n = 0;

  constructor(readonly rows: number) {
    this.nums = new Float64Array(rows);
  }

  /** Rows filled so far. */
  get filled(): number {
    return this.n;
  }

  uint(v: number): void {
    this.nums[this.n++] = v;
  }

  dash(): void {
    this.nums[this.n++] = DASH_CELL;
  }

  /** A token given as UTF-8 bytes (copied). */
  token(b: Uint8Array): void {
    this.tokenOf(b, 0, b.length);
  }

  /** The token b[from, from + k) (copied). */
  tokenOf(b: Uint8Array, from: number, k: number): void {
    if (this.at.length === 0) {
      this.at = new Int32Array(this.rows);
      this.len = new Int32Array(this.rows);
      this.pool = new Uint8Array(Math.max(64, this.rows * 8));
    }
    let pool = this.pool;
    const p = this.used;
    if (p + k > pool.length) {
      const grown = new Uint8Array(Math.max(pool.length * 2, p + k));
      grown.set(pool.subarray(0, p));
      this.pool = pool = grown;
    }
    if (k > 32) pool.set(b.subarray(from, from + k), p);
    else for (let i = 0; i < k; i++) pool[p + i] = b[from + i]!;
    this.used = p + k;
    this.at[this.n] = p;
    this.len[this.n] = k;
    this.nums[this.n++] = TOKEN_CELL;
  }

  /** The token of entry k of `dict`, the one dictionary of the column chunk (kept, not copied). */
  entry(dict: ColumnCells, k: number): void {
    this.dict = dict;
    this.nums[this.n++] = ENTRY_CELL - k;
  }

  /** A token given as text. */
  text(t: string): void {
    this.token(encoder.encode(t));
  }

  /** The rest of the rows as `-` (a column the row group does not hold). */
  dashes(): void {
    this.nums.fill(DASH_CELL, this.n);
    this.n = this.rows;
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_AT = new Int32Array(0);

/**
 * Writes the non-negative safe integer `n` in decimal (as String(n) does) at buf[p] and returns the position after
 * it. The caller leaves room for 16 digits.
 */
export function writeUint(buf: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 48 + n;
    return p + 1;
  }
  if (n >= 1e9) {
    // The digits above the last nine, then those nine (a Unix time is 10 digits): integer arithmetic below 2^31.
    const hi = Math.floor(n / 1e9);
    p = writeUint(buf, p, hi);
    let x = n - hi * 1e9;
    let i = p + 9;
    for (let k = 0; k < 4; k++) {
      const q = (x / 100) | 0;
      const r = (x - q * 100) << 1;
      buf[--i] = PAIRS[r + 1]!;
      buf[--i] = PAIRS[r]!;
      x = q;
    }
    buf[--i] = 48 + x;
    return p + 9;
  }
  const d = n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : 9;
  let x = n;
  let i = p + d;
  while (x >= 100) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    buf[--i] = PAIRS[r + 1]!;
    buf[--i] = PAIRS[r]!;
    x = q;
  }
  if (x >= 10) {
    buf[--i] = PAIRS[(x << 1) + 1]!;
    buf[--i] = PAIRS[x << 1]!;
  } else buf[--i] = 48 + x;
  return p + d;
}

/** The two digits of 0..99, at 2 * n. */
const PAIRS = new Uint8Array(200);
for (let n = 0; n < 100; n++) {
  PAIRS[2 * n] = 48 + Math.floor(n / 10);
  PAIRS[2 * n + 1] = 48 + (n % 10);
}

/**
 * Row `row` of `cols` as one flow-log line (tokens joined by spaces, ending in '\n') at buf[p]; returns the position
 * after it, or -1 (nothing written that counts) when the line would not fit before buf.length.
 */
export function writeRow(cols: readonly ColumnCells[], row: number, buf: Uint8Array, p: number): number {
  const end = buf.length;
  const last = cols.length - 1;
  for (let c = 0; c <= last; c++) {
    const col = cols[c]!;
    const x = col.nums[row]!;
    if (x >= 0) {
      if (p + 17 > end) return -1;
      p = writeUint(buf, p, x);
    } else if (x === DASH_CELL) {
      if (p + 2 > end) return -1;
      buf[p++] = DASH;
    } else {
      let from: number;
      let n: number;
      let pool: Uint8Array;
      if (x === TOKEN_CELL) {
        pool = col.pool;
        from = col.at[row]!;
        n = col.len[row]!;
      } else {
        const dict = col.dict!;
        const k = ENTRY_CELL - x;
        pool = dict.pool;
        from = dict.at[k]!;
        n = dict.len[k]!;
      }
      if (p + n + 1 > end) return -1;
      if (n > 32) buf.set(pool.subarray(from, from + n), p);
      else for (let i = 0; i < n; i++) buf[p + i] = pool[from + i]!;
      p += n;
    }
    buf[p++] = c === last ? 10 : 32;
  }
  return p;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One value as a cell: non-negative integers (numbers, or bigints in the safe range) as numbers, anything else as
 * `text` gives it (which must write such integers as their decimal digits too, as valueText does).
 */
function cellOf(out: ColumnCells, v: unknown, text: (v: unknown) => string): void {
  if (typeof v === 'number') {
    if (v >= 0 && Number.isSafeInteger(v)) out.uint(v);
    else out.text(text(v));
  } else if (typeof v === 'bigint' && v >= 0n && v <= MAX_SAFE) out.uint(Number(v));
  else out.text(text(v));
}

/** A token that is its own bytes, b[from, to): printable ASCII but `\\` (what escapeText leaves as it is), not empty. */
function plainToken(b: Uint8Array, from = 0, to = b.length): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c <= 0x20 || c >= 0x7f || c === 0x5c) return false;
  }
  return true;
}

const utf8 = new TextDecoder();
/** 64-bit integers are read as two 32-bit halves, low half first (Parquet's and the typed arrays' order here). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The cells of one page's values (`values`, the non-null ones in order; `defs` their definition levels when the
 * column has nulls) into `out`. Integer arrays are read as numbers without a value per row; anything else value
 * by value (cellOf).
 */
function pageCells(
  values: DecodedArray,
  n: number,
  defs: ArrayLike<number> | undefined,
  maxDef: number,
  text: (v: unknown) => string,
  out: ColumnCells,
): void {
  const nullable = defs !== undefined && defs.length > 0;
  let v = 0;
  if (values instanceof Int32Array || values instanceof Uint32Array) {
    for (let i = 0; i < n; i++) {
      if (nullable && defs[i] !== maxDef) out.dash();
      else {
        const x = values[v++]!;
        if (x >= 0) out.uint(x);
        else out.text(text(x));
      }
    }
    return;
  }
  if (LITTLE_ENDIAN && (values instanceof BigInt64Array || values instanceof BigUint64Array)) {
    const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < n; i++) {
      if (nullable && defs[i] !== maxDef) out.dash();
      else {
        const hi = halves[2 * v + 1]!;
        // Non-negative and below 2^53 (as a signed or unsigned 64-bit integer): exact as a number.
        if (hi >= 0 && hi < 0x200000) out.uint(hi * 4294967296 + (halves[2 * v]! >>> 0));
        else cellOf(out, values[v], text);
        v++;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (nullable && defs[i] !== maxDef) out.dash();
    else cellOf(out, values[v++], text);
  }
}

type PageHeader = ReturnType<typeof parquetHeader>;

/** A data page of a flat column, its definition levels read and its values not yet. */
interface FlatPage {
  /** Definition levels, one per row (undefined for a required column). */
  defs: Uint8Array | undefined;
  /** Rows in the page, and values (the rows that are not null). */
  count: number;
  nValues: number;
  encoding: string;
  /** At the first value. */
  reader: { view: DataView; offset: number };
}

/**
 * The page as FlatPage (version 1 or 2), decompressed, with its definition levels in a Uint8Array (hyparquet's
 * page readers fill a plain Array of a page's length, which for a long page is a slow sparse array). Null for a
 * page with repetition levels (not a flat column's), which the caller reads with hyparquet's readers.
 */
function flatPage(
  compressed: Uint8Array,
  header: PageHeader,
  codec: ColumnMetaData['codec'],
  compressors: Compressors,
  maxDef: number,
): FlatPage | null {
  const width = 32 - Math.clz32(maxDef);
  if (header.type === 'DATA_PAGE' && header.data_page_header) {
    const daph = header.data_page_header;
    const page = decompressPage(compressed, Number(header.uncompressed_page_size), codec, compressors);
    const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
    let defs: Uint8Array | undefined;
    let nValues = daph.num_values;
    if (maxDef > 0) {
      defs = new Uint8Array(daph.num_values);
      readRleBitPackedHybrid(reader, width, defs);
      for (let i = 0; i < defs.length; i++) if (defs[i] !== maxDef) nValues--;
    }
    return { defs, count: daph.num_values, nValues, encoding: daph.encoding, reader };
  }
  const daph2 = header.data_page_header_v2!;
  if (daph2.repetition_levels_byte_length > 0) return null;
  const defLength = daph2.definition_levels_byte_length;
  let defs: Uint8Array | undefined;
  if (maxDef > 0) {
    defs = new Uint8Array(daph2.num_values);
    const levels = { view: new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength), offset: 0 };
    readRleBitPackedHybrid(levels, width, defs, defLength);
  }
  let page = compressed.subarray(defLength);
  const size = Number(header.uncompressed_page_size) - defLength;
  if (daph2.is_compressed !== false && size) page = decompressPage(page, size, codec, compressors);
  return {
    defs,
    count: daph2.num_values,
    nValues: daph2.num_values - daph2.num_nulls,
    encoding: daph2.encoding,
    reader: { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 },
  };
}

/**
 * The cells of a page of plain BYTE_ARRAY strings (the `rawStrings` case of chunkCells), read in place: a value of
 * printable ASCII is its own token, copied once; any other through `text`, as convert and `text` would.
 */
function plainStringCells(
  page: FlatPage,
  n: number,
  maxDef: number,
  text: (v: unknown) => string,
  out: ColumnCells,
): void {
  const { defs, reader } = page;
  const view = reader.view;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let p = reader.offset;
  for (let i = 0; i < n; i++) {
    if (defs !== undefined && defs[i] !== maxDef) {
      out.dash();
      continue;
    }
    const k = view.getUint32(p, true);
    p += 4;
    if (p + k > bytes.length) throw new Error('a string value past the end of its page');
    if (plainToken(bytes, p, p + k)) out.tokenOf(bytes, p, k);
    else out.text(text(utf8.decode(bytes.subarray(p, p + k))));
    p += k;
  }
}

/**
 * The cells of the `rows` values of a flat column chunk (its bytes in `buffer`) into `out`, each value through
 * `text` (integers as numbers, written as digits). `plainBytes`: `text` writes a string of printable ASCII as it
 * is (no missing-value words), so a plain string value whose bytes are such is its own token, never a string.
 * Throws (hyparquet's words, or a short column) on damage.
 */
export function chunkCells(
  buffer: ArrayBuffer,
  meta: ColumnMetaData,
  schemaPath: SchemaTree[],
  compressors: Compressors,
  rows: number,
  text: (v: unknown) => string,
  out: ColumnCells,
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
  let dictionary: ColumnCells | undefined;
  let row = 0;
  while (row < rows && reader.offset < reader.view.byteLength - 1) {
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    if (!(size >= 0) || reader.offset + size > reader.view.byteLength) throw new Error('page past the column chunk');
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(reader, header, decoder, undefined, undefined, 0);
      const values = convert(data!, decoder);
      dictionary = new ColumnCells(values.length);
      pageCells(values, values.length, undefined, maxDef, text, dictionary);
      continue;
    }
    const compressed = new Uint8Array(reader.view.buffer, reader.view.byteOffset + reader.offset, size);
    reader.offset += size;
    if (
      !(header.type === 'DATA_PAGE' && header.data_page_header) &&
      !(header.type === 'DATA_PAGE_V2' && header.data_page_header_v2)
    )
      continue; // an index page, or one of a kind a flat column does not need
    // A flat column's page holds one value (or null) per row: more than the rows left is damage, refused before its
    // levels are given memory.
    const pageRows = header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? 0;
    if (!(pageRows >= 0 && pageRows <= rows - row))
      throw new Error(`a page of ${pageRows} values where ${rows - row} rows are left`);
    const page = flatPage(compressed, header, meta.codec, compressors, maxDef);
    const encoding = page?.encoding ?? '';
    if (page !== null && dictionary !== undefined && encoding.endsWith('_DICTIONARY')) {
      const n = Math.min(page.count, rows - row);
      const { reader: r, defs } = page;
      const width = r.view.getUint8(r.offset++);
      const keys = new Int32Array(page.nValues);
      if (width > 0) readRleBitPackedHybrid(r, width, keys, r.view.byteLength - r.offset);
      const nums = dictionary.nums;
      let v = 0;
      for (let i = 0; i < n; i++) {
        if (defs !== undefined && defs[i] !== maxDef) {
          out.dash();
          continue;
        }
        const k = keys[v++]!;
        const x = k < nums.length ? nums[k]! : DASH_CELL;
        if (x === TOKEN_CELL) out.entry(dictionary, k);
        else if (x === DASH_CELL) out.dash();
        else out.uint(x);
      }
      row += n;
      continue;
    }
    if (page !== null && encoding === 'PLAIN') {
      const n = Math.min(page.count, rows - row);
      if (rawStrings) plainStringCells(page, n, maxDef, text, out);
      else {
        const data = readPlain(page.reader, meta.type, page.nValues, element.type_length);
        pageCells(convert(data, decoder), n, page.defs, maxDef, text, out);
      }
      row += n;
      continue;
    }
    if (encoding.endsWith('_DICTIONARY') && dictionary === undefined)
      throw new Error('a dictionary-encoded page before its dictionary');
    // Other encodings (delta, byte stream split), read by hyparquet's page readers.
    let defs: ArrayLike<number> | undefined;
    let data: DecodedArray;
    let count: number;
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header!;
      const raw = decompressPage(compressed, Number(header.uncompressed_page_size), meta.codec, compressors);
      ({ definitionLevels: defs, dataPage: data } = readDataPage(raw, daph, decoder));
      count = daph.num_values;
    } else {
      ({ definitionLevels: defs, dataPage: data } = readDataPageV2(compressed, header, decoder));
      count = header.data_page_header_v2!.num_values;
    }
    const n = Math.min(count, rows - row);
    if (rawStrings) {
      const nullable = defs !== undefined && defs.length > 0;
      let v = 0;
      for (let i = 0; i < n; i++) {
        if (nullable && defs![i] !== maxDef) {
          out.dash();
          continue;
        }
        // As convert's stringFromBytes then `text`, for any value that is not plain.
        const b = data[v++] as Uint8Array | undefined;
        if (b !== undefined && plainToken(b)) out.token(b);
        else out.text(text(b && utf8.decode(b)));
      }
    } else pageCells(convert(data, decoder), n, defs, maxDef, text, out);
    row += n;
  }
  if (row < rows) throw new Error(`the column ${meta.path_in_schema.join('.')} ends after ${row} of ${rows} rows`);
}
