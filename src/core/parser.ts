// The streaming parser: chunks (string or bytes, plain or gzip) in, records/unparsed lines/headers out. PURE.
//
// Accounting invariant (tested): every input line is exactly one of blank, header, record, unparsed or
// envelope line, and every message unwrapped from an envelope is exactly one of record, unparsed, header or
// no-flow message. Hence, at the end:
//
//   stats.lines + stats.envelopeMessages
//     === stats.blank + stats.headers + stats.records + stats.unparsed
//       + stats.envelopeLines + stats.messageLines + stats.noFlowMessages
//
// where a line of a JSON envelope is either structure only (`envelopeLines`: braces, keys, tokens) or
// carries one or more messages (`messageLines`); the messages themselves (`envelopeMessages`) are then
// classified like lines. For plain text, envelopeMessages = envelopeLines = messageLines = 0.
import { parseFormat, withResolution } from './format';
import { fflateInflater } from './input/fflate';
import {
  damageReport,
  inputKind,
  SNIFF_BYTES,
  type GunzipStream,
  type GzipDamage,
  type Inflater,
} from './input/inflate';
import { LineDispatch } from './input/dispatch';
import { concat } from './input/lines';
import { JsonStream } from './jsonStream';
import { clipText } from './record';
import type {
  EnvelopeKind,
  FlowFormat,
  FlowParserOptions,
  FlowRecord,
  FullParseStats,
  FusedRecordSink,
  ParseSink,
  UnparsedLine,
} from './types';
import { errorText } from './text';

export type { FlowParserOptions, FullParseStats, FusedRecordSink } from './types';

export { headerFormat } from './input/header';

function isFused(sink: ParseSink): sink is FusedRecordSink {
  return typeof (sink as Partial<FusedRecordSink>).recordValues === 'function';
}

/**
 * The one line an Apache Parquet input gets when its bytes reach the parser as a stream: Parquet is read through
 * random access instead (input/parquet.ts parquetText, which the CLI and the editor's Parquet view use).
 */
export const PARQUET_REASON =
  'an Apache Parquet file: its bytes are not flow-log text; it is read as Parquet (its rows as flow-log text) by `vpcflow analyze`/`vpcflow parse` and the Parquet view';
const DEFAULT_SAMPLE = 200;
/** Longest line kept (UTF-16 units or bytes); longer ones are reported unparsed without being held. */
const MAX_LINE = 256 * 1024 * 1024;

/**
 * Incremental parser. `push` chunks in order, then `end()` (or `write` and `finish()` with an asynchronous
 * inflater). Never throws on any input. The reading is layered: line splitting (input/lines.ts), format
 * resolution (input/resolution.ts) and dispatch with the record hot path (input/dispatch.ts); this class sniffs
 * the input (gzip, Parquet), feeds the inflater and the JSON reader, and counts.
 */
export class FlowParser extends LineDispatch {
  private ended = false;
  private bytesHead: Uint8Array | null = null;
  /** The input is an Apache Parquet file (reported once; its bytes are not read as lines). */
  private parquet = false;
  private readonly inflater: Inflater;
  private gunzip: GunzipStream | null = null;
  private gzipFailed = false;
  private gzipEnded = false;
  /** The asynchronous inflater's work still queued (null with a synchronous one). */
  private inflating: Promise<void> | null = null;
  /** The JSON documents of the input, read as a stream (see jsonStream.ts). */
  protected readonly json: JsonStream;
  /** Notes for the format the next header line sets (a host-decoded input: Parquet's ignored columns). */
  private headerNotes: readonly string[] | null = null;

