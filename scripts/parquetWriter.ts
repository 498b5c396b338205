// Writes flow-log records as an Apache Parquet file in AWS's schema (tests and benches): one column per field, named
// with underscores (`account_id`, `log_status`), INT32 for the small integers (version, ports, protocol, tcp_flags,
// traffic_path), INT64 for counters and times, STRING for the rest (the types come from the catalogue's kinds, as
// AWS's field table gives them), `-` written as null, gzip compression by default (as AWS writes them).
// Uses hyparquet-writer (a devDependency) and node:zlib. Not shipped.
import { gzipSync } from 'node:zlib';
import { fileWriter, ParquetWriter, parquetWriteFile, schemaFromColumnData, type ColumnSource } from 'hyparquet-writer';
import { FIELDS, normaliseFieldName } from '../src/core/fields';

export type ParquetColumnType = 'STRING' | 'INT32' | 'INT64';

export interface FlowParquetOptions {
  /** Rows per row group (default 100,000; AWS's files hold several). */
  rowGroupSize?: number;
  compression?: 'GZIP' | 'SNAPPY' | 'UNCOMPRESSED';
  /** Column types for names the catalogue does not have (extra columns; default STRING), or to override one. */
  types?: Readonly<Record<string, ParquetColumnType>>;
}

/** The Parquet type AWS gives a catalogue field (STRING for a name that is not one). */
export function awsParquetType(field: string): ParquetColumnType {
  const def = FIELDS.get(normaliseFieldName(field));
  switch (def?.kind) {
    case 'int':
    case 'port':
    case 'protocol':
      return 'INT32';
    case 'long':
    case 'epoch':
      return 'INT64';
    default:
      return 'STRING';
  }
}

/** The Parquet column name AWS uses for a field (`log-status` -> `log_status`); other names are kept. */
export function awsColumnName(field: string): string {
  const norm = normaliseFieldName(field);
  return FIELDS.has(norm) ? norm.replace(/-/g, '_') : field;
}

/** The columns of `rows` (one string per field, `-` for none) in AWS's schema. */
export function flowColumns(
  fields: readonly string[],
  rows: readonly (readonly string[])[],
  options: FlowParquetOptions = {},
): ColumnSource[] {
  return fields.map((field, c) => {
    const type = options.types?.[field] ?? awsParquetType(field);
    const data = new Array<string | number | bigint | null>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![c];
      if (v === undefined || v === '-') data[r] = null;
      else if (type === 'STRING') data[r] = v;
      else {
        if (!/^-?\d+$/.test(v)) throw new Error(`row ${r + 1}, ${field}: '${v}' is not an integer (${type})`);
        data[r] = type === 'INT64' ? BigInt(v) : Number(v);
      }
    }
    return { name: awsColumnName(field), data, type, nullable: true };
  });
}

/**
 * Writes `rows` (one string per field, `-` for none) as a Parquet file at `path`, in AWS's schema. `fields` are
 * catalogue names (hyphens or underscores) or extra column names (written as they are).
 */
export function writeFlowParquet(
  path: string,
  fields: readonly string[],
  rows: readonly (readonly string[])[],
  options: FlowParquetOptions = {},
): void {
  const codec = options.compression ?? 'GZIP';
  parquetWriteFile({
    filename: path,
    columnData: flowColumns(fields, rows, options),
    codec,
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
    rowGroupSize: options.rowGroupSize ?? 100_000,
    createdBy: 'vpc-flow-explorer test writer',
  });
}

/**
 * writeFlowParquet for many rows without holding them all: `rows` is read one row group at a time (the bench's
 * million rows). Same schema and options.
 */
export function writeFlowParquetStream(
  path: string,
  fields: readonly string[],
  rows: Iterable<readonly string[]>,
  options: FlowParquetOptions = {},
): void {
  const size = options.rowGroupSize ?? 100_000;
  const writer = fileWriter(path);
  let pq: ParquetWriter | undefined;
  let group: (readonly string[])[] = [];
  const flush = (): void => {
    const columnData = flowColumns(fields, group, options);
    pq ??= new ParquetWriter({
      writer,
      schema: schemaFromColumnData({ columnData }),
      codec: options.compression ?? 'GZIP',
      compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
      createdBy: 'vpc-flow-explorer test writer',
    });
    void pq.write({ columnData, rowGroupSize: size });
    group = [];
  };
  for (const row of rows) {
    group.push(row);
    if (group.length >= size) flush();
  }
  if (group.length > 0 || pq === undefined) flush();
  void pq!.finish();
}
