// Header lines: a line of field names (as S3 flow-log files start with) sets the format. PURE.
import { FIELDS } from '../fields';
import { makeFormat } from '../format';
import type { FlowFormat } from '../types';

/** The first character (code) that is not a space or tab, or -1. */
export function firstNonBlank(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return c;
  }
  return -1;
}

/**
 * A header line: every token is a field name (and the first one is a known name). Unknown names that look
 * like field names (lower-case, digits, hyphens) are kept, with a note, when most names are known.
 */
export function headerFormat(text: string): FlowFormat | undefined {
  // Quick reject on the first token before splitting the whole line.
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let j = i;
  while (j < text.length && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 9) j++;
  const first = text.slice(i, j);
  // `${version} ${srcaddr} ...`: a format string pasted as the first line reads as a header too.
  const dollar = first.startsWith('${') && first.endsWith('}');
  if (!FIELDS.has(dollar ? first.slice(2, -1) : first)) return undefined;
  const tokens = text.trim().split(/[ \t]+/);
  if (dollar && !tokens.every((t) => t.startsWith('${') && t.endsWith('}'))) return undefined;
  const names = dollar ? tokens.map((t) => t.slice(2, -1)) : tokens;
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const n of names) {
    if (seen.has(n)) return undefined;
    seen.add(n);
    if (!FIELDS.has(n)) {
      if (!/^[a-z][a-z0-9-]*$/.test(n)) return undefined;
      unknown.push(n);
    }
  }
  if (unknown.length * 2 > names.length) return undefined;
  return makeFormat(names, {
    source: 'header',
    confidence: unknown.length ? 0.9 : 1,
    notes: unknown.map((n) => `unknown field '${n}' in the header, read as text`),
  });
}
