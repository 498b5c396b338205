// Log and user text is hostile: the one place that decides how the CLI shows it on a terminal and writes it
// into JSON. Both commands and main.ts use these, so an argument, a log line or a format note is shown the
// same way wherever it is echoed. Node only by location, but pure.

/**
 * Characters that could drive a terminal or hide text: C0 controls but tab, DEL, C1 controls, the line and
 * paragraph separators and the bidirectional overrides and isolates.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hexEscape(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Text fit for a terminal: each unsafe character is shown as `\xNN` or `\uNNNN` (ESC becomes `\x1b`). */
export function terminalText(s: string): string {
  TERMINAL_UNSAFE.lastIndex = 0;
  return TERMINAL_UNSAFE.test(s) ? s.replace(TERMINAL_UNSAFE, hexEscape) : s;
}

/**
 * What JSON.stringify leaves raw but a terminal or a JavaScript parser may still trip on: DEL, C1 controls,
 * U+2028 and U+2029 (JSON.stringify already escapes C0 controls and lone surrogates).
 */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON.stringify, with DEL, C1 controls and U+2028/U+2029 escaped as \uNNNN too. */
export function jsonText(value: unknown, indent?: number): string {
  const s = JSON.stringify(value, null, indent);
  JSON_UNSAFE.lastIndex = 0;
  return JSON_UNSAFE.test(s) ? s.replace(JSON_UNSAFE, unicodeEscape) : s;
}

/**
 * A JSON string literal of text[s, e), exactly as jsonText(text.slice(s, e)). Most log values need no
 * escaping (printable ASCII and ordinary Unicode): those are copied after one scan of their characters.
 */
export function jsonString(text: string, s = 0, e = text.length): string {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0x7f && (c <= 0x9f || c === 0x2028 || c === 0x2029)))
      return jsonText(text.slice(s, e));
    if (c >= 0xd800 && c <= 0xdfff) return jsonText(text.slice(s, e)); // a surrogate: JSON.stringify decides
  }
  return `"${s === 0 && e === text.length ? text : text.slice(s, e)}"`;
}
