// The hover's "copy the query for every such hit" links: command links to vpcFlow.copyQuery, in a markdown of their
// own that holds no log text (only our trigger names and ids and the document URI, inside the encoded arguments), and
// that is trusted for that one command only.
import * as vscode from 'vscode';
import { queryTargets } from '../core/query';
import { Command } from './commands';

/** Our trigger ids: anything else (never expected) gets no link. */
const SAFE_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** Escapes markdown syntax in our own text (a trigger name), so it stays text inside the link. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&$~]/g, (c) => `\\${c}`);
}

/** The links for the triggers fired that the compiler has queries for, or undefined when there is none. */
export function queryLinks(triggerIds: readonly string[], uri: vscode.Uri): vscode.MarkdownString | undefined {
  const targets = new Map(
    queryTargets().flatMap((t) => (t.kind === 'trigger' && t.engines.length > 0 ? [[t.id, t]] : [])),
  );
  const lines: string[] = [];
  for (const id of triggerIds) {
    const target = targets.get(id);
    if (!target || !SAFE_ID.test(id)) continue;
    const args = encodeURIComponent(JSON.stringify([{ kind: 'trigger', id, uri: uri.toString() }]));
    lines.push(
      `[$(copy) Copy Query for every hit of ${markdownText(target.name)}…](command:${Command.copyQuery}?${args} "Athena, Logs Insights, metric filter or DuckDB, for this log's format")`,
    );
  }
  if (lines.length === 0) return undefined;
  const md = new vscode.MarkdownString(lines.join('  \n'), true);
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: [Command.copyQuery] };
  return md;
}
