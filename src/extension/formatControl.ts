// "VPC Flow: Set Log Format…": auto, default v2, all fields alphabetical, or a custom format string validated as
// you type. Remembered per document; re-analyses at once (hovers, labels and diagnostics follow).
import * as vscode from 'vscode';
import { formatString, parseFormat } from '../core/format';
import { Command } from './commands';
import { LANGUAGE_ID, type DocumentAnalyses } from './documentAnalysis';

interface FormatPick extends vscode.QuickPickItem {
  readonly value: 'auto' | 'default' | 'alphabetical' | 'custom';
}

/** The error to show for a custom format, or undefined when it is valid. */
export function validateCustomFormat(value: string): string | undefined {
  if (value.trim() === '') return 'Type the field names, e.g. ${version} ${account-id} ${interface-id} …';
  const r = parseFormat(value);
  return r.ok ? undefined : r.error;
}

export function registerFormatControl(analyses: DocumentAnalyses): vscode.Disposable {
  return vscode.commands.registerCommand(
    Command.setFormat,
    async (format?: unknown, target?: unknown): Promise<string | undefined> => {
      const uri =
        target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.parse(target) : undefined;
      const document = uri
        ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
        : vscode.window.activeTextEditor?.document;
      if (!document) {
        void vscode.window.showInformationMessage('VPC Flow: open a flow log first.');
        return undefined;
      }
      let chosen = typeof format === 'string' ? format.trim() : undefined;
      if (chosen !== undefined && chosen !== '' && chosen !== 'auto') {
        const error = validateCustomFormat(chosen);
        if (error) {
          void vscode.window.showErrorMessage(`VPC Flow: ${error}`);
          return undefined;
        }
      }
      if (chosen === undefined) chosen = await pickFormat(analyses, document);
      if (chosen === undefined) return undefined;
      if (document.languageId !== LANGUAGE_ID) {
        await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
      }
      const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === document.uri.toString());
      if (current) await analyses.setFormatOverride(current, chosen);
      return chosen === '' ? 'auto' : chosen;
    },
  );
}

async function pickFormat(analyses: DocumentAnalyses, document: vscode.TextDocument): Promise<string | undefined> {
  const current = analyses.formatOverride(document.uri) || 'auto';
  const items: FormatPick[] = [
    {
      value: 'auto',
      label: 'Auto',
      description: 'header line, then default v2, then all fields (alphabetical), then inference',
    },
    { value: 'default', label: 'Default v2', description: '14 fields: version account-id interface-id srcaddr …' },
    { value: 'alphabetical', label: 'All fields (alphabetical)', description: '29 fields of v2–v5 in name order' },
    { value: 'custom', label: 'Custom format string…', description: '${version} ${vpc-id} ${srcaddr} …' },
  ];
  for (const item of items) {
    if (item.value === current || (item.value === 'custom' && !['auto', 'default', 'alphabetical'].includes(current))) {
      item.detail = 'current choice for this file';
    }
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: 'VPC Flow: Set Log Format',
    placeHolder: 'A header line in the file always wins',
  });
  if (!pick) return undefined;
  if (pick.value !== 'custom') return pick.value;
  const analysis = analyses.get(document.uri);
  return vscode.window.showInputBox({
    title: 'VPC Flow: custom log format',
    prompt: 'Field names in file order, as in the flow log\'s "Log record format" (${name} or plain names)',
    value: analysis ? formatString(analysis.format) : '',
    validateInput: validateCustomFormat,
    ignoreFocusOut: true,
  });
}
