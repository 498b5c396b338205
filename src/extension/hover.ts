// Hover on any token of a flow-log line: the field, its decoded value, the record's class, tags and triggers.
// Log text is untrusted: it only ever goes through `appendText` (escaped), never as markdown, never trusted. The one
// trusted part is a separate markdown with no log text: the "copy the query" links of the triggers fired (queryLinks.ts).
import * as vscode from 'vscode';
import { eventClass, recordTriggers } from '../core/analysis/analyzer';
import { mitreText, triggerDef, type MitreMapping } from '../core/analysis/triggers';
import { describeValue, durationText, flowDuration, tcpFlagNames } from '../core/decode';
import { fieldDef } from '../core/fields';
import { fieldValue, metadataWarnings } from '../core/record';
import { recordTags } from '../core/tags';
import type { FlowRecord } from '../core/types';
import type { Config } from './config';
import { queryLinks } from './queryLinks';
import {
  LANGUAGE_ID,
  LineFlag,
  isCancelled,
  recordAt,
  triggersOf,
  type DocumentAnalyses,
  type LineData,
} from './documentAnalysis';

const SAFE_NAME = /^[a-z0-9-]+$/;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Appends untrusted text: markdown syntax and theme icons escaped by appendText, HTML characters as entities, so
 * log content can never become a link, a command, an icon or markup.
 */
function appendLogText(md: vscode.MarkdownString, text: string): void {
  md.appendText(text.replace(/[<>&]/g, (c) => ENTITIES[c] ?? c));
}

/** Our own catalogue names only reach markdown; anything else is escaped. */
function appendName(md: vscode.MarkdownString, name: string): void {
  if (SAFE_NAME.test(name)) md.appendMarkdown(`**${name}**`);
  else appendLogText(md, name);
}

function appendFieldTitle(md: vscode.MarkdownString, name: string): void {
  const def = fieldDef(name);
  appendName(md, name);
  if (def) {
    md.appendMarkdown(` · v${def.version}${def.family === 'tgw' ? ' (Transit Gateway)' : ''} · `);
    appendLogText(md, def.description);
    md.appendMarkdown('\n\n');
  } else {
    md.appendMarkdown('\n\n');
  }
}

/** The token index under `character` (offset in the record text), or -1. */
function tokenAt(rec: FlowRecord, character: number): number {
  const n = rec.spans.length / 2;
  for (let i = 0; i < n; i++) {
    const s = rec.spans[i * 2] ?? 0;
    const e = rec.spans[i * 2 + 1] ?? 0;
    if (character >= s && character <= e && e > s) return i;
  }
  return -1;
}

function duration(rec: FlowRecord): string | undefined {
  const start = fieldValue(rec, 'start');
  const end = fieldValue(rec, 'end');
  if (start === undefined || end === undefined) return undefined;
  const seconds = flowDuration(start, end);
  return seconds === undefined || seconds < 0 ? undefined : durationText(seconds);
}

type Fired = Map<string, { label: string; actionable: boolean; mitre: string | null }>;

/** The triggers a record fired (per record, and the stateful hits of the document's analysis), by id. */
function firedTriggers(rec: FlowRecord, analysis: LineData): Fired {
  const fired: Fired = new Map();
  const add = (id: string, actionable: boolean, mitre: MitreMapping | null): void => {
    if (!fired.has(id))
      fired.set(id, { label: triggerDef(id)?.label ?? id, actionable, mitre: mitre ? mitreText(mitre) : null });
  };
  for (const t of recordTriggers(rec, analysis.analysisConfig)) add(t.id, t.actionable, t.mitre);
  for (const t of triggersOf(analysis.triggerMasks?.[rec.line] ?? 0)) add(t.id, t.actionable, t.mitre);
  return fired;
}

