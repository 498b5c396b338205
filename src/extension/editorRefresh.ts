// Small shared helpers for features that redraw visible editors: debouncing and visible line ranges.
import * as vscode from 'vscode';

/** A per-key debouncer; `dispose` cancels everything pending. */
export class Debouncer<K> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  run(key: K, delay: number, fn: () => void): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, delay),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** The 0-based line ranges [first, last] visible in an editor, widened by `margin` lines and merged. */
export function visibleLineRanges(editor: vscode.TextEditor, margin: number): [number, number][] {
  const last = editor.document.lineCount - 1;
  const ranges = editor.visibleRanges
    .map((r): [number, number] => [Math.max(0, r.start.line - margin), Math.min(last, r.end.line + margin)])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] <= prev[1] + 1) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
