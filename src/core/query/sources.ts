// Where the SQL queries read the raw fields: an Athena table (with its CREATE EXTERNAL TABLE), or DuckDB's
// read_csv / read_parquet over local files, folders and globs. PURE: no vscode, no DOM, no Node built-ins.

import { FIELDS } from '../fields';
import type { FlowFormat } from '../types';
import { columnName, sqlComment, type SqlSource } from './sql';
import { checkLocation, checkPath, checkTableName, ident, QueryError, sqlString } from './quote';

/** The Hive/Athena type of a field (AWS's Parquet types: int, bigint or string). */
export function hiveType(field: string): 'int' | 'bigint' | 'string' {
  const kind = FIELDS.get(field)?.kind;
  switch (kind) {
    case 'int':
    case 'port':
    case 'protocol':
      return 'int';
    case 'long':
    case 'epoch':
      return 'bigint';
    default:
      return 'string';
  }
}

export const DEFAULT_TABLE = 'vpc_flow_logs';

/** The Athena source: the table, with Athena's hidden "$path" naming each row's file. */
export function athenaSource(format: FlowFormat, tableName: string | undefined): SqlSource {
  const name = checkTableName(tableName ?? DEFAULT_TABLE);
  return {
    from: name
      .split('.')
      .map((p) => ident('trino', p))
      .join('.'),
    fields: format.fields,
    line: null,
    file: '"$path"',
  };
}

export interface AthenaTableOptions {
  readonly format: FlowFormat;
  readonly tableName?: string;
  readonly location?: string;
  readonly partitioned?: 's3' | 'hive';
  readonly parquet?: boolean;
}

/**
 * CREATE EXTERNAL TABLE for the log's format: text (space-delimited, the format's own column order, the header line
 * skipped) or Parquet (AWS's underscore column names), with partition projection for the S3 layout
 * (AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd) or the Hive-compatible one (…/year=/month=/day=/hour=).
 */
