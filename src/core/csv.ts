// CSV writing for exports. PURE. RFC 4180 quoting, plus a guard against CSV formula injection: log text is
// attacker-controlled (ecs-service-name, CloudWatch messages ...), and a cell such as `=HYPERLINK(...)` opened in a
// spreadsheet would run as a formula. Such cells get a leading apostrophe, the OWASP recommendation.

/** Characters that make a spreadsheet read a cell as a formula when they come first. */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
/** Plain numbers (counters, ports, epoch seconds) are not formulas, even negative ones. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Neutralises a cell a spreadsheet would evaluate. Plain numbers and the lone `-` that flow logs use for
 * "no value" stay as they are: neither can carry a formula.
 */
export function guardFormula(value: string): string {
  const first = value.charAt(0);
  if (!FORMULA_START.has(first) || value === '-' || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

/** One CSV cell: formula-guarded, then quoted when it holds a quote, comma, CR or LF (quotes doubled). */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = guardFormula(typeof value === 'string' ? value : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row terminated by CRLF (RFC 4180). */
export function csvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
