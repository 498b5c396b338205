// Format resolution: the format in force (a user format, a header line, or one inferred from a sample of the
// first record candidates, which wait until it is decided), and how many records each format parsed. PURE.
// The middle layer of FlowParser (src/core/parser.ts), between line splitting and dispatch.
import { resolveFormat } from '../infer';
import type { EnvelopeKind, FlowFormat, FullParseStats, ParseSink, UnparsedLine } from '../types';
import { compileFormat, type CompiledFormat } from '../validate';
import { LineSplitter } from './lines';

export type Pending =
  | {
      readonly t: 'unit';
      readonly text: string;
      readonly line: number;
      readonly offset: number;
      readonly envelope: EnvelopeKind;
      readonly message: boolean;
    }
  | { readonly t: 'unparsed'; readonly entry: UnparsedLine };

export abstract class FormatResolution extends LineSplitter {
  protected format: FlowFormat | undefined;
  protected cf: CompiledFormat | undefined;
  protected formatRecords = 0;
  private readonly formatCounts = new Map<FlowFormat, number>();
  /** Units waiting for the format to be resolved (no header and no user format yet). */
  protected sample: Pending[] | null = null;
  protected sampleUnits = 0;

  constructor(
    protected readonly sink: ParseSink,
    protected readonly sampleSize: number,
    maxLine: number,
    stats: FullParseStats,
  ) {
    super(maxLine, stats);
  }

  /** Parse one record candidate with the format in force (the hot path, ./dispatch.ts). */
  protected abstract parse(text: string, line: number, offset: number, envelope: EnvelopeKind): void;
  /** The format in force changed (buffers sized to it). */
  protected abstract formatChanged(format: FlowFormat): void;

  protected emitUnparsed(entry: UnparsedLine): void {
    if (this.sample) {
      this.sample.push({ t: 'unparsed', entry });
      return;
    }
    this.stats.unparsed++;
    this.sink.unparsed(entry);
  }

  protected setFormat(format: FlowFormat): void {
    if (this.format) this.formatCounts.set(this.format, (this.formatCounts.get(this.format) ?? 0) + this.formatRecords);
    this.formatRecords = 0;
    this.format = format;
    this.cf = compileFormat(format);
    this.formatChanged(format);
    if (!this.formatCounts.has(format)) this.formatCounts.set(format, 0);
  }

  /** Decide the format from the buffered sample, then replay the buffer in order. */
  protected resolveSample(): void {
    const sample = this.sample;
    if (!sample) return;
    this.sample = null;
    const texts: string[] = [];
    for (const p of sample) if (p.t === 'unit') texts.push(p.text);
    // With no record candidates yet (a header on line 1), the header that triggered this sets the format.
    if (texts.length > 0) this.setFormat(resolveFormat(texts));
    for (const p of sample) {
      if (p.t === 'unit') this.parse(p.text, p.line, p.offset, p.envelope);
      else this.emitUnparsed(p.entry);
    }
  }

  /** Records per format (formats that parsed no record left out, except the one in force at the end). */
  protected formatTotals(): { format: FlowFormat; records: number }[] {
    const counts = new Map(this.formatCounts);
    if (this.format) counts.set(this.format, (counts.get(this.format) ?? 0) + this.formatRecords);
    return [...counts]
      .filter(([format, records]) => records > 0 || format === this.format)
      .map(([format, records]) => ({ format, records }));
  }
}
