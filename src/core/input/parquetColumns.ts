// One flat Parquet column chunk straight to flow-log tokens. PURE.
//
// hyparquet's row reader assembles every optional column value by value through its general (nested) list
// assembly, the larger part of its reading time on flow logs, whose columns are all optional; a flow log's columns
// are flat, so here the pages are decoded with hyparquet's own page readers and each value goes to its text at
// once: a dictionary's entries are turned into text once, nulls (definition level below the maximum) are `-`.
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

/**
 * The tokens of the `rows` values of a flat column chunk (its bytes in `buffer`) into `out`, each value through
 * `text`. Throws (hyparquet's words, or a short column) on damage.
 */
export function chunkTexts(
  buffer: ArrayBuffer,
  meta: ColumnMetaData,
  schemaPath: SchemaTree[],
  compressors: Compressors,
  rows: number,
  text: (v: unknown) => string,
  out: string[],
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
  const reader = { view: new DataView(buffer), offset: 0 };
  let dictionary: string[] | undefined;
  let row = 0;
  while (row < rows && reader.offset < reader.view.byteLength - 1) {
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    if (!(size >= 0) || reader.offset + size > reader.view.byteLength) throw new Error('page past the column chunk');
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(reader, header, decoder, undefined, undefined, 0);
      const values = convert(data!, decoder);
      dictionary = new Array<string>(values.length);
      for (let i = 0; i < values.length; i++) dictionary[i] = text(values[i]);
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
    const values = dict ? data : convert(data, decoder);
    const n = Math.min(count, rows - row);
    const nullable = defs !== undefined && defs.length > 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (nullable && defs![i] !== maxDef) out[row + i] = '-';
      else if (dict) out[row + i] = dict[values[v++] as number] ?? '-';
      else out[row + i] = text(values[v++]);
    }
    row += count;
  }
  if (row < rows) throw new Error(`the column ${meta.path_in_schema.join('.')} ends after ${row} of ${rows} rows`);
}
