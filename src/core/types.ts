// The contract every part of the project speaks: field definitions, formats, records, parse results.
// PURE: no vscode, no DOM, no Node built-ins. Offsets are UTF-16 code-unit offsets; line numbers are 1-based.
import type { Inflater } from './input/inflate';

/** How a field's value is typed and decoded. */
export type FieldKind =
  | 'int' // small integer (version, tcp-flags, traffic-path, encryption-status)
  | 'long' // counter (packets, bytes, packets-lost-*)
  | 'port'
  | 'protocol'
  | 'epoch' // Unix seconds (or milliseconds, tolerated)
  | 'ip' // IPv4 or IPv6
  | 'account' // 12 digits or `unknown`
  | 'id' // AWS resource id (eni-, vpc-, subnet-, i-, tgw-, tgw-attach-, nat-)
  | 'enum' // closed or open set of words (action, log-status, type, flow-direction, ...)
  | 'region'
  | 'az'
  | 'arn'
  | 'text'; // free text (ecs-service-name, tags): untrusted

/** One VPC / Transit Gateway flow-log field, from the catalogue in fields.ts. */
export interface FieldDef {
  /** Hyphenated AWS name, e.g. `dstport`. */
  readonly name: string;
  /** The flow-log version that introduced it (2..11; Transit Gateway fields are 6). */
  readonly version: number;
  readonly kind: FieldKind;
  /** One line, in our own words. */
  readonly description: string;
  /** The value domain in words, e.g. "0–65535", "ACCEPT | REJECT | -". */
  readonly domain: string;
  /** Which log families carry it. */
  readonly family: 'vpc' | 'tgw' | 'both';
}

/** Where a resolved format came from, in order of precedence. */
export type FormatSource = 'header' | 'user' | 'default' | 'alphabetical' | 'inferred';

/** An ordered list of field names plus how it was resolved. Immutable; compare by identity is allowed. */
export interface FlowFormat {
  readonly fields: readonly string[];
  readonly source: FormatSource;
  /** 0..1. 1 for header/user; less for token-count matches and inference. */
  readonly confidence: number;
  /** Short human label: "default v2", "all fields (alphabetical)", "header (21 fields)", "custom (13 fields)", "inferred (9 fields)". */
  readonly label: string;
  /** Caveats the user should read, e.g. "srcport/dstport ordered by port size (indistinguishable by shape)". */
  readonly notes: readonly string[];
  /** True when inference could not decide between layouts; the format is then a best guess that must be reported. */
  readonly ambiguous: boolean;
  /** Field name -> position, for O(1) lookups. */
  readonly index: ReadonlyMap<string, number>;
}

/** How the input reached us. `plain` = text lines; the rest are unwrapped containers. */
export type EnvelopeKind =
  | 'plain'
  | 'gzip'
  | 'cloudwatch-export' // ISO timestamp before each record
  | 'filter-log-events'
  | 'get-log-events'
  | 'cwl-subscription'
  | 'firehose'
  | 'ndjson';

/**
 * One flow-log record. Built on the hot path, so values are NOT materialised: read them through
 * `fieldRaw`/`fieldValue` in record.ts, or slice `text` with `spans`.
 */
export interface FlowRecord {
  /** 1-based line of the (decompressed) input this record came from. */
  readonly line: number;
  /** The bare flow-log record text (no envelope). */
  readonly text: string;
  /**
   * UTF-16 offset of `text` within its input line, so editor spans are `offset + spans[..]`.
   * 0 for plain lines; the position after the opening quote for a JSON message string with no escapes;
   * -1 when the text is not present verbatim in the line (base64/gzip payloads, escaped JSON strings).
   */
  readonly offset: number;
  readonly envelope: EnvelopeKind;
  readonly format: FlowFormat;
  /** Token spans in `text`: [start0, end0, start1, end1, ...], one pair per field of `format.fields`. */
  readonly spans: Int32Array;
}

/** An input line (or envelope message) that is not a record, header or blank, with why. */
export interface UnparsedLine {
  readonly line: number;
  /** e.g. "expected 14 fields, found 9"; "field dstport: 'abc' is not a port". */
  readonly reason: string;
  /** The offending text, truncated to 200 characters. Untrusted. */
  readonly text: string;
  readonly envelope: EnvelopeKind;
}

