// Formats: ordered field lists, the well-known layouts, and user format strings. PURE.
import { closestFieldName, FIELD_LIST, FIELDS, normaliseFieldName } from './fields';
import type { FlowFormat, FormatSource } from './types';

export interface FormatInit {
  readonly source: FormatSource;
  readonly confidence?: number;
  readonly label?: string;
  readonly notes?: readonly string[];
  readonly ambiguous?: boolean;
}

/** Build an immutable FlowFormat (with its name -> position index). */
export function makeFormat(fields: readonly string[], init: FormatInit): FlowFormat {
  const list = Object.freeze(fields.slice());
  const index = new Map<string, number>();
  list.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return Object.freeze({
    fields: list,
    source: init.source,
    confidence: init.confidence ?? 1,
    label: init.label ?? defaultLabel(init.source, list.length),
    notes: Object.freeze((init.notes ?? []).slice()),
    ambiguous: init.ambiguous ?? false,
    index,
  });
}

function defaultLabel(source: FormatSource, n: number): string {
  switch (source) {
    case 'header':
      return `header (${n} fields)`;
    case 'user':
      return `custom (${n} fields)`;
    case 'default':
      return 'default v2';
    case 'alphabetical':
      return 'all fields (alphabetical)';
    case 'inferred':
      return `inferred (${n} fields)`;
  }
}

/** The default format (version 2, 14 fields), in AWS's order. */
export const DEFAULT_V2_FIELDS: readonly string[] = Object.freeze([
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
]);

/** All 29 v2–v5 fields in AWS table order (what Elastic documents as "all fields"). */
export const ALL_V5_FIELDS: readonly string[] = Object.freeze([
  ...DEFAULT_V2_FIELDS,
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
]);

/** The same 29 fields in alphabetical order, as real S3 files and LogZilla's "format 2" carry them. */
export const ALPHABETICAL_29_FIELDS: readonly string[] = Object.freeze(ALL_V5_FIELDS.slice().sort());

/** The Transit Gateway default format (36 fields, versions 2–6). */
export const TGW_DEFAULT_FIELDS: readonly string[] = Object.freeze([
  'version',
  'resource-type',
  'account-id',
  'tgw-id',
  'tgw-attachment-id',
  'tgw-src-vpc-account-id',
  'tgw-dst-vpc-account-id',
  'tgw-src-vpc-id',
  'tgw-dst-vpc-id',
  'tgw-src-subnet-id',
  'tgw-dst-subnet-id',
  'tgw-src-eni',
  'tgw-dst-eni',
  'tgw-src-az-id',
  'tgw-dst-az-id',
  'tgw-pair-attachment-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'log-status',
  'type',
  'packets-lost-no-route',
  'packets-lost-blackhole',
  'packets-lost-mtu-exceeded',
  'packets-lost-ttl-expired',
  'tcp-flags',
  'region',
  'flow-direction',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
]);

export const DEFAULT_V2: FlowFormat = makeFormat(DEFAULT_V2_FIELDS, {
  source: 'default',
  confidence: 1,
  label: 'default v2',
});
export const ALPHABETICAL_29: FlowFormat = makeFormat(ALPHABETICAL_29_FIELDS, {
  source: 'alphabetical',
  confidence: 1,
  label: 'all fields (alphabetical)',
});
export const TGW_DEFAULT: FlowFormat = makeFormat(TGW_DEFAULT_FIELDS, {
  source: 'default',
  confidence: 1,
  label: 'Transit Gateway default (36 fields)',
});

/**
 * AWS's documented VPC field order: the "Available fields" table (v2 default fields, then v3, v4, v5, the
 * ECS fields of v7, v8, v9, v10, v11), the order in which the console and the documentation list fields.
 */
export const DOCUMENTED_ORDER: readonly string[] = Object.freeze(
  FIELD_LIST.filter((d) => d.family !== 'tgw').map((d) => d.name),
);

/**
 * Header-less layouts AWS documents, tried (scored against the values) before free inference: every
 * version prefix of the documented order (v2 ... v11), the custom formats of the documentation's
 * examples, the 29-field alphabetical layout and the Transit Gateway default.
 */
export const DOCUMENTED_LAYOUTS: readonly FlowFormat[] = Object.freeze(documentedLayouts());