/** Builds the hover text of one record token. Exported for tests and the benchmark. */
export function recordHover(rec: FlowRecord, token: number, analysis: LineData): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.supportHtml = false;
  md.isTrusted = false;
  // Set before any appendText, so `$(icon)` in log text is escaped rather than drawn.
  md.supportThemeIcons = true;
  const name = rec.format.fields[token] ?? '?';
  const raw = rec.text.slice(rec.spans[token * 2] ?? 0, rec.spans[token * 2 + 1] ?? 0);
  appendFieldTitle(md, name);

  md.appendMarkdown('Value: ');
  appendLogText(md, raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
  const decoded = describeValue(name, raw);
  if (decoded && decoded !== raw) {
    md.appendMarkdown(' — ');
    appendLogText(md, decoded);
  }
  if (name === 'tcp-flags') {
    const names = tcpFlagNames(raw);
    if (names.length) appendLogText(md, ` · flags set: ${names.join(', ')}`);
  }
  if (name === 'start' || name === 'end') {
    const d = duration(rec);
    if (d) appendLogText(md, ` · flow lasted ${d}`);
  }
  // A best-effort metadata value that failed its check: the record is kept, the value flagged.
  for (const w of metadataWarnings(rec)) {
    md.appendMarkdown('\n\n$(warning) ');
    appendLogText(md, `${w.reason} (metadata is best-effort: the flow is kept, this value is not used)`);
  }
  md.appendMarkdown('\n\n---\n\n');

  // Each trigger on one line: its short label, its id, and the MITRE technique behind it.
  const fired = firedTriggers(rec, analysis);
  if (fired.size) {
    for (const [id, t] of fired) {
      md.appendMarkdown(t.actionable ? '$(warning) ' : '$(info) ');
      appendLogText(md, `${t.label} · ${id}`);
      const mitre = t.mitre ?? (triggerDef(id)?.flags.derived ? mitreOfRecord(fired) : null);
      if (mitre) appendLogText(md, ` · MITRE ATT&CK ${mitre}`);
      const hint = triggerDef(id)?.hint;
      if (hint) {
        md.appendMarkdown('  \n');
        appendLogText(md, hint);
      }
      md.appendMarkdown('  \n');
    }
  } else {
    md.appendMarkdown('No trigger fired.');
  }
  md.appendMarkdown('\n\n');
  const cls = eventClass(rec);
  appendLogText(md, cls ? `${cls[0]?.toUpperCase() ?? ''}${cls.slice(1)} event` : 'No event class');
  const tags = Object.entries(recordTags(rec));
  if (tags.length) appendLogText(md, ` · tags: ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  md.appendMarkdown('\n');

  return md;
}

/** The MITRE mapping behind a derived trigger (mitre-threat): that of the first MITRE-mapped trigger the record fired. */
function mitreOfRecord(fired: ReadonlyMap<string, { mitre: string | null }>): string | null {
  for (const [id, t] of fired) if (!triggerDef(id)?.flags.derived && t.mitre) return t.mitre;
  return null;
}

/** The hover of `vpcflow` documents; registers itself, and disposing it unregisters it. */
export class FlowHoverProvider implements vscode.HoverProvider, vscode.Disposable {
  private readonly answered = new vscode.EventEmitter<number>();
  private readonly registration: vscode.Disposable;
  /** Fires after each hover request with the time it took, in ms, inside the extension host. */
  readonly onDidProvideHover = this.answered.event;

  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly config: Config,
  ) {
    this.registration = vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, this);
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const started = performance.now();
    try {
      return await this.hover(document, position, token);
    } finally {
      this.answered.fire(performance.now() - started);
    }
  }

  private async hover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (!this.config.current.hoverEnabled) return undefined;
    const line = position.line + 1;
    let analysis: LineData | undefined = this.analyses.lineData(document.uri);
    // A running first analysis answers for the lines it has covered; otherwise wait for it.
    if (!analysis || (!analysis.complete && line > analysis.linesDone - 500)) {
      try {
        analysis = await this.analyses.analyze(document, token);
      } catch (e) {
        if (!isCancelled(e)) throw e;
        analysis = this.analyses.get(document.uri);
      }
    }
    if (!analysis || token.isCancellationRequested) return undefined;
    const lineText = document.lineAt(position.line).text;
    const flags = analysis.flags[line] ?? 0;

    if (flags & LineFlag.Header) return this.headerHover(analysis, line, lineText, position);
    if (flags & LineFlag.Unparsed) {
      const reason = analysis.unparsedReasons.get(line);
      const md = new vscode.MarkdownString();
      md.appendMarkdown('**Not a flow record** — ');
      appendLogText(md, reason ?? 'this line could not be parsed');
      return new vscode.Hover(md);
    }
    const found = recordAt(analysis, line, lineText);
    if (!found) {
      if (flags & LineFlag.Record && (analysis.offsets?.[line] ?? 0) < 0) {
        // Base64/gzip payloads and escaped JSON strings: the records are not verbatim in the text.
        const md = new vscode.MarkdownString();
        md.appendMarkdown(
          '**Encoded flow records** — this line holds records that are base64/gzip-encoded or escaped, so their fields cannot be pointed at in the text. Run **VPC Flow: Analyze VPC Flow** to see them.',
        );
        return new vscode.Hover(md);
      }
      return undefined;
    }
    const index = tokenAt(found.record, position.character - found.offset);
    if (index < 0) return undefined;
    const s = found.record.spans[index * 2] ?? 0;
    const e = found.record.spans[index * 2 + 1] ?? 0;
    const range = new vscode.Range(position.line, found.offset + s, position.line, found.offset + e);
    const text = recordHover(found.record, index, analysis);
    // The query links live in a markdown of their own, with no log text in it: the only trusted part.
    const links = queryLinks([...firedTriggers(found.record, analysis).keys()], document.uri);
    return new vscode.Hover(links ? [text, links] : text, range);
  }

  private headerHover(
    analysis: LineData,
    line: number,
    lineText: string,
    position: vscode.Position,
  ): vscode.Hover | undefined {
    const format = analysis.formats[(analysis.formatIds[line] ?? 0) - 1];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    let index = 0;
    while ((m = re.exec(lineText))) {
      const start = m.index;
      const end = start + m[0].length;
      if (position.character >= start && position.character <= end) {
        const name = format?.fields[index] ?? m[0].replace(/^\$\{|\}$/g, '');
        const md = new vscode.MarkdownString();
        md.appendMarkdown('Header · ');
        appendFieldTitle(md, name);
        return new vscode.Hover(md, new vscode.Range(position.line, start, position.line, end));
      }
      index++;
    }
    return undefined;
  }

  dispose(): void {
    this.registration.dispose();
    this.answered.dispose();
  }
}