/** Receives parse results in input order. */
export interface ParseSink {
  record(record: FlowRecord): void;
  unparsed(entry: UnparsedLine): void;
  /** A header line (also one repeated mid-file) that set `format` for the lines after it. */
  header?(line: number, format: FlowFormat): void;
}

/** Counts that always add up: every input line is exactly one of the line kinds. */
export interface ParseStats {
  /** Input lines (after decompression), blank ones included. */
  lines: number;
  records: number;
  headers: number;
  blank: number;
  unparsed: number;
  /** Lines that are JSON structure only (braces, keys) in an envelope, not records. */
  envelopeLines: number;
  /** Envelope messages that carry no flows (CloudWatch CONTROL_MESSAGE). Counted, never an error. */
  noFlowMessages: number;
  /**
   * Records kept with at least one best-effort metadata value (an id, Region, AZ id, ...) that failed its
   * check: counted among `records`, not a line kind of their own. See metadataWarnings in record.ts.
   */
  flaggedRecords: number;
  /** Formats in force, with the number of records parsed with each. */
  formats: { format: FlowFormat; records: number }[];
  /** Envelopes seen, with records from each. */
  envelopes: { kind: EnvelopeKind; records: number }[];
}

export interface ParseOptions {
  /**
   * A user format: `${version} ${vpc-id} ...` or plain names. It overrides the default and inference,
   * but a header line in the input still wins (as the brief orders: header, user, default, alphabetical, inferred).
   */
  format?: string | readonly string[];
  /** Lines sampled for inference when there is no header and no user format (default 200). */
  inferenceSample?: number;
}

// ---------------------------------------------------------------- the parser (src/core/parser.ts)

/** ParseOptions plus parser limits. */
export interface FlowParserOptions extends ParseOptions {
  /**
   * Longest line kept, in bytes or UTF-16 units (default 256 MiB); longer lines are reported as unparsed.
   * A line that starts like JSON is not kept but read as a stream (jsonStream.ts), so it has no such limit.
   */
  maxLineLength?: number;
  /**
   * Scan record lines of byte chunks with the WebAssembly scanner where it can (default true; the fused
   * path only). The results are the same either way; false is for tests and comparisons.
   */
  wasm?: boolean;
  /**
   * The host's decompressor for gzip input and gzip payloads in envelopes (default: the pure-JS fflateInflater).
   * With an asynchronous one (node:zlib), await each `push` and end with `finish()`.
   */
  inflater?: Inflater;
}

/** ParseStats plus the number of messages unwrapped from envelopes (see the invariant above). */
export interface FullParseStats extends ParseStats {
  envelopeMessages: number;
  /** Lines of a JSON envelope that carry at least one message (the other envelope lines are `envelopeLines`). */
  messageLines: number;
  /** The user format was rejected (unknown field ...): why. The parser then resolves the format itself. */
  formatError?: string;
  /**
   * The gzip input was truncated or corrupt (or followed by bytes that are not gzip): why. Everything that
   * decoded before the damage was parsed; the damage itself is also reported as one unparsed line.
   */
  damage?: string;
}

/**
 * A sink that can take records without a FlowRecord being built (the fused fast path, used by the
 * analyzer): for each ASCII record line of a byte chunk, the parser calls `recordValues` instead of
 * `record`. `bytes` is the chunk (never decoded: ASCII, so a byte is a character), `spans` the field spans
 * as offsets in `bytes` (pairs, one per field of `format`), `vals` the value of each validated field (see
 * valueBytes in validate.ts: numbers,
 * IPv4 addresses as unsigned 32-bit numbers, 1/2 for ACCEPT/REJECT, 0/3/4 for OK/NODATA/SKIPDATA, -1 for
 * `-` or no numeric value). `spans` and `vals` are reused for the next record: read them, do not keep them.
 * Records from any other path (text input, envelopes, the inference sample) still go to `record`.
 */
export interface FusedRecordSink extends ParseSink {
  recordValues(bytes: Uint8Array, spans: Int32Array, vals: Float64Array, line: number, format: FlowFormat): void;
}
