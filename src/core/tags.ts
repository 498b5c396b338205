// LogZilla user tags of a record, derived from its fields and the decoders. PURE.
import { protocolName, serviceName, tcpFlagsLabel } from './decode';
import { fieldValue } from './record';
import type { FlowRecord } from './types';

/** Tag name -> the field it is read from (in LogZilla's tag order). */
export const TAG_FIELDS: readonly (readonly [tag: string, field: string])[] = [
  ['Action', 'action'],
  ['Availability Zone', 'az-id'],
  ['DstIP', 'dstaddr'],
  ['DstPort', 'dstport'],
  ['Flow Direction', 'flow-direction'],
  ['Instance ID', 'instance-id'],
  ['Interface ID', 'interface-id'],
  ['Log Status', 'log-status'],
  ['Protocol', 'protocol'],
  ['Region', 'region'],
  ['SrcIP', 'srcaddr'],
  ['TCP Flags', 'tcp-flags'],
  ['Type', 'type'],
  ['VPC ID', 'vpc-id'],
];

/**
 * The LogZilla user tags of a record: Action, Availability Zone, DstIP, DstPort ("22/ssh"), Flow Direction,
 * Instance ID, Interface ID, Log Status, Protocol (name), Region, SrcIP, TCP Flags (names), Type, VPC ID.
 * Fields that are absent (`-`) or not in the format give no tag. Values are log text: untrusted.
 */
export function recordTags(rec: FlowRecord): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [tag, field] of TAG_FIELDS) {
    const v = fieldValue(rec, field);
    if (v === undefined) continue;
    switch (field) {
      case 'dstport': {
        const svc = serviceName(v, fieldValue(rec, 'protocol'));
        tags[tag] = svc ? `${v}/${svc}` : v;
        break;
      }
      case 'protocol':
        tags[tag] = /^[0-9]+$/.test(v) ? protocolName(Number(v)) : v;
        break;
      case 'tcp-flags':
        tags[tag] = /^[0-9]+$/.test(v) ? tcpFlagsLabel(Number(v)) : v;
        break;
      default:
        tags[tag] = v;
    }
  }
  return tags;
}
