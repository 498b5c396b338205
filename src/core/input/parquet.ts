// Apache Parquet flow logs (AWS's `parquet` file format for S3 delivery) read as flow-log text. PURE.
//
// A Parquet file is columnar and needs random access (its footer, at the end, says where each column chunk is), so
// it is read through an AsyncBuffer (positional reads: src/node/parquetFile.ts in Node, `bytesBuffer` in memory),
// one row group at a time, with hyparquet and its pure-JS decompressors (GZIP, SNAPPY, ZSTD, BROTLI, LZ4). Its rows
// become the text an S3 text object holds: a header line of field names, then one line per row, so the one parser
// (and every editor feature) reads them. Column names are matched to the field catalogue as a user-written name is
// (`log_status` -> `log-status`, see normaliseFieldName); no field names are listed here.
import { parquetMetadataAsync, parquetSchema, type AsyncBuffer, type Compressors, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { FIELDS, normaliseFieldName } from '../fields';
import { chunkCells, chunkRange, ColumnCells, writeRow } from './parquetColumns';
import { errorText } from '../text';

export type { AsyncBuffer, Compressors } from 'hyparquet';

/** How a host reads Parquet: decompressors that replace the pure-JS ones (Node passes node:zlib's gunzip). */
export interface ParquetOptions {
  compressors?: Compressors;
}

/** Why a Parquet input cannot be read (or read to its end): one line fit for the user. */
export class ParquetError extends Error {
  /**
   * `not-flow-log`: a readable Parquet file whose columns are not a flow log (skip it); `damaged`: truncated or
   * corrupt (what was read before is valid, as with a damaged gzip file).
   */
  readonly kind: 'not-flow-log' | 'damaged';
  constructor(message: string, kind: 'not-flow-log' | 'damaged') {
    super(message);
    this.name = 'ParquetError';
    this.kind = kind;
  }
}

/** Bytes in memory as an AsyncBuffer (the browser, stdin, tests). */
export function bytesBuffer(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.length,
    slice(start: number, end?: number): ArrayBuffer {
      const s = bytes.subarray(start, end);
      return s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer;
    },
  };
}

/** How a Parquet file's columns map to flow-log fields. */
export interface ParquetLayout {
  /** The catalogue fields, in column order (what the header line says). */
  readonly fields: readonly string[];
  /** The Parquet column of each field. */
  readonly columns: readonly string[];
  /** Columns that are not flow-log fields (or repeat one, or are nested): not read. */
  readonly ignored: readonly string[];
  /** One note per ignored column, for the format the header sets. */
  readonly notes: readonly string[];
  readonly rows: number;
  readonly rowGroups: number;
}

/** Printable form of a (hostile) column name in a message: control characters escaped, at most 60 characters. */
function shown(name: string): string {
  const s = escapeText(name);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The layout of a file from its metadata; throws ParquetError when it is not a flow log. */
export function parquetLayout(metadata: FileMetaData): ParquetLayout {
  const tree = parquetSchema(metadata);
  const fields: string[] = [];
  const columns: string[] = [];
  const ignored: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const child of tree.children) {
    const name = child.element.name;
    const field = normaliseFieldName(name);
    const nested = child.children.length > 0 || child.element.repetition_type === 'REPEATED';
    if (!nested && FIELDS.has(field) && !seen.has(field)) {
      seen.add(field);
      fields.push(field);
      columns.push(name);
      continue;
    }
    ignored.push(name);
    notes.push(
      nested
        ? `Parquet column '${shown(name)}' is nested, not a flow-log field: ignored`
        : seen.has(field)
          ? `Parquet column '${shown(name)}' repeats field ${field}: ignored`
          : `Parquet column '${shown(name)}' is not a flow-log field: ignored`,
    );
  }
  // A flow log: some columns are catalogue fields, and they are not outnumbered by the others (a table that merely
  // has a `type` or `bytes` column is not one), unless they are at least three.
  if (fields.length === 0 || (fields.length < ignored.length && fields.length < 3)) {
    const all = tree.children.map((c) => shown(c.element.name));
    const list = all.length > 6 ? `${all.slice(0, 6).join(', ')}, ...` : all.join(', ');
    throw new ParquetError(
      `not a flow-log Parquet file: ${fields.length === 0 ? 'none' : `only ${fields.length}`} of its ${all.length} column${all.length === 1 ? '' : 's'} (${list}) ${fields.length === 1 ? 'is a flow-log field' : 'are flow-log fields'}`,
      'not-flow-log',
    );
  }
  let rows = 0;
  for (const g of metadata.row_groups) rows += Number(g.num_rows);
  return { fields, columns, ignored, notes, rows, rowGroups: metadata.row_groups.length };
}

