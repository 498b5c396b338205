// Small text helpers the core shares (suggestions for mistyped names, the text of an error). PURE.

/** Levenshtein distance between `a` and `b` (UTF-16 units). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** What went wrong, as text: an Error's message, or whatever else was thrown, as a string. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
