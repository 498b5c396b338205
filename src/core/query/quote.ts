// Identifier quoting and user-value validation for the query printers: every name and value that reaches a
// query's text passes through here. PURE: no vscode, no DOM, no Node built-ins.
//
// User values (table names, S3 locations, file paths, ports, thresholds) are validated and either refused with a
// QueryError or printed through the dialect's own literal syntax; nothing is pasted raw.

/** An invalid user value: the message says which value and why, in one line. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Whether a value holds a control character (C0 or DEL): newlines, tabs, NUL. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

/** The printers' dialects: two SQLs, Hive DDL (Athena's CREATE EXTERNAL TABLE), Logs Insights. */
export type Dialect = 'trino' | 'duckdb' | 'hive' | 'insights';

// Words that must be quoted as identifiers. Trino: its reserved keywords; DuckDB: its reserved keywords (and the
// few type names it refuses as bare column names); Hive DDL: its reserved words.
const TRINO_RESERVED = new Set(
  'alter and as between by case cast constraint create cross cube current_catalog current_date current_path current_role current_schema current_time current_timestamp current_user deallocate delete describe distinct drop else end escape except execute exists extract false for from full grouping group having in inner insert intersect into is join json_array json_exists json_object json_query json_table json_value left like listagg localtime localtimestamp natural normalize not null on or order outer prepare recursive right rollup select skip table then trim true uescape union unnest using values when where with'.split(
    ' ',
  ),
);
const DUCKDB_RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default deferrable desc describe distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing primary qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot using variadic when where window with'.split(
    ' ',
  ),
);
const HIVE_RESERVED = new Set(
  'all alter and array as authorization between bigint binary boolean both by case cast char column conf create cross cube current current_date current_timestamp cursor database date decimal delete describe distinct double drop else end exchange exists extended external false fetch float following for from full function grant group grouping having if import in inner insert int intersect interval into is join lateral left less like local macro map more none not null of on or order out outer over partialscan partition percent preceding preserve procedure range reads reduce revoke right rollup row rows select set smallint table tablesample then timestamp to transform trigger true truncate unbounded union uniquejoin update user using utc_tmestamp values varchar when where window with'.split(
    ' ',
  ),
);

const BARE = /^[a-z_][a-z0-9_]*$/;

/** A column or table identifier as `dialect` must spell it: bare when it may be, else quoted. */
export function ident(dialect: Dialect, name: string): string {
  if (hasControl(name) || /[`"]/.test(name))
    throw new QueryError(`identifier ${JSON.stringify(name)}: control characters and quotes are not allowed`);
  switch (dialect) {
    case 'trino':
      return BARE.test(name) && !TRINO_RESERVED.has(name) ? name : `"${name}"`;
    case 'duckdb':
      return BARE.test(name) && !DUCKDB_RESERVED.has(name) ? name : `"${name}"`;
    case 'hive':
      return BARE.test(name) && !HIVE_RESERVED.has(name) ? name : `\`${name}\``;
    case 'insights':
      // Logs Insights: letters, digits, underscores, dots and @ need no quoting; anything else goes in backticks.
      return /^@?[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `\`${name}\``;
  }
}

/** A string literal in SQL (single quotes doubled). Control characters are refused. */
export function sqlString(value: string): string {
  if (hasControl(value))
    throw new QueryError(`${JSON.stringify(value)}: control characters (newlines, tabs) are not allowed in a value`);
  return `'${value.replace(/'/g, "''")}'`;
}

/** A table name: `name` or `database.name`, letters, digits and underscores, starting with a letter or underscore. */
export function checkTableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}(\.[A-Za-z_][A-Za-z0-9_]{0,127})?$/.test(name)) {
    throw new QueryError(
      `table name ${JSON.stringify(name)}: use letters, digits and underscores only (optionally database.table), starting with a letter; quotes, semicolons, spaces and newlines are refused`,
    );
  }
  return name.toLowerCase();
}

/** An S3 location `s3://bucket/prefix/`, returned with a trailing slash. */
export function checkLocation(location: string): string {
  if (hasControl(location) || /['"`;\\\s]/.test(location)) {
    throw new QueryError(
      `location ${JSON.stringify(location)}: quotes, semicolons, backslashes, spaces and newlines are refused; expected s3://bucket/prefix/`,
    );
  }
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9!_.*()=+&@:,$/-]*)?$/.exec(location);
  if (m === null) {
    throw new QueryError(
      `location ${JSON.stringify(location)}: expected s3://bucket/prefix/ (a lower-case bucket name, then a key prefix of letters, digits and !-_.*()=+&@:,$/)`,
    );
  }
  return location.endsWith('/') ? location : `${location}/`;
}

/** A local path (file, folder or glob) for DuckDB: control characters refused, quotes doubled by sqlString. */
export function checkPath(path: string): string {
  if (path === '' || hasControl(path)) {
    throw new QueryError(
      `path ${JSON.stringify(path)}: empty paths and control characters (newlines, tabs) are refused`,
    );
  }
  return path;
}

/** An integer in [min, max] (ports, thresholds, windows), or a QueryError naming `what`. */
export function checkInt(what: string, v: number, min: number, max: number): number {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new QueryError(`${what}: ${String(v)} is not an integer from ${min} to ${max}`);
  }
  return v;
}