/** The metadata of a Parquet file, or a ParquetError saying why there is none. */
async function readMetadata(file: AsyncBuffer): Promise<FileMetaData> {
  if (file.byteLength < 12)
    throw new ParquetError('the Parquet file is truncated: it is too short to hold its footer', 'damaged');
  const tail = new Uint8Array(await file.slice(file.byteLength - 4));
  if (!(tail[0] === 0x50 && tail[1] === 0x41 && tail[2] === 0x52 && tail[3] === 0x31))
    throw new ParquetError(
      'the Parquet file is truncated or corrupt: it does not end with its footer (PAR1)',
      'damaged',
    );
  try {
    return await parquetMetadataAsync(file);
  } catch (e) {
    throw new ParquetError(`the Parquet footer is corrupt (${oneLine(e)})`, 'damaged');
  }
}

/** An error's message on one line. */
function oneLine(e: unknown): string {
  const m = errorText(e);
  // One line of at most 200 characters: line breaks and other controls as \xHH, spaces kept (escapeText, made for a
  // token, showed "a\x20page\x20of…"); every front end escapes it again for where it shows it.
  return m.slice(0, 200).replace(MESSAGE_UNSAFE, (c) => escapeText(c));
}

// eslint-disable-next-line no-control-regex
const MESSAGE_UNSAFE = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;

/**
 * The cells of each row group, column by column (memory: one row group); the first yield is the layout alone (no
 * columns). What parquetBytes writes out as text; exported for the decoding-only bench (scripts/benchParquet.ts).
 */
export async function* rowGroups(
  file: AsyncBuffer,
  onLayout: ((layout: ParquetLayout) => void) | undefined,
  options: ParquetOptions | undefined,
): AsyncGenerator<{ layout: ParquetLayout; cols: ColumnCells[]; rows: number }, void, undefined> {
  const codecs: Compressors = { ...compressors, ...options?.compressors };
  const metadata = await readMetadata(file);
  const layout = parquetLayout(metadata);
  onLayout?.(layout);
  yield { layout, cols: [], rows: 0 };
  const root = parquetSchema(metadata);
  const schema = root.children;
  const columns = layout.columns.map((name, i) => {
    const tree = schema.find((ch) => ch.element.name === name)!;
    // Number fields kept in text columns (Python writers) may hold a missing-value word instead of a null.
    const textNumber = tree.element.type === 'BYTE_ARRAY' && NUMBER_KINDS.has(FIELDS.get(layout.fields[i]!)!.kind);
    const text = textNumber
      ? (v: unknown): string => (typeof v === 'string' && MISSING_WORDS.has(v) ? '-' : valueText(v))
      : valueText;
    return { name, schemaPath: [root, tree], text, plainBytes: !textNumber };
  });
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const group = metadata.row_groups[g]!;
    const groupRows = Number(group.num_rows);
    let cols: ColumnCells[];
    try {
      cols = await Promise.all(
        columns.map(async (c) => {
          const chunk = group.columns.find((ch) => ch.meta_data?.path_in_schema[0] === c.name);
          const out = new ColumnCells(groupRows);
          if (chunk?.meta_data === undefined) {
            out.dashes();
            return out;
          }
          const { start, end } = chunkRange(chunk.meta_data);
          if (!(start >= 0 && end <= file.byteLength && start <= end))
            throw new Error('a column chunk outside the file');
          const bytes = await file.slice(start, end);
          chunkCells(bytes, chunk.meta_data, c.schemaPath, codecs, groupRows, c.text, out, c.plainBytes);
          return out;
        }),
      );
    } catch (e) {
      throw new ParquetError(
        `the Parquet data is corrupt in row group ${g + 1} of ${metadata.row_groups.length} (${oneLine(e)})`,
        'damaged',
      );
    }
    yield { layout, cols, rows: groupRows };
  }
}

/**
 * A flow-log Parquet file as flow-log text: first the header line (field names, as an S3 text file has), then one
 * line per row, row group by row group (memory bounded by one row group). Each yielded string ends in '\n'.
 * `onLayout` (optional) is told the layout before the header is yielded. Throws ParquetError (after yielding what
 * was read) for a file that is not a flow log, truncated or corrupt.
 */
export async function* parquetText(
  file: AsyncBuffer,
  onLayout?: (layout: ParquetLayout) => void,
  options?: ParquetOptions,
): AsyncGenerator<string, void, undefined> {
  // Each byte chunk ends at a line end, so it never splits a character.
  const decoder = new TextDecoder();
  for await (const bytes of parquetBytes(file, onLayout, options)) yield decoder.decode(bytes);
}

/** Bytes of UTF-8 text yielded at a time by parquetBytes. */
const BYTES_CHUNK = 1 << 20;

/**
 * parquetText as UTF-8 bytes (what a byte-oriented parser reads fastest: the CLI and the analysis workers). Each
 * yielded array ends in a line end and is not reused. Same lines, same errors.
 */
