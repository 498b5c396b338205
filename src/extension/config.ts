// Reads every `vpcFlow.*` setting into a plain typed snapshot and tells features when it changes.
import * as vscode from 'vscode';

export type FieldLabelsMode = 'cursorLine' | 'all' | 'off';
export const FIELD_LABEL_MODES: readonly FieldLabelsMode[] = ['cursorLine', 'all', 'off'];
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

/** The trigger settings as the user wrote them (validated by the core before use). */
export interface TriggerSettings {
  readonly portScan: { readonly distinctPorts: number; readonly distinctHosts: number; readonly windowSeconds: number };
  readonly ports: Readonly<Record<string, unknown>>;
}

export interface ConfigSnapshot {
  readonly autoDetect: boolean;
  readonly hoverEnabled: boolean;
  readonly fieldLabels: FieldLabelsMode;
  readonly diagnostics: { readonly severity: SeverityName; readonly maxCount: number };
  readonly triggers: TriggerSettings;
  /**
   * The analysis configuration overrides the core accepts (validated; `{}` when the user's overrides are invalid,
   * in which case `analysisErrors` says why).
   */
  readonly analysis: Readonly<Record<string, unknown>>;
  readonly analysisErrors: readonly string[];
}

/** A validator for trigger overrides (the core's `validateAnalysisConfig`), injected so this file stays core-agnostic. */
export type AnalysisValidator = (input: unknown) => { ok: true; config: unknown } | { ok: false; errors: string[] };

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
  private validator: AnalysisValidator | undefined;
  private lastReportedErrors = '';
  /** Fires with the new snapshot after any `vpcFlow.*` setting changed. */
  readonly onDidChange = this.emitter.event;
  /** Fires when `vpcFlow.format` changed for any folder (read it again with `formatFor`). */
  readonly onDidChangeFormat = this.formatEmitter.event;
  current: ConfigSnapshot;

  constructor(private readonly log?: vscode.LogOutputChannel) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.current = this.read();
      if (e.affectsConfiguration(`${SECTION}.format`)) this.formatEmitter.fire();
      this.emitter.fire(this.current);
    });
  }

  /** Install the core's validator; re-reads the settings so invalid overrides are reported at once. */
  setValidator(validator: AnalysisValidator): void {
    this.validator = validator;
    this.current = this.read();
  }

  /** `vpcFlow.format` for the folder of `uri`: '' (auto), 'default', 'alphabetical' or a format string. */
  formatFor(uri: vscode.Uri | undefined): string {
    const value = vscode.workspace.getConfiguration(SECTION, uri).get<unknown>('format');
    return typeof value === 'string' ? value.trim() : '';
  }

  private read(): ConfigSnapshot {
    const c = vscode.workspace.getConfiguration(SECTION);
    const triggers: TriggerSettings = {
      portScan: {
        distinctPorts: readNumber(c.get('triggers.portScan.distinctPorts'), 15, 2),
        distinctHosts: readNumber(c.get('triggers.portScan.distinctHosts'), 20, 2),
        windowSeconds: readNumber(c.get('triggers.portScan.windowSeconds'), 300, 1),
      },
      ports: ((): Record<string, unknown> => {
        const p = c.get<unknown>('triggers.ports');
        return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
      })(),
    };
    const raw: Record<string, unknown> = {
      portScan: { ...triggers.portScan },
      ports: { ...triggers.ports },
    };
    let analysis: Record<string, unknown> = raw;
    let analysisErrors: string[] = [];
    if (this.validator) {
      const result = this.validator(raw);
      if (result.ok) {
        analysis = raw;
      } else {
        analysis = {};
        analysisErrors = result.errors;
      }
    }
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
      triggers,
      analysis,
      analysisErrors,
    };
  }

  private reportErrors(errors: readonly string[]): void {
    const key = errors.join('\n');
    if (key === this.lastReportedErrors) return;
    this.lastReportedErrors = key;
    if (errors.length === 0) return;
    const text = `VPC Flow: invalid trigger settings, using the defaults instead: ${errors.join('; ')}`;
    this.log?.warn(text);
    void vscode.window.showWarningMessage(text);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
    this.formatEmitter.dispose();
  }
}
