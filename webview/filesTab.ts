// The Files tab of a folder analysis (Analyze Folder…): one row per file, in the order they were read, with its
// kind, lines, records, unparsed lines, format, time range and why it was skipped or what was damaged. File names
// are untrusted text (an S3 key can hold anything): they only ever become text nodes or attribute values.
// `fileLabel`/`fileTag` name a hit's or an unparsed line's file in the other tabs; `lineButton` opens its line.
import type { AnalysisSummary, FileFacts } from '../src/shared/summary';
import { clear, fmtBytes, fmtInt, fmtTime, h, plural } from './dom';

const KIND_LABELS: Record<FileFacts['kind'], string> = { plain: 'text', gzip: 'gzip', parquet: 'Parquet' };

/** The file `index` of a folder analysis, as its path (or undefined for a one-input analysis). */
export function fileLabel(summary: AnalysisSummary, index: number | undefined): string | undefined {
  return index === undefined ? undefined : summary.files?.[index]?.path;
}

/** ` of <path>` for an accessible name, or '' for a one-input analysis. */
export function inFile(summary: AnalysisSummary, index: number | undefined): string {
  const path = fileLabel(summary, index);
  return path === undefined ? '' : ` of ${path}`;
}

/**
 * The button that opens line `line` of the input (of file `file` of a folder analysis) in the editor, as the hits,
 * the records and the unparsed lines show it. `about` ends its accessible name; `trigger` names the hit's trigger.
 */
export function lineButton(
  summary: AnalysisSummary,
  line: number,
  file: number | undefined,
  text: string,
  onReveal: (line: number, file?: number) => void,
  extra: { readonly class?: string; readonly trigger?: string; readonly about?: string } = {},
): HTMLElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: extra.class ?? 'link',
      'data-line': line,
      'data-trigger': extra.trigger,
      'data-file': file,
      'aria-label': `Go to line ${line}${inFile(summary, file)}${extra.about !== undefined ? `: ${extra.about}` : ''}`,
    },
    text,
  );
  button.addEventListener('click', () => onReveal(line, file));
  return button;
}

/** The small tag naming a hit's or an unparsed line's file, beside its line button. */
export function fileTag(summary: AnalysisSummary, index: number | undefined): HTMLElement | null {
  const path = fileLabel(summary, index);
  if (path === undefined) return null;
  return h('span', { class: 'file-tag', title: path, 'data-file': index }, shortName(path));
}

/** The last path segment (the object's name): the full path is in the title and the Files tab. */
function shortName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

export function renderFilesTab(panel: HTMLElement, summary: AnalysisSummary | null): void {
  clear(panel);
  const files = summary?.files;
  if (!summary || !files) return;
  const skipped = files.filter((f) => f.skipped !== undefined).length;
  const damaged = files.filter((f) => f.damage !== undefined).length;
  const body = h('tbody');
  files.forEach((f, i) => {
    const note =
      f.skipped !== undefined ? `Skipped: ${f.skipped}` : f.damage !== undefined ? `Damaged: ${f.damage}` : '';
    const range = f.timeRange ? `${fmtTime(f.timeRange.start)} – ${fmtTime(f.timeRange.end)}` : '—';
    body.append(
      h(
        'tr',
        {
          'data-file': i,
          class: f.skipped !== undefined ? 'skipped' : f.damage !== undefined ? 'damaged' : undefined,
        },
        h('th', { scope: 'row', class: 'path', title: f.path }, f.path),
        h('td', null, KIND_LABELS[f.kind]),
        h('td', { class: 'num' }, fmtBytes(f.bytes)),
        h('td', { class: 'num', 'data-lines': f.lines }, fmtInt(f.lines)),
        h('td', { class: 'num', 'data-records': f.records }, fmtInt(f.records)),
        h('td', { class: 'num', 'data-unparsed': f.unparsedLines }, fmtInt(f.unparsedLines)),
        h('td', null, f.format ?? '—'),
        h('td', null, range),
        h('td', { class: note ? 'note-cell warn' : 'note-cell' }, note),
      ),
    );
  });
  const counts = [plural(files.length, 'file')];
  if (skipped > 0) counts.push(`${fmtInt(skipped)} skipped`);
  if (damaged > 0) counts.push(`${fmtInt(damaged)} damaged`);
  panel.append(
    h(
      'section',
      { class: 'card wide', 'data-card': 'files', 'aria-labelledby': 'card-files-title' },
      h('header', null, h('h3', { id: 'card-files-title' }, 'Files ', h('span', { class: 'sub' }, counts.join(', ')))),
      h(
        'div',
        { class: 'table-wrap scroll', tabindex: 0, role: 'region', 'aria-label': 'Files' },
        h(
          'table',
          { class: 'data files' },
          h('caption', { class: 'sr-only' }, 'Every file of the analysis, in the order read'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, 'File'),
              h('th', { scope: 'col' }, 'Kind'),
              h('th', { scope: 'col', class: 'num' }, 'Size'),
              h('th', { scope: 'col', class: 'num' }, 'Lines'),
              h('th', { scope: 'col', class: 'num' }, 'Records'),
              h('th', { scope: 'col', class: 'num' }, 'Unparsed'),
              h('th', { scope: 'col' }, 'Format'),
              h('th', { scope: 'col' }, 'Time range'),
              h('th', { scope: 'col' }, 'Note'),
            ),
          ),
          body,
        ),
      ),
    ),
  );
}
