// How sizes and times are written for people: the one home for the CLI report, hovers and the dashboard. PURE
// (no imports), so the webview can use it too. Each front end keeps its own style, named here.

/** How a byte count is written. */
export interface ByteStyle {
  /** 1000 (SI) or 1024 (binary). */
  readonly base: number;
  /** Units from bytes up. */
  readonly units: readonly string[];
  /** Digits after the point for a value `v` in a unit above bytes. */
  readonly digits: (v: number) => number;
  /** Plain bytes with thousands separators ("1,023 B"). */
  readonly groupBytes: boolean;
}

/** The CLI report: SI units, "4.25 MB", "42.5 MB", "425 MB". */
export const SI_BYTES: ByteStyle = {
  base: 1000,
  units: ['B', 'KB', 'MB', 'GB', 'TB', 'PB'],
  digits: (v) => (v < 10 ? 2 : v < 100 ? 1 : 0),
  groupBytes: false,
};

/** Hovers: binary units, "4.1 KiB", "42 KiB". */
export const IEC_BYTES: ByteStyle = {
  base: 1024,
  units: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'],
  digits: (v) => (v < 10 ? 1 : 0),
  groupBytes: false,
};

/** The dashboard: binary steps with short unit names, "1,023 B", "4.1 KB", "425 KB". */
export const DASHBOARD_BYTES: ByteStyle = {
  base: 1024,
  units: ['B', 'KB', 'MB', 'GB', 'TB', 'PB'],
  digits: (v) => (v >= 100 ? 0 : 1),
  groupBytes: true,
};

const intFormat = new Intl.NumberFormat('en-US');

/** An integer with thousands separators ("1,234,567"). */
export function intText(n: number): string {
  return intFormat.format(n);
}

/** A count and its noun: "1 record", "2,345 records". */
export function countText(n: number, one: string, many = `${one}s`): string {
  return `${intText(n)} ${n === 1 ? one : many}`;
}

/** A byte count in `style`. */
export function bytesText(n: number, style: ByteStyle): string {
  const units = style.units;
  let v = n;
  let i = 0;
  while (v >= style.base && i < units.length - 1) {
    v /= style.base;
    i++;
  }
  if (i === 0) return `${style.groupBytes ? intText(n) : n} B`;
  return `${v.toFixed(style.digits(v))} ${units[i]}`;
}

/** Unix seconds as ISO-8601 UTC, "2014-12-14T04:06:50Z" (fractions kept when present); the number itself when not a time. */
export function isoSeconds(t: number): string {
  const d = new Date(t * 1000);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString().replace('.000Z', 'Z');
}

/** Unix seconds as "2014-12-14 04:20:10 UTC"; the number itself when not a time. */
export function utcText(t: number): string {
  const d = new Date(t * 1000);
  if (Number.isNaN(d.getTime())) return String(t);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
