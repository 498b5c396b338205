// The vocabulary of the field catalogue (fields.ts): the entry type, the rules an entry states (validator, flow
// field or metadata, inference hint, decoding) and the short constructors the catalogue is written with. PURE.
import type { FieldDef, FieldKind } from './types';
import { V, validatorDef } from './validators';

type Family = FieldDef['family'];

/**
 * How inference scores a column of (non-`-`) values against a field, 0..1 (see `scorerOf` in infer.ts):
 * - prefix: every value starts with `prefix` (and not `not`), then more; `weight`
 * - words: every value is one of the entry's `words`; `weight`
 * - ip / count / account / az: addresses; digit strings; 12-digit accounts (or `unknown`); AZ ids; `weight`
 * - epoch: Unix times in seconds or milliseconds, 2000..2100
 * - portNumber / protocolNumber / flagBits / versionNumber / regionCode: the shapes of those values (fixed weights)
 * - range: digits from `min` to `max`; `weight`
 * - arn: ARNs of the ECS resource type `resource`
 * - hex: `length` lower-case hex digits (8 to `length` for a third of the weight); `weight`
 * - upperWord: upper-case words other than the `not` list (AWS service names); snakeWord: lower_case words
 * - text: free text, any value (a low score)
 */
export type InferHint =
  | { readonly by: 'prefix'; readonly prefix: string; readonly weight: number; readonly not?: string }
  | { readonly by: 'words' | 'ip' | 'count' | 'account' | 'az'; readonly weight: number }
  | { readonly by: 'epoch' | 'portNumber' | 'protocolNumber' | 'flagBits' | 'versionNumber' | 'regionCode' | 'text' }
  | { readonly by: 'range'; readonly min: number; readonly max: number; readonly weight: number }
  | { readonly by: 'arn'; readonly resource: string }
  | { readonly by: 'hex'; readonly length: number; readonly weight: number }
  | { readonly by: 'upperWord'; readonly not: readonly string[]; readonly weight: number }
  | { readonly by: 'snakeWord'; readonly weight: number };

/**
 * How describeValue (decode.ts) turns a value into the one-liner a hover shows:
 * - meanings: the text of each enum word, or `otherwise` with `{}` replaced by the value;
 * - packetCount / byteCount: a number of packets, or of bytes (also in KiB/MiB/…);
 * - description: the field's description, whatever the value;
 * - the rest name a decoder of decode.ts (protocol names, services of ports, flag names, times, address classes…).
 */
export type Decoding =
  | { readonly by: 'meanings'; readonly meanings: Readonly<Record<string, string>>; readonly otherwise: string }
  | {
      readonly by:
        | 'description'
        | 'packetCount'
        | 'byteCount'
        | 'versionNumber'
        | 'accountId'
        | 'protocolName'
        | 'portService'
        | 'flagNames'
        | 'unixTime'
        | 'addressClass'
        | 'pathMeaning'
        | 'encryptionMeaning'
        | 'regionName'
        | 'azId'
        | 'awsService';
    };

/** One catalogue entry: the field's definition and every rule about its values. */
export interface FieldEntry extends FieldDef {
  /**
   * A flow field: a record whose value of it fails its check is not a record (an unparsed line with the
   * reason). Otherwise best-effort metadata, as AWS describes it: a failed check keeps the record, flagged.
   */
  readonly flow: boolean;
  /** The validator of its values (validators.ts); V.Any accepts any token. */
  readonly check: V;
  /** The enum words (the validator's, or the known words of an open list); empty for other fields. */
  readonly words: readonly string[];
  readonly infer: InferHint;
  /** Inference: usually the first column of a format (a small nudge there; it only decides between equal shapes). */
  readonly leads: boolean;
  /** Inference: a column recognised as this field makes the log a Transit Gateway log (TGW fields preferred). */
  readonly marksTgw: boolean;
  readonly decode: Decoding;
}

export interface Rules {
  readonly check?: V;
  readonly flow?: true;
  readonly words?: readonly string[];
  readonly infer: InferHint;
  readonly leads?: true;
  readonly marksTgw?: true;
  readonly decode?: Decoding;
}

export function f(
  name: string,
  version: number,
  kind: FieldKind,
  family: Family,
  description: string,
  domain: string,
  rules: Rules,
): FieldEntry {
  const check = rules.check ?? V.Any;
  return Object.freeze({
    name,
    version,
    kind,
    family,
    description,
    domain,
    flow: rules.flow === true,
    check,
    words: Object.freeze(rules.words ?? validatorDef(check).words ?? []),
    infer: rules.infer,
    leads: rules.leads === true,
    marksTgw: rules.marksTgw === true,
    decode: rules.decode ?? DESCRIPTION,
  });
}

const DESCRIPTION: Decoding = { by: 'description' };

export const prefix = (p: string, weight: number, not?: string): InferHint =>
  not === undefined ? { by: 'prefix', prefix: p, weight } : { by: 'prefix', prefix: p, weight, not };
export const words = (weight: number): InferHint => ({ by: 'words', weight });
export const ip = (weight: number): InferHint => ({ by: 'ip', weight });
export const count = (weight: number): InferHint => ({ by: 'count', weight });
export const account = (weight: number): InferHint => ({ by: 'account', weight });
export const az = (weight: number): InferHint => ({ by: 'az', weight });
export const range = (min: number, max: number, weight: number): InferHint => ({ by: 'range', min, max, weight });
export const arn = (resource: string): InferHint => ({ by: 'arn', resource });
export const hex = (length: number, weight: number): InferHint => ({ by: 'hex', length, weight });
export const TEXT: InferHint = { by: 'text' };
/** AWS service names: upper-case words that are not the words of action, log-status or type. */
export const UPPER_WORD: InferHint = {
  by: 'upperWord',
  not: ['ACCEPT', 'REJECT', 'OK', 'NODATA', 'SKIPDATA', 'EFA'],
  weight: 0.7,
};
export const SNAKE_WORD: InferHint = { by: 'snakeWord', weight: 0.1 };
export const meanings = (otherwise: string, of: Readonly<Record<string, string>>): Decoding => ({
  by: 'meanings',
  meanings: of,
  otherwise,
});
