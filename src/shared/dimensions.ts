// The dashboard's row dimensions as data: for each, the section it counts in and how a record's key is read.
// PURE and import-free: it lives in src/shared because the webview needs the list at run time (it may import only
// src/shared); the core's rows.ts evaluates it.

/** What a click on a bar, slice or table row filters by; each names the summary row it comes from. */
export const FILTER_DIMENSIONS = [
  'protocol', // network.protocols: protocol number, e.g. "6"
  'dstport', // network.dstPorts: destination port, e.g. "22"
  'talker', // network.talkers: a source address
  'conversation', // network.conversations: a pair of addresses, either direction; key "a ↔ b"
  'region', // network.regions
  'az', // network.azs: az-id
  'vpc', // network.vpcs
  'interface', // network.interfaces
  'flowDirection', // network.flowDirection
  'trafficPath', // network.trafficPath ("-": none applies)
  'blockedSource', // security.blockedSources: REJECT records from this source address
  'blockedPort', // security.blockedPorts: REJECT records to this destination port
  'time', // network.overTime: ACCEPT records whose start lies in [key, end)
  'rejectedTime', // security.overTime: REJECT records whose start lies in [key, end)
  'action', // ACCEPT | REJECT
  'trigger', // triggers: records that fire the trigger with this id
  'mitre', // security.mitre: records that fire a trigger mapped to this technique, e.g. "T1110"
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

/** One selected row. Filters combine with AND. */
export interface RowFilter {
  readonly dimension: FilterDimension;
  /** The row's key (raw log text: untrusted). For time dimensions, the bucket start in Unix seconds. */
  readonly key: string;
  /** Exclusive end of a time bucket, Unix seconds (time dimensions only). */
  readonly end?: number;
}

/** The records a row can count: ACCEPT only, REJECT only, or either. */
export type RowSection = 'accepted' | 'rejected' | 'any';

/** How a record's key for a dimension is read (all readers normalise as the analyzer's counters do). */
export type RowKey =
  /** A numeric field in 0..max, as its decimal text; absent or out of range: no row. */
  | { readonly kind: 'number'; readonly field: 'protocol'; readonly max: number }
  /** The destination port (countedPort: only protocols that carry ports, 0..65535). */
  | { readonly kind: 'port' }
  /** An address field: IPv4 in canonical dotted form, anything else as written; absent or `-`: no row. */
  | { readonly kind: 'address'; readonly field: 'srcaddr' }
  /** srcaddr and dstaddr, both present, as "a ↔ b": numeric order for two IPv4, text order otherwise. */
  | { readonly kind: 'pair' }
  /** A text field as written; absent or `-`: no row. */
  | { readonly kind: 'text'; readonly field: 'region' | 'az-id' | 'vpc-id' | 'interface-id' | 'flow-direction' }
  /** A code field (0..255) as its decimal text, or the `-` row when the format has the field but no code. */
  | { readonly kind: 'code'; readonly field: 'traffic-path' }
  /** The record's time (start, else end; seconds) within [key, end). */
  | { readonly kind: 'time' }
  /** ACCEPT or REJECT. */
  | { readonly kind: 'action' }
  /** The ids of the triggers the record fires (several rows at once). */
  | { readonly kind: 'trigger' }
  /** The MITRE techniques of the triggers the record fires. */
  | { readonly kind: 'mitre' };

export interface RowDimension {
  readonly section: RowSection;
  readonly key: RowKey;
  /** Where the rows are in the summary, e.g. "network.protocols". */
  readonly table: string;
}

/** The declarations: one per dimension. */
export const ROW_DIMENSIONS: Readonly<Record<FilterDimension, RowDimension>> = Object.freeze({
  protocol: { section: 'accepted', key: { kind: 'number', field: 'protocol', max: 255 }, table: 'network.protocols' },
  dstport: { section: 'accepted', key: { kind: 'port' }, table: 'network.dstPorts' },
  talker: { section: 'accepted', key: { kind: 'address', field: 'srcaddr' }, table: 'network.talkers' },
  conversation: { section: 'accepted', key: { kind: 'pair' }, table: 'network.conversations' },
  region: { section: 'accepted', key: { kind: 'text', field: 'region' }, table: 'network.regions' },
  az: { section: 'accepted', key: { kind: 'text', field: 'az-id' }, table: 'network.azs' },
  vpc: { section: 'accepted', key: { kind: 'text', field: 'vpc-id' }, table: 'network.vpcs' },
  interface: { section: 'accepted', key: { kind: 'text', field: 'interface-id' }, table: 'network.interfaces' },
  flowDirection: {
    section: 'accepted',
    key: { kind: 'text', field: 'flow-direction' },
    table: 'network.flowDirection',
  },
  trafficPath: { section: 'accepted', key: { kind: 'code', field: 'traffic-path' }, table: 'network.trafficPath' },
  blockedSource: {
    section: 'rejected',
    key: { kind: 'address', field: 'srcaddr' },
    table: 'security.blockedSources',
  },
  blockedPort: { section: 'rejected', key: { kind: 'port' }, table: 'security.blockedPorts' },
  time: { section: 'accepted', key: { kind: 'time' }, table: 'network.overTime' },
  rejectedTime: { section: 'rejected', key: { kind: 'time' }, table: 'security.overTime' },
  action: { section: 'any', key: { kind: 'action' }, table: 'totals' },
  trigger: { section: 'rejected', key: { kind: 'trigger' }, table: 'triggers' },
  mitre: { section: 'rejected', key: { kind: 'mitre' }, table: 'security.mitre' },
} satisfies Record<FilterDimension, RowDimension>);

/** Dimensions whose key is a time bucket start (with an `end`). */
export function isTimeDimension(d: FilterDimension): boolean {
  return ROW_DIMENSIONS[d].key.kind === 'time';
}
