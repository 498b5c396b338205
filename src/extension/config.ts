// Reads every `vpcFlow.*` setting into a plain typed snapshot and tells features when it changes.
import * as vscode from 'vscode';
import { resolveAnalysisConfig, validateAnalysisConfig, type AnalysisConfig } from '../core/analysis/config';

export type FieldLabelsMode = 'cursorLine' | 'all' | 'off';
export const FIELD_LABEL_MODES: readonly FieldLabelsMode[] = ['cursorLine', 'all', 'off'];
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface ConfigSnapshot {
  readonly autoDetect: boolean;
  readonly hoverEnabled: boolean;
  readonly fieldLabels: FieldLabelsMode;
  readonly diagnostics: { readonly severity: SeverityName; readonly maxCount: number };
  /** The analysis configuration (defaults merged with the valid part of the user's trigger settings). */
  readonly analysis: AnalysisConfig;
  readonly analysisErrors: readonly string[];
}

const SECTION = 'vpcFlow';

function readEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function readNumber(value: unknown, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConfigSnapshot>();
  private readonly formatEmitter = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  private log: vscode.LogOutputChannel | undefined;
  private lastReportedErrors = '';
  /** Fires with the new snapshot after any `vpcFlow.*` setting changed. */
  readonly onDidChange = this.emitter.event;
  /** Fires when `vpcFlow.format` changed for any folder (read it again with `formatFor`). */
  readonly onDidChangeFormat = this.formatEmitter.event;
  current: ConfigSnapshot;

  constructor(log?: vscode.LogOutputChannel) {
    this.log = log;
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.current = this.read();
      if (e.affectsConfiguration(`${SECTION}.format`)) this.formatEmitter.fire();
      this.emitter.fire(this.current);
    });
  }

  /** Log configuration problems to this channel from now on (the channel is created after the Config). */
  attachLog(log: vscode.LogOutputChannel): void {
    this.log = log;
    if (this.current.analysisErrors.length)
      log.warn(`invalid trigger settings: ${this.current.analysisErrors.join('; ')}`);
  }

  /** `vpcFlow.format` for the folder of `uri`: '' (auto), 'default', 'alphabetical' or a format string. */
  formatFor(uri: vscode.Uri | undefined): string {
    const value = vscode.workspace.getConfiguration(SECTION, uri).get<unknown>('format');
    return typeof value === 'string' ? value.trim() : '';
  }

  private read(): ConfigSnapshot {
    const c = vscode.workspace.getConfiguration(SECTION);
    // Raw values go to the core's validator, so an out-of-range or mistyped value is reported, not silently replaced.
    const portScan: Record<string, unknown> = {};
    for (const key of ['distinctPorts', 'distinctHosts', 'windowSeconds']) {
      const v = c.get<unknown>(`triggers.portScan.${key}`);
      if (v !== undefined && v !== null) portScan[key] = v;
    }
    const raw: Record<string, unknown> = { portScan };
    const ports = c.get<unknown>('triggers.ports');
    if (ports !== undefined && ports !== null) raw.ports = ports;
    const result = validateAnalysisConfig(raw);
    const analysis = result.ok ? result.config : resolveAnalysisConfig(raw);
    const analysisErrors = result.ok ? [] : result.errors;
    this.reportErrors(analysisErrors);
    return {
      autoDetect: c.get<unknown>('autoDetect') !== false,
      hoverEnabled: c.get<unknown>('hover.enabled') !== false,
      fieldLabels: readEnum(c.get('fieldLabels'), FIELD_LABEL_MODES, 'cursorLine'),
      diagnostics: {
        severity: readEnum(
          c.get('diagnostics.severity'),
          ['error', 'warning', 'information', 'hint'] as const,
          'warning',
        ),
        maxCount: Math.floor(readNumber(c.get('diagnostics.maxCount'), 500, 1)),
      },
      analysis,
      analysisErrors,
    };
  }

  private reportErrors(errors: readonly string[]): void {
    const key = errors.join('\n');
    if (key === this.lastReportedErrors) return;
    this.lastReportedErrors = key;
    if (errors.length === 0) return;
    const text = `VPC Flow: invalid trigger settings (the defaults are used for those): ${errors.join('; ')}`;
    this.log?.warn(text);
    void vscode.window.showWarningMessage(text);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
    this.formatEmitter.dispose();
  }
}