  constructor(sink: ParseSink, options: FlowParserOptions = {}) {
    const stats: FullParseStats = {
      lines: 0,
      records: 0,
      headers: 0,
      blank: 0,
      unparsed: 0,
      envelopeLines: 0,
      noFlowMessages: 0,
      flaggedRecords: 0,
      formats: [],
      envelopes: [],
      envelopeMessages: 0,
      messageLines: 0,
    };
    const fused = isFused(sink);
    super(
      sink,
      fused,
      options.wasm !== false,
      Math.max(1, options.inferenceSample ?? DEFAULT_SAMPLE),
      Math.max(1, options.maxLineLength ?? MAX_LINE),
      stats,
    );
    this.inflater = options.inflater ?? fflateInflater;
    let userFormat: FlowFormat | undefined;
    if (options.format !== undefined && !(typeof options.format === 'string' && options.format.trim() === '')) {
      const r = parseFormat(options.format);
      if (r.ok) userFormat = r.format;
      else stats.formatError = r.error;
    }
    if (userFormat) this.setFormat(userFormat);
    else this.sample = [];
    this.json = new JsonStream(
      {
        message: (text, line, offset, kind) => {
          this.stats.envelopeMessages++;
          this.unit(text, line, offset, kind, true);
        },
        problem: (line, reason, text, kind) => {
          this.stats.envelopeMessages++;
          this.emitUnparsed({ line, reason, text: clipText(text), envelope: kind });
        },
        noFlow: () => {
          this.stats.envelopeMessages++;
          this.stats.noFlowMessages++;
        },
        envelopeLine: (carried) => {
          if (carried) this.stats.messageLines++;
          else this.stats.envelopeLines++;
        },
        unparsedLine: (line, reason, text) =>
          this.emitUnparsed({ line, reason, text: clipText(text), envelope: 'plain' }),
      },
      this.inflater,
    );
  }

  /** The format currently in force (undefined while it is still being resolved). */
  get currentFormat(): FlowFormat | undefined {
    return this.format;
  }

  /**
   * Notes the host that decoded the input itself (a Parquet file, see input/parquet.ts) adds to the format its
   * header line sets, e.g. the columns it left out.
   */
  addHeaderNotes(notes: readonly string[]): void {
    this.headerNotes = notes.length > 0 ? notes.slice() : null;
  }

  /**
   * The input is damaged here (a host-decoded input such as a truncated or corrupt Parquet file): the partial line
   * read so far is a line of its own, then one unparsed line with `reason`, and `damage` in the stats. What was
   * read before counts, as with a damaged gzip input. Nothing is read after it.
   */
  damaged(damage: string, reason: string): void {
    if (this.ended || this.stats.damage !== undefined) return;
    try {
      this.sniffShortInput();
      this.flushDecoder();
      if (this.skippingText) this.overlongLine();
      else if (this.pendingLen > 0) this.line(this.takeText(''));
      this.stats.damage = damage;
      this.lineNo++;
      this.stats.lines++;
      this.emitUnparsed({ line: this.lineNo, reason, text: '', envelope: 'plain' });
    } catch (e) {
      this.internalError(e);
    }
    this.hostDamaged = true;
  }

  /** A host-decoded input reported damage: nothing more is read. */
  private hostDamaged = false;

  protected override setFormat(format: FlowFormat): void {
    if (this.headerNotes !== null && format.source === 'header') {
      format = withResolution(format, {
        source: format.source,
        confidence: format.confidence,
        notes: [...format.notes, ...this.headerNotes],
      });
      this.headerNotes = null;
    }
    super.setFormat(format);
  }

  /** The next chunk of input. With an asynchronous inflater, gzip input is queued: use `write` to wait for it. */
  push(chunk: string | Uint8Array): void {
    if (this.ended || this.hostDamaged) return;
    try {
      if (typeof chunk === 'string') this.pushText(chunk);
      else this.pushBytes(chunk);
    } catch (e) {
      // Defensive: the parser must never throw. Report the failure as an unparsed line and carry on.
      this.internalError(e);
    }
  }

  /** `push`, resolving once the input has been read (an asynchronous inflater's back-pressure). */
  write(chunk: string | Uint8Array): Promise<void> {
    this.push(chunk);
    return this.inflating ?? Promise.resolve();
  }

  /** `end()` after the inflater has finished: the way to end with an asynchronous inflater. */
  async finish(): Promise<FullParseStats> {
    if (!this.ended) {
      this.sniffShortInput();
      if (this.inflating !== null) await this.inflating;
      if (this.gunzip !== null && !this.gzipEnded) {
        this.gzipEnded = true;
        await this.gunzip.end();
      }
    }
    return this.end();
  }

  end(): FullParseStats {
    if (this.ended) return this.snapshot();
    try {
      this.sniffShortInput();
      if (this.gunzip !== null && !this.gzipEnded) {
        this.gzipEnded = true;
        if (this.inflating !== null || this.gunzip.end() !== undefined)
          throw new Error('an asynchronous inflater ends with finish(), not end()');
      }
      this.flushDecoder();
      if (this.skippingText) this.overlongLine();
      else if (this.pendingLen > 0) this.line(this.takeText(''));
      if (this.json.finish()) {
        // The JSON reader counted a last line without a line break.
        this.lineNo++;
        this.stats.lines++;
      }
      if (this.sample) this.resolveSample();
    } catch (e) {
      this.internalError(e);
      if (this.sample) this.resolveSample();
    }
    this.ended = true;
    return this.snapshot();
  }