export function athenaTable(o: AthenaTableOptions): string {
  const name = checkTableName(o.tableName ?? DEFAULT_TABLE);
  const location = checkLocation(o.location ?? 's3://amzn-s3-demo-bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1/');
  const cols = o.format.fields.map((f) => `  ${ident('hive', columnName(f))} ${hiveType(f)}`);
  const lines: string[] = [];
  lines.push(
    sqlComment([
      `Athena table for VPC flow logs in the format: ${o.format.fields.join(' ')}`,
      o.parquet
        ? 'Parquet files (AWS column names with underscores).'
        : 'Text files: space-delimited, the first line of each file (the header) skipped.',
      ...(o.location === undefined
        ? ['Replace the example LOCATION with your bucket and prefix (--location s3://…).']
        : []),
    ]),
  );
  const props: [string, string][] = [];
  let partition = '';
  let loc = location;
  if (o.partitioned === 's3') {
    if (!/\/AWSLogs\/[0-9]{12}\/vpcflowlogs\/[a-z0-9-]+\/$/.test(location)) {
      lines.push(
        sqlComment([
          'The S3 layout is AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/: LOCATION should end in …/vpcflowlogs/<region>/.',
        ]),
      );
    }
    partition = 'PARTITIONED BY (`day` string)';
    props.push(
      ['projection.enabled', 'true'],
      ['projection.day.type', 'date'],
      ['projection.day.format', 'yyyy/MM/dd'],
      ['projection.day.range', '2015/01/01,NOW'],
      ['projection.day.interval', '1'],
      ['projection.day.interval.unit', 'DAYS'],
      ['storage.location.template', `${location}\${day}`],
    );
  } else if (o.partitioned === 'hive') {
    partition = 'PARTITIONED BY (`year` string, `month` string, `day` string, `hour` string)';
    props.push(
      ['projection.enabled', 'true'],
      ['projection.year.type', 'integer'],
      ['projection.year.range', '2015,2100'],
      ['projection.month.type', 'integer'],
      ['projection.month.range', '1,12'],
      ['projection.month.digits', '2'],
      ['projection.day.type', 'integer'],
      ['projection.day.range', '1,31'],
      ['projection.day.digits', '2'],
      ['projection.hour.type', 'integer'],
      ['projection.hour.range', '0,23'],
      ['projection.hour.digits', '2'],
      ['storage.location.template', `${location}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`],
    );
  } else if (o.partitioned !== undefined) {
    throw new QueryError(`partitioned: expected s3 or hive, got ${JSON.stringify(o.partitioned)}`);
  }
  if (!o.parquet) props.unshift(['skip.header.line.count', '1']);
  if (o.partitioned !== undefined) loc = location;
  lines.push(
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${name
      .split('.')
      .map((p) => ident('hive', p))
      .join('.')} (`,
  );
  lines.push(cols.join(',\n'));
  lines.push(')');
  if (partition) lines.push(partition);
  if (o.parquet) lines.push('STORED AS PARQUET');
  else lines.push("ROW FORMAT DELIMITED\nFIELDS TERMINATED BY ' '");
  lines.push(`LOCATION ${sqlString(loc)}`);
  if (props.length > 0) {
    lines.push(`TBLPROPERTIES (\n${props.map(([k, v]) => `  ${sqlString(k)} = ${sqlString(v)}`).join(',\n')}\n);`);
  } else lines[lines.length - 1] += ';';
  return lines.join('\n');
}

export interface DuckdbSourceOptions {
  readonly format: FlowFormat;
  /** A file, a folder (read as <folder>/**), or a glob; several: a list. */
  readonly from: string | readonly string[];
  readonly parquet?: boolean;
  /** Whether each text file starts with a header line (skipped). */
  readonly header: boolean;
  readonly hive?: boolean;
}

/** DuckDB's read_csv / read_parquet over the input, numbering each row's line in its file as the analyzer does. */
export function duckdbSource(o: DuckdbSourceOptions): SqlSource {
  const paths = (typeof o.from === 'string' ? [o.from] : o.from).map(checkPath);
  if (paths.length === 0) throw new QueryError('no input path given');
  const list = paths.length === 1 ? sqlString(paths[0]!) : `[${paths.map(sqlString).join(', ')}]`;
  const hive = o.hive ? ', hive_partitioning = true' : '';
  if (o.parquet) {
    return {
      from: `read_parquet(${list}, filename = true, file_row_number = true${hive})`,
      fields: o.format.fields,
      // The analyzer reads a Parquet file as text: its header line is line 1, row 0 line 2.
      line: 'file_row_number + 2',
      file: 'filename',
    };
  }
  // Each line as one value (chr(1) never occurs in a flow log), split on runs of spaces and tabs as the analyzer's
  // scanner does: doubled spaces and tabs keep the fields in place. Blank lines are numbered, then left out.
  const read = `read_csv(${list}, delim = chr(1), header = ${o.header ? 'true' : 'false'}, quote = '', escape = '', auto_detect = false, columns = {'record': 'VARCHAR'}, filename = true${hive})`;
  const numbered = `SELECT *, row_number() OVER () AS row_seq FROM ${read}`;
  const first = `SELECT *, min(row_seq) OVER (PARTITION BY filename) AS file_first_seq FROM (${numbered}) numbered`;
  const split = `string_split_regex(regexp_replace(record, '^[ \\t\\r]+|[ \\t\\r]+$', '', 'g'), '[ \\t]+')`;
  return {
    from: `(SELECT *, ${split} AS tokens FROM (${first}) firsts WHERE regexp_matches(record, '[^ \\t\\r]')) input`,
    fields: o.format.fields,
    column: (field) => `tokens[${o.format.fields.indexOf(field) + 1}]`,
    line: `row_seq - file_first_seq + ${o.header ? 2 : 1}`,
    file: 'filename',
  };
}
