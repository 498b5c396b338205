// `vpcflow parse --ndjson`: one JSON object per record or unparsed line, written byte by byte into the
// output buffer rather than by JSON.stringify of a fresh object per record. The output is exactly what
// jsonText({ line, fields, tags }) would give: same keys in the same order, same values, the same escaping
// of untrusted text (Output.json falls back to jsonString for anything but plain printable ASCII). Formats
// whose field names an object would reorder or merge (numeric names, duplicates) take the object route.
import { fieldRaw } from '../core/record';
import { recordTags } from '../core/tags';
import type { FlowFormat, FlowRecord, UnparsedLine } from '../core/types';
import type { Output } from './io';
import { jsonText } from './text';

interface Plan {
  /** `"name":` of each field as ASCII bytes, or null when the object route is needed. */
  readonly keys: readonly Uint8Array[] | null;
  /** The same with a leading comma. */
  readonly nextKeys: readonly Uint8Array[];
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const LINE = ascii('{"line":');
const FIELDS = ascii(',"fields":{');
const TAGS = ascii('},"tags":{');
const END = ascii('}}\n');

const plans = new WeakMap<FlowFormat, Plan>();
const tagKeys = new Map<string, string>();

function planOf(format: FlowFormat): Plan {
  let p = plans.get(format);
  if (!p) {
    const names = format.fields;
    // An object would reorder numeric names and merge duplicates; keys are written as ASCII bytes.
    const objectOrder =
      new Set(names).size !== names.length ||
      names.some((n) => /^(0|[1-9][0-9]*)$/.test(n) || !/^[\x20-\x7e]*$/.test(jsonText(n)));
    p = {
      keys: objectOrder ? null : names.map((n) => ascii(`${jsonText(n)}:`)),
      nextKeys: names.map((n) => ascii(`,${jsonText(n)}:`)),
    };
    plans.set(format, p);
  }
  return p;
}

/** `"key":` of a tag, and whether it is ASCII. */
function tagKey(k: string): string {
  let s = tagKeys.get(k);
  if (s === undefined) {
    s = `${jsonText(k)}:`;
    tagKeys.set(k, s);
  }
  return s;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return false;
  return true;
}

/**
 * Writes the record as one NDJSON line: {"line":N,"fields":{...},"tags":{...}} and a newline; with `file`
 * (several inputs), {"file":"...","line":N,...}.
 */
export function writeRecord(out: Output, rec: FlowRecord, file?: string): void {
  const plan = planOf(rec.format);
  const keys = plan.keys;
  const tags = recordTags(rec);
  if (keys === null) {
    const fields: Record<string, string> = {};
    const names = rec.format.fields;
    for (let i = 0; i < names.length; i++) {
      const raw = fieldRaw(rec, i);
      if (raw !== '-') fields[names[i]!] = raw;
    }
    out.add(
      `${jsonText(file !== undefined ? { file, line: rec.line, fields, tags } : { line: rec.line, fields, tags })}\n`,
    );
    return;
  }
  const text = rec.text;
  const bytes = out.latin1(text);
  const sp = rec.spans;
  const nextKeys = plan.nextKeys;
  if (file !== undefined) {
    out.ascii('{"file":');
    out.add(jsonText(file));
    out.ascii(',"line":');
  } else out.bytes(LINE);
  out.uint(rec.line);
  out.bytes(FIELDS);
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const a = sp[2 * i]!;
    const b = sp[2 * i + 1]!;
    if (b - a === 1 && text.charCodeAt(a) === 45) continue; // '-': absent
    out.bytes(first ? keys[i]! : nextKeys[i]!);
    out.jsonLatin1(text, bytes, a, b);
    first = false;
  }
  out.bytes(TAGS);
  let sep = '';
  for (const k in tags) {
    const v = tags[k]!;
    const key = tagKey(k);
    out.ascii(sep);
    if (isAscii(key)) out.ascii(key);
    else out.add(key);
    out.json(v, 0, v.length);
    sep = ',';
  }
  out.bytes(END);
}

/** Writes an unparsed line as one NDJSON line: {"line":N,"error":"..."} (with `file`: {"file":"...","line":N,...}). */
export function writeUnparsed(out: Output, u: UnparsedLine, file?: string): void {
  if (file !== undefined) {
    out.ascii('{"file":');
    out.add(jsonText(file));
    out.ascii(',"line":');
  } else out.ascii('{"line":');
  out.uint(u.line);
  out.ascii(',"error":');
  out.json(u.reason, 0, u.reason.length);
  out.ascii('}\n');
}
