// DOM building for the dashboard. Log text is untrusted: it only ever becomes a Text node or an attribute value
// set with setAttribute (never innerHTML, never a URL attribute).
import { bytesText, countText, DASHBOARD_BYTES, intText, utcText } from '../src/shared/display';

export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  [name: string]: string | number | boolean | undefined;
}

/** Creates an element; string children become text nodes. `class` and aria-/data- attributes are plain attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      if (/^on/i.test(name) || name === 'href' || name === 'src' || name === 'style')
        throw new Error(`refusing attribute ${name}`);
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Integers with thousands separators; Unix seconds as "2014-12-14 04:20:10 UTC" (src/shared/display.ts). */
export const fmtInt = intText;
export const fmtTime = utcText;

export function fmtBytes(n: number): string {
  return bytesText(n, DASHBOARD_BYTES);
}

/** A time-bucket label short enough for an axis. */
export function fmtBucket(t: number, bucketSeconds: number): string {
  const iso = new Date(t * 1000).toISOString();
  if (bucketSeconds >= 86400) return iso.slice(0, 10);
  if (bucketSeconds >= 60) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

/** A count and its noun: "1 record", "2,345 records". */
export const plural = countText;
