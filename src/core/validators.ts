// The value checks a field can have, as data: one declaration per validator code (what it accepts, in words
// and as limits, enum words or an id prefix). The field catalogue (fields.ts) names a validator per field;
// validate.ts runs them; scripts/genWasmLayout.ts writes the codes the WebAssembly scanner needs. A leaf
// module (imports nothing), so every other module can read it. PURE.

/** Validator codes: one per field position of a compiled format (the numbers are part of the wasm layout). */
export const enum V {
  Any = 0,
  Version,
  Long,
  Port,
  Protocol,
  Epoch,
  Ip,
  Account,
  Action,
  LogStatus,
  Type,
  Direction,
  Sublocation,
  TcpFlags,
  TrafficPath,
  Encryption,
  Region,
  Az,
  Arn,
  /** AWS resource ids: the prefix, then at least one character (`eni-0a1b…`). */
  Eni,
  VpcId,
  SubnetId,
  InstanceId,
  TgwId,
  TgwAttach,
}

/** How a validator tells a value: the shape the checks in validate.ts implement. */
export type Shape =
  | 'any' // every token
  | 'digits' // digits only, at most `digits` of them and at most `max` (or one of `words`)
  | 'words' // exactly one of `words`
  | 'ip' // IPv4 dotted quad or RFC 4291 IPv6 text
  | 'regionCode' // lower-case slug with at least two hyphens, ending in a digit
  | 'az' // lower-case slug ending in -az<digits>
  | 'prefix'; // `prefix` then at least one more character (and not `notPrefix`)

export interface ValidatorDef {
  readonly code: V;
  /** The end of "field dstport: 'abc' is not …" */
  readonly what: string;
  readonly shape: Shape;
  /** Numeric validators: the most digits and the largest value. */
  readonly digits?: number;
  readonly max?: number;
  /** Enum validators: the words accepted (numeric ones: words accepted besides digits). */
  readonly words?: readonly string[];
  /**
   * The value the fused scan reads for each word (parallel to `words`; the analyzer's encoding, e.g. action
   * ACCEPT 1, REJECT 2). -1 when not given.
   */
  readonly wordValues?: readonly number[];
  /** Resource ids: the prefix, and a longer prefix the value must not have (`tgw-` but not `tgw-attach-`). */
  readonly prefix?: string;
  readonly notPrefix?: string;
}

function v(
  code: V,
  what: string,
  shape: Shape,
  more: Omit<ValidatorDef, 'code' | 'what' | 'shape'> = {},
): ValidatorDef {
  return Object.freeze({ code, what, shape, ...more });
}

/** Every validator, indexed by its code. */
export const VALIDATORS: readonly ValidatorDef[] = Object.freeze([
  v(V.Any, 'a value', 'any'),
  v(V.Version, 'a version number', 'digits', { digits: 2, max: 99 }),
  v(V.Long, 'a count', 'digits', { digits: 20, max: Infinity }),
  v(V.Port, 'a port', 'digits', { digits: 5, max: 65535 }),
  v(V.Protocol, 'a protocol number (0-255)', 'digits', { digits: 3, max: 255 }),
  v(V.Epoch, 'a Unix time', 'digits', { digits: 13, max: Infinity }),
  v(V.Ip, 'an IP address', 'ip'),
  v(V.Account, 'an account id', 'digits', { digits: 12, max: Infinity, words: ['unknown'] }),
  v(V.Action, 'ACCEPT or REJECT', 'words', { words: ['ACCEPT', 'REJECT'], wordValues: [1, 2] }),
  v(V.LogStatus, 'OK, NODATA or SKIPDATA', 'words', { words: ['OK', 'NODATA', 'SKIPDATA'], wordValues: [0, 3, 4] }),
  v(V.Type, 'IPv4, IPv6 or EFA', 'words', { words: ['IPv4', 'IPv6', 'EFA'] }),
  v(V.Direction, 'ingress or egress', 'words', { words: ['ingress', 'egress'] }),
  v(V.Sublocation, 'wavelength, outpost or localzone', 'words', { words: ['wavelength', 'outpost', 'localzone'] }),
  v(V.TcpFlags, 'a TCP flag bitmask (0-255)', 'digits', { digits: 3, max: 255 }),
  v(V.TrafficPath, 'a traffic path (1-8)', 'digits', { digits: 2, max: 99 }),
  v(V.Encryption, 'an encryption status (0-3)', 'digits', { digits: 1, max: 3 }),
  v(V.Region, 'a Region name', 'regionCode'),
  v(V.Az, 'an Availability Zone ID', 'az'),
  v(V.Arn, 'an ARN', 'prefix', { prefix: 'arn:' }),
  v(V.Eni, 'a network interface id (eni-…)', 'prefix', { prefix: 'eni-' }),
  v(V.VpcId, 'a VPC id (vpc-…)', 'prefix', { prefix: 'vpc-' }),
  v(V.SubnetId, 'a subnet id (subnet-…)', 'prefix', { prefix: 'subnet-' }),
  v(V.InstanceId, 'an instance id (i-…)', 'prefix', { prefix: 'i-' }),
  v(V.TgwId, 'a transit gateway id (tgw-…)', 'prefix', { prefix: 'tgw-', notPrefix: 'tgw-attach-' }),
  v(V.TgwAttach, 'a transit gateway attachment id (tgw-attach-…)', 'prefix', { prefix: 'tgw-attach-' }),
]);

/** The declaration of validator `code`. */
export function validatorDef(code: number): ValidatorDef {
  return VALIDATORS[code] ?? VALIDATORS[0]!;
}