  private pushBytes(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (!this.started) {
      // What the input is, from its first bytes (they may arrive in separate chunks).
      const head = this.bytesHead ? concat(this.bytesHead, chunk) : chunk;
      if (head.length < SNIFF_BYTES) {
        this.bytesHead = head.slice();
        return;
      }
      this.bytesHead = null;
      this.started = true;
      const kind = inputKind(head);
      if (kind === 'gzip') {
        this.inputEnvelope = 'gzip';
        this.gunzip = this.inflater.gunzipStream({
          data: (bytes) => {
            try {
              this.decodeBytes(bytes, false);
            } catch (e) {
              this.internalError(e);
            }
          },
          damaged: (d) => this.gzipError(d),
        });
      } else if (kind === 'parquet') {
        // Not read yet: said once, in one line, and the rest is not decoded.
        this.parquet = true;
        this.lineNo++;
        this.stats.lines++;
        this.emitUnparsed({ line: 1, reason: PARQUET_REASON, text: 'PAR1', envelope: 'plain' });
      }
      chunk = head;
    }
    if (this.parquet) return;
    if (this.gunzip !== null) this.inflate(this.gunzip, chunk);
    else this.decodeBytes(chunk, false);
  }

  /** Compressed bytes to the inflater; an asynchronous one gets them in order, one push after the other. */
  private inflate(gunzip: GunzipStream, chunk: Uint8Array): void {
    if (this.gzipFailed) return;
    if (this.inflating !== null) {
      this.inflating = this.inflating.then(() => gunzip.push(chunk)).catch((e: unknown) => this.internalError(e));
      return;
    }
    const pending = gunzip.push(chunk);
    if (pending !== undefined) this.inflating = pending.catch((e: unknown) => this.internalError(e));
  }

  private gzipError(d: GzipDamage): void {
    this.gzipFailed = true;
    // The partial last line that decoded is a line of its own, before the report of the damage.
    this.flushDecoder();
    if (this.skippingText) this.overlongLine();
    else if (this.pendingLen > 0) this.line(this.takeText(''));
    const { damage, reason } = damageReport(d);
    this.stats.damage = damage;
    this.lineNo++;
    this.stats.lines++;
    this.emitUnparsed({ line: this.lineNo, reason, text: '', envelope: 'gzip' });
  }

  /** An input shorter than SNIFF_BYTES is plain text. */
  private sniffShortInput(): void {
    if (!this.bytesHead) return;
    const head = this.bytesHead;
    this.bytesHead = null;
    this.started = true;
    this.decodeBytes(head, false);
  }

  private internalError(e: unknown): void {
    this.stats.lines++;
    this.lineNo++;
    this.emitUnparsed({
      line: this.lineNo,
      reason: `internal parser error: ${errorText(e)}`,
      text: '',
      envelope: 'plain',
    });
  }

  private snapshot(): FullParseStats {
    this.stats.formats = this.formatTotals();
    const env = new Map(this.envelopeCounts);
    const plain = this.stats.records - [...env.values()].reduce((a, b) => a + b, 0);
    const envelopes: { kind: EnvelopeKind; records: number }[] = [];
    if (plain > 0 || env.size === 0) envelopes.push({ kind: 'plain', records: plain });
    for (const [kind, records] of env) envelopes.push({ kind, records });
    this.stats.envelopes = envelopes;
    return { ...this.stats, formats: this.stats.formats.slice(), envelopes };
  }
}

/** Parse a whole text (or bytes) at once. */
export function parseText(
  input: string | Uint8Array,
  options?: FlowParserOptions,
): {
  records: FlowRecord[];
  unparsed: UnparsedLine[];
  headers: { line: number; format: FlowFormat }[];
  stats: FullParseStats;
} {
  const records: FlowRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const headers: { line: number; format: FlowFormat }[] = [];
  const parser = new FlowParser(
    {
      record: (r) => records.push(r),
      unparsed: (u) => unparsed.push(u),
      header: (line, format) => headers.push({ line, format }),
    },
    options,
  );
  parser.push(input);
  const stats = parser.end();
  return { records, unparsed, headers, stats };
}