function documentedLayouts(): FlowFormat[] {
  const out: FlowFormat[] = [DEFAULT_V2, ALPHABETICAL_29, TGW_DEFAULT];
  const vpc = FIELD_LIST.filter((d) => d.family !== 'tgw');
  for (let i = 0; i < vpc.length; i++) {
    const next = vpc[i + 1];
    if (next !== undefined && next.version === vpc[i]!.version) continue;
    const n = i + 1;
    if (n === DEFAULT_V2_FIELDS.length) continue; // the default format itself
    out.push(
      makeFormat(DOCUMENTED_ORDER.slice(0, n), {
        source: 'inferred',
        label: `AWS documented order, v2–v${vpc[i]!.version} fields (${n})`,
      }),
    );
  }
  const example = (label: string, fields: string): FlowFormat =>
    makeFormat(fields.split(' '), {
      source: 'inferred',
      label: `AWS example: ${label} (${fields.split(' ').length} fields)`,
    });
  out.push(
    example(
      'TCP flag sequence',
      'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status',
    ),
    example('NAT gateway', 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr'),
    example(
      'traffic through a transit gateway',
      'version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status',
    ),
    example(
      'service name, traffic path and flow direction',
      'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status',
    ),
    example(
      'ECS fields',
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-task-id ecs-task-arn ecs-task-definition-arn ecs-cluster-name ecs-cluster-arn ecs-container-instance-id ecs-container-instance-arn ecs-container-id ecs-second-container-id ecs-service-name',
    ),
    example(
      'VPC Encryption Controls',
      'encryption-status srcaddr dstaddr srcport dstport protocol traffic-path flow-direction reject-reason',
    ),
  );
  return out;
}

/** A copy of `base` with another source/confidence/notes (e.g. a token-count match with its measured confidence). */
export function withResolution(base: FlowFormat, init: FormatInit): FlowFormat {
  return makeFormat(base.fields, { label: base.label, ...init });
}

/**
 * The parse option for a requested format (a document's own choice, else the `vpcFlow.format` setting, or the CLI's
 * --format): undefined for '' or 'auto' (the parser resolves the format itself), else the request, which parseFormat
 * reads (a keyword or a format string).
 */
export function requestedFormatOption(requested: string): string | undefined {
  const r = requested.trim();
  return r === '' || r === 'auto' ? undefined : r;
}

export type ParseFormatResult = { ok: true; format: FlowFormat } | { ok: false; error: string };

/**
 * Parse a user format: `${version} ${vpc-id} ...`, plain names (`version vpc-id ...`), Athena-style underscores,
 * comma or whitespace separated, or one of the keywords `default`, `alphabetical`, `tgw`. Unknown names are
 * rejected with the closest known name suggested. Never throws.
 */
export function parseFormat(spec: string | readonly string[]): ParseFormatResult {
  let tokens: string[];
  if (typeof spec === 'string') {
    const trimmed = spec.trim();
    const keyword = trimmed.toLowerCase();
    if (keyword === 'default' || keyword === 'default v2' || keyword === 'v2') {
      return { ok: true, format: makeFormat(DEFAULT_V2_FIELDS, { source: 'user', label: 'default v2' }) };
    }
    if (keyword === 'alphabetical' || keyword === 'all fields (alphabetical)') {
      return {
        ok: true,
        format: makeFormat(ALPHABETICAL_29_FIELDS, { source: 'user', label: 'all fields (alphabetical)' }),
      };
    }
    if (keyword === 'tgw' || keyword === 'transit-gateway' || keyword === 'tgw-default') {
      return {
        ok: true,
        format: makeFormat(TGW_DEFAULT_FIELDS, { source: 'user', label: 'Transit Gateway default (36 fields)' }),
      };
    }
    // `${a}${b}` without a space is still two fields.
    tokens = trimmed.replace(/\}\s*\$\{/g, '} ${').split(/[\s,]+/);
  } else {
    tokens = spec.slice();
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (const raw of tokens) {
    if (raw.trim() === '') continue;
    const name = normaliseFieldName(raw);
    if (!FIELDS.has(name)) {
      return { ok: false, error: `unknown field '${raw.trim()}' (did you mean '${closestFieldName(name)}'?)` };
    }
    if (seen.has(name)) return { ok: false, error: `field '${name}' appears twice` };
    seen.add(name);
    names.push(name);
  }
  if (names.length === 0) return { ok: false, error: 'the format names no fields' };
  return { ok: true, format: makeFormat(names, { source: 'user' }) };
}

/** `${a} ${b} ...`: the AWS --log-format spelling of a format. */
export function formatString(format: FlowFormat): string {
  return format.fields.map((n) => '${' + n + '}').join(' ');
}