export async function* parquetBytes(
  file: AsyncBuffer,
  onLayout?: (layout: ParquetLayout) => void,
  options?: ParquetOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  for await (const { layout, cols, rows } of rowGroups(file, onLayout, options)) {
    if (cols.length === 0) {
      yield encoder.encode(`${layout.fields.join(' ')}\n`);
      continue;
    }
    let buf = new Uint8Array(BYTES_CHUNK);
    let p = 0;
    for (let row = 0; row < rows; row++) {
      let q = writeRow(cols, row, buf, p);
      if (q < 0) {
        // The row does not fit: what is written goes (it ends at a line end), and a long row gets a larger array.
        if (p > 0) yield buf.subarray(0, p);
        buf = new Uint8Array(BYTES_CHUNK);
        p = 0;
        q = writeRow(cols, row, buf, 0);
        for (let size = BYTES_CHUNK * 2; q < 0; size *= 2) {
          buf = new Uint8Array(size);
          q = writeRow(cols, row, buf, 0);
        }
      }
      p = q;
      // A yielded array ends at a line end.
      if (p > BYTES_CHUNK - 4096) {
        yield buf.subarray(0, p);
        buf = new Uint8Array(BYTES_CHUNK);
        p = 0;
      }
    }
    if (p > 0) yield buf.subarray(0, p);
  }
}

/** What a parser of the text needs from its host for a Parquet input (FlowParser has these). */
export interface ParquetTextSink {
  /** The text as UTF-8 bytes (see parquetBytes). */
  write(chunk: Uint8Array): void | Promise<void>;
  /** Notes added to the format the header line sets (ignored columns). */
  addHeaderNotes(notes: readonly string[]): void;
  /** The input is damaged here: what was read before counts. */
  damaged(damage: string, reason: string): void;
}

/**
 * Feeds a Parquet flow log to `parser` as text (parquetBytes). Resolves when it is read; a damaged file is
 * reported to the parser (`damaged`, as a damaged gzip file is) after what was read before. Rejects with the
 * ParquetError of a file that is not a flow log (nothing was fed).
 */
export async function parseParquet(
  file: AsyncBuffer,
  parser: ParquetTextSink,
  options?: ParquetOptions,
): Promise<void> {
  let started = false;
  try {
    for await (const bytes of parquetBytes(file, (l) => l.notes.length && parser.addHeaderNotes(l.notes), options)) {
      started = true;
      const p = parser.write(bytes);
      if (p) await p;
    }
  } catch (e) {
    if (!(e instanceof ParquetError)) throw e;
    if (e.kind === 'not-flow-log' && !started) throw e;
    parser.damaged(e.message, e.message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values to text

/** Small non-negative integers as text, made once (ports, protocols, flags, versions). */
const SMALL: string[] = [];
function smallInt(n: number): string {
  if (n >= 0 && n < 65536 && (n | 0) === n) {
    let s = SMALL[n];
    if (s === undefined) SMALL[n] = s = String(n);
    return s;
  }
  return String(n);
}

/**
 * A string value as one flow-log token: '' is '-', and a space, a control character, a backslash or a Unicode
 * line or paragraph separator (which would split the value or the line, in the parser or an editor) becomes
 * `\xHH`/`\uHHHH`, so a hostile value stays one token on its own line.
 */
export function escapeText(s: string): string {
  if (s.length === 0) return '-';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x5c || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029) return escapeFrom(s, i);
  }
  return s;
}

function escapeFrom(s: string, from: number): string {
  let out = s.slice(0, from);
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x5c || c === 0x7f || c === 0x85) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += s[i];
  }
  return out;
}

/** One value as a token: null/undefined '-', integers in decimal, times as Unix seconds, text escaped. */
function valueText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return escapeText(v);
    case 'number':
      return Number.isInteger(v) ? smallInt(v) : Number.isFinite(v) ? String(v) : '-';
    case 'bigint':
      return v >= 0n && v < 65536n
        ? smallInt(Number(v))
        : v >= -0x1fffffffffffffn && v <= 0x1fffffffffffffn
          ? String(Number(v))
          : v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '-';
    default:
      if (v === null) return '-';
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? '-' : String(Math.floor(v.getTime() / 1000));
      if (v instanceof Uint8Array) return escapeText(new TextDecoder().decode(v));
      return escapeText(JSON.stringify(v) ?? '-');
  }
}

/** Field kinds whose values are numbers. */
const NUMBER_KINDS: ReadonlySet<string> = new Set(['int', 'long', 'port', 'protocol', 'epoch']);
/** What Python writers (pandas `astype(str)`) leave for a missing number in a text column: read as `-`. */
const MISSING_WORDS: ReadonlySet<string> = new Set(['None', 'nan', 'NaN', 'null']);
