// S3 flow-log object names and layouts: what a file's name and path say (account, Region, flow-log id, the
// interval it holds, its kind), and the order a folder of them is read in (time first, then name). PURE: paths
// are plain strings with '/' or '\' separators; nothing here touches a file system.
//
// Layouts AWS writes:
//   AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/<account>_vpcflowlogs_<region>_<flow-log-id>_<yyyymmddTHHmmZ>_<hash>.log.gz
//   AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<hh>/]<same name>
// (Hive-style, with the optional per-hour partition), each object plain text, gzip text, or Apache Parquet.

/** What a file's bytes are expected to be, from its name alone (the bytes themselves have the last word). */
export type ObjectKind = 'plain' | 'gzip' | 'parquet';

/** What a flow-log object's path says about it. */
export interface FlowObjectName {
  /** From the name's extension: `.gz` gzip, `.parquet` Parquet, anything else plain. */
  kind: ObjectKind;
  /** The name follows AWS's `<account>_vpcflowlogs_<region>_<flow-log-id>_<time>_<hash>` pattern. */
  s3Name: boolean;
  /** The folders follow one of AWS's layouts. */
  layout: 's3' | 'hive' | null;
  account?: string;
  region?: string;
  flowLogId?: string;
  /**
   * Unix seconds of the interval the object holds: from the name's `yyyymmddTHHmmZ`, else from the folders'
   * year/month/day[/hour]. Undefined when neither carries a time.
   */
  time?: number;
}

/** `<account>_vpcflowlogs_<region>_<flow-log-id>_<yyyymmddTHHmmZ>_<hash>` and an extension. */
const S3_NAME =
  /^(\d{12}|[a-z0-9-]+)_vpcflowlogs_([a-z0-9-]+)_(fl-[0-9a-z]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_([0-9A-Za-z]+)(?:\.[A-Za-z0-9.]*)?$/;

/** The parts of a path, without empty ones (`a//b/` is `a`, `b`). */
function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '');
}

function utc(y: number, mo: number, d: number, h = 0, mi = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(ms);
  // 2024-02-31 is not a day: Date would roll it over to March.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 1000;
}

/** The kind a file name suggests. */
export function objectKind(name: string): ObjectKind {
  const n = name.toLowerCase();
  if (n.endsWith('.gz') || n.endsWith('.gzip')) return 'gzip';
  if (n.endsWith('.parquet')) return 'parquet';
  return 'plain';
}

/** Whether a file name looks like flow-log data (`.log`, `.log.gz`, `.gz`, `.parquet`, `.txt`, or an S3 object name). */
export function looksLikeFlowLogName(name: string): boolean {
  const base = segments(name).pop() ?? '';
  if (S3_NAME.test(base)) return true;
  return /\.(log|txt|gz|gzip|parquet|vpcflow)$/i.test(base);
}

/** What `path` (a file's path, relative or absolute) says. */
export function parseObjectPath(path: string): FlowObjectName {
  const segs = segments(path);
  const base = segs[segs.length - 1] ?? '';
  const out: FlowObjectName = { kind: objectKind(base), s3Name: false, layout: null };
  const m = S3_NAME.exec(base);
  if (m) {
    out.s3Name = true;
    out.account = m[1];
    out.region = m[2];
    out.flowLogId = m[3];
    out.time = utc(Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), Number(m[8]));
  }
  const dirs = segs.slice(0, -1);

  // Hive-style partitions: key=value folders.
  const hive = new Map<string, string>();
  for (const d of dirs) {
    const eq = d.indexOf('=');
    if (eq > 0) hive.set(d.slice(0, eq).toLowerCase(), d.slice(eq + 1));
  }
  if (hive.has('aws-account-id') || hive.has('aws-region') || (hive.has('year') && hive.has('month'))) {
    out.layout = 'hive';
    out.account ??= hive.get('aws-account-id');
    out.region ??= hive.get('aws-region');
    const y = hive.get('year');
    const mo = hive.get('month');
    const d = hive.get('day');
    const h = hive.get('hour');
    if (out.time === undefined && y !== undefined && /^\d{4}$/.test(y) && mo !== undefined && /^\d{1,2}$/.test(mo)) {
      out.time = utc(
        Number(y),
        Number(mo),
        d !== undefined && /^\d{1,2}$/.test(d) ? Number(d) : 1,
        h !== undefined && /^\d{1,2}$/.test(h) ? Number(h) : 0,
      );
    }
    return out;
  }

  // AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/
  const v = dirs.lastIndexOf('vpcflowlogs');
  if (v >= 1) {
    const region = dirs[v + 1];
    const [y, mo, d] = [dirs[v + 2], dirs[v + 3], dirs[v + 4]];
    out.layout = 's3';
    out.account ??= dirs[v - 1];
    if (region !== undefined) out.region ??= region;
    if (out.time === undefined && y !== undefined && /^\d{4}$/.test(y) && mo !== undefined && /^\d{2}$/.test(mo)) {
      out.time = utc(Number(y), Number(mo), d !== undefined && /^\d{2}$/.test(d) ? Number(d) : 1);
    }
  }
  return out;
}

/** Plain code-unit comparison (stable across locales). */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order a set of inputs is read in: inputs whose path carries a time first, by that time (then by path);
 * the others after them, by path. Returns a new array; `pathOf` says which string of an item is its path.
 */
export function orderByObjectTime<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  const keyed = items.map((item, i) => ({ item, i, path: pathOf(item), time: parseObjectPath(pathOf(item)).time }));
  keyed.sort((a, b) => {
    if (a.time !== undefined && b.time !== undefined && a.time !== b.time) return a.time - b.time;
    if (a.time !== undefined && b.time === undefined) return -1;
    if (a.time === undefined && b.time !== undefined) return 1;
    return byName(a.path, b.path) || a.i - b.i;
  });
  return keyed.map((k) => k.item);
}
