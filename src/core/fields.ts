// The field catalogue: one declaration per VPC flow-log field (versions 2..11) and Transit Gateway field. Each
// entry says what the field is (version, kind, family, description, value domain), whether it is a flow field or
// best-effort metadata, which validator checks its values, how inference recognises a column of its values and how
// a value is decoded for a hover (the rules are typed in fieldRules.ts). Validation (validate.ts), the scanners
// (record.ts), inference (infer.ts) and describeValue (decode.ts) read these entries and know no field names of
// their own: a field AWS adds later is one entry here plus its tests. PURE.
import {
  account,
  arn,
  az,
  count,
  f,
  hex,
  ip,
  meanings,
  prefix,
  range,
  SNAKE_WORD,
  TEXT,
  UPPER_WORD,
  words,
  type FieldEntry,
} from './fieldRules';
import { editDistance } from './text';
import type { FlowFormat } from './types';
import { V } from './validators';

export type { Decoding, FieldEntry, InferHint } from './fieldRules';

/** Every field, in the order of the AWS field tables (VPC v2..v11, then the Transit Gateway-only fields). */
export const FIELD_LIST: readonly FieldEntry[] = Object.freeze([
  // ---- version 2 (the default format, in its order) ----
  f(
    'version',
    2,
    'int',
    'both',
    'Flow-log version: the highest version among the fields in the format (2 for the default format, 6 for Transit Gateway).',
    '2–11',
    { check: V.Version, leads: true, infer: { by: 'versionNumber' }, decode: { by: 'versionNumber' } },
  ),
  f(
    'account-id',
    2,
    'account',
    'both',
    'AWS account that owns the network interface (or transit gateway) the traffic was recorded on.',
    '12-digit account number | unknown (interface created by an AWS service) | -',
    { check: V.Account, infer: account(0.95), decode: { by: 'accountId' } },
  ),
  f(
    'interface-id',
    2,
    'id',
    'vpc',
    'Network interface (ENI) the traffic was recorded on.',
    'eni-… | - (e.g. regional NAT gateway records)',
    { check: V.Eni, infer: prefix('eni-', 0.95) },
  ),
  f(
    'srcaddr',
    2,
    'ip',
    'both',
    'Source address as seen by the interface: the remote sender for inbound traffic, the interface itself for outbound traffic.',
    'IPv4 | IPv6 | -',
    { check: V.Ip, flow: true, infer: ip(0.9), decode: { by: 'addressClass' } },
  ),
  f(
    'dstaddr',
    2,
    'ip',
    'both',
    'Destination address as seen by the interface: the interface itself for inbound traffic, the remote receiver for outbound traffic.',
    'IPv4 | IPv6 | -',
    { check: V.Ip, flow: true, infer: ip(0.9), decode: { by: 'addressClass' } },
  ),
  f(
    'srcport',
    2,
    'port',
    'both',
    'Source port of the flow (0 for protocols without ports, such as ICMP).',
    '0–65535 | -',
    { check: V.Port, flow: true, infer: { by: 'portNumber' }, decode: { by: 'portService' } },
  ),
  f(
    'dstport',
    2,
    'port',
    'both',
    'Destination port of the flow (0 for protocols without ports, such as ICMP).',
    '0–65535 | -',
    { check: V.Port, flow: true, infer: { by: 'portNumber' }, decode: { by: 'portService' } },
  ),
  f(
    'protocol',
    2,
    'protocol',
    'both',
    'IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, ...).',
    '0–255 | -',
    { check: V.Protocol, flow: true, infer: { by: 'protocolNumber' }, decode: { by: 'protocolName' } },
  ),
  f('packets', 2, 'long', 'both', 'Packets transferred in the flow during the capture window.', '0 or more | -', {
    check: V.Long,
    flow: true,
    infer: count(0.45),
    decode: { by: 'packetCount' },
  }),
  f('bytes', 2, 'long', 'both', 'Bytes transferred in the flow during the capture window.', '0 or more | -', {
    check: V.Long,
    flow: true,
    infer: count(0.45),
    decode: { by: 'byteCount' },
  }),
  f(
    'start',
    2,
    'epoch',
    'both',
    'When the first packet of the flow was seen in the capture window (Unix time).',
    'Unix seconds (milliseconds tolerated) | -',
    { check: V.Epoch, flow: true, infer: { by: 'epoch' }, decode: { by: 'unixTime' } },
  ),
  f(
    'end',
    2,
    'epoch',
    'both',
    'When the last packet of the flow was seen in the capture window (Unix time).',
    'Unix seconds (milliseconds tolerated) | -',
    { check: V.Epoch, flow: true, infer: { by: 'epoch' }, decode: { by: 'unixTime' } },
  ),
  f(
    'action',
    2,
    'enum',
    'vpc',
    'Whether security groups and network ACLs let the traffic through.',
    'ACCEPT | REJECT | - (NODATA/SKIPDATA)',
    {
      check: V.Action,
      flow: true,
      infer: words(1),
      decode: meanings("unknown action '{}'", {
        ACCEPT: 'accepted: security groups and network ACLs allowed the traffic',
        REJECT:
          'rejected: a security group or network ACL blocked the traffic (or it arrived after the connection closed)',
      }),
    },
  ),
  f(
    'log-status',
    2,
    'enum',
    'both',
    'Logging state of the record: normal, no traffic in the window, or records skipped.',
    'OK | NODATA | SKIPDATA',
    {
      check: V.LogStatus,
      flow: true,
      infer: words(1),
      decode: meanings("unknown log status '{}'", {
        OK: 'OK: data logged normally',
        NODATA: 'NODATA: no traffic on the interface during the capture window',
        SKIPDATA: 'SKIPDATA: some records were skipped in the capture window (capacity constraint or internal error)',
      }),
    },
  ),
  // ---- version 3 ----
  f('vpc-id', 3, 'id', 'vpc', 'VPC that holds the network interface.', 'vpc-… | -', {
    check: V.VpcId,
    infer: prefix('vpc-', 0.95),
  }),
  f('subnet-id', 3, 'id', 'vpc', 'Subnet that holds the network interface.', 'subnet-… | -', {
    check: V.SubnetId,
    infer: prefix('subnet-', 0.95),
  }),
  f(
    'instance-id',
    3,
    'id',
    'vpc',
    'EC2 instance attached to the interface, when you own it (- for requester-managed interfaces such as a NAT gateway).',
    'i-… | -',
    { check: V.InstanceId, infer: prefix('i-', 0.95) },
  ),
  f(
    'tcp-flags',
    3,
    'int',
    'both',
    'Bitmask of TCP flags seen in the window, OR-ed together (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32; 18 = SYN-ACK).',
    '0–255 | -',
    { check: V.TcpFlags, infer: { by: 'flagBits' }, decode: { by: 'flagNames' } },
  ),
  f('type', 3, 'enum', 'both', 'Kind of traffic.', 'IPv4 | IPv6 | EFA | -', {
    check: V.Type,
    infer: words(1),
    decode: meanings('{} traffic', { EFA: 'Elastic Fabric Adapter traffic' }),
  }),
  f(
    'pkt-srcaddr',
    3,
    'ip',
    'vpc',
    'Original source address in the packet, which differs from srcaddr behind a NAT gateway, transit gateway or EKS pod networking.',
    'IPv4 | IPv6 | -',
    { check: V.Ip, infer: ip(0.8), decode: { by: 'addressClass' } },
  ),
  f(
    'pkt-dstaddr',
    3,
    'ip',
    'vpc',
    'Original destination address in the packet, which differs from dstaddr behind a NAT gateway, transit gateway or secondary addresses.',
    'IPv4 | IPv6 | -',
    { check: V.Ip, infer: ip(0.8), decode: { by: 'addressClass' } },
  ),
  // ---- version 4 ----
  f('region', 4, 'region', 'both', 'AWS Region of the interface (or transit gateway).', 'e.g. us-east-1 | -', {
    check: V.Region,
    infer: { by: 'regionCode' },
    decode: { by: 'regionName' },
  }),
  f(
    'az-id',
    4,
    'az',
    'vpc',
    'Availability Zone ID of the interface (- when the traffic comes from a sublocation).',
    'e.g. use1-az5, apse2-az3 | -',
    { check: V.Az, infer: az(0.95), decode: { by: 'azId' } },
  ),
  f(
    'sublocation-type',
    4,
    'enum',
    'vpc',
    'Kind of sublocation the traffic came from, if any.',
    'wavelength | outpost | localzone | -',
    {
      check: V.Sublocation,
      infer: words(1),
      decode: meanings('{}', {
        wavelength: 'AWS Wavelength Zone',
        outpost: 'AWS Outpost',
        localzone: 'AWS Local Zone',
      }),
    },
  ),
  f(
    'sublocation-id',
    4,
    'id',
    'vpc',
    'ID of the Wavelength Zone, Outpost or Local Zone the traffic came from, if any.',
    'sublocation ID | -',
    { infer: TEXT },
  ),
  // ---- version 5 ----
  f(
    'pkt-src-aws-service',
    5,
    'enum',
    'both',
    'AWS service whose published address range holds pkt-srcaddr, if any.',
    'AMAZON | EC2 | S3 | DYNAMODB | ROUTE53 | ... (open list) | -',
    { infer: UPPER_WORD, decode: { by: 'awsService' } },
  ),
  f(
    'pkt-dst-aws-service',
    5,
    'enum',
    'both',
    'AWS service whose published address range holds pkt-dstaddr, if any.',
    'AMAZON | EC2 | S3 | DYNAMODB | ROUTE53 | ... (open list) | -',
    { infer: UPPER_WORD, decode: { by: 'awsService' } },
  ),
  f(
    'flow-direction',
    5,
    'enum',
    'both',
    'Direction of the flow relative to the interface that recorded it.',
    'ingress | egress | -',
    {
      check: V.Direction,
      infer: words(1),
      decode: meanings("unknown direction '{}'", {
        ingress: 'ingress: into the interface',
        egress: 'egress: out of the interface',
      }),
    },
  ),
  f(
    'traffic-path',
    5,
    'int',
    'vpc',
    'Route that egress traffic took to its destination (not reported for ingress).',
    '1–8 | -',
    { check: V.TrafficPath, infer: range(1, 8, 0.5), decode: { by: 'pathMeaning' } },
  ),
  // ---- version 7: Amazon ECS ----
  f(
    'ecs-cluster-arn',
    7,
    'arn',
    'vpc',
    'ARN of the ECS cluster, when the traffic comes from a running ECS task.',
    'arn:aws:ecs:… | -',
    { check: V.Arn, infer: arn('cluster') },
  ),
  f(
    'ecs-cluster-name',
    7,
    'text',
    'vpc',
    'Name of the ECS cluster, when the traffic comes from a running ECS task.',
    'cluster name | -',
    { infer: TEXT },
  ),
  f(
    'ecs-container-instance-arn',
    7,
    'arn',
    'vpc',
    'ARN of the ECS container instance (EC2 capacity only; - on Fargate).',
    'arn:aws:ecs:… | -',
    { check: V.Arn, infer: arn('container-instance') },
  ),
  f(
    'ecs-container-instance-id',
    7,
    'id',
    'vpc',
    'ID of the ECS container instance (EC2 capacity only; - on Fargate).',
    '32 hex digits | -',
    { infer: hex(32, 0.6) },
  ),
  f(
    'ecs-container-id',
    7,
    'id',
    'vpc',
    'Docker runtime ID of the first container of the ECS task.',
    '64 hex digits | -',
    { infer: hex(64, 0.6) },
  ),
  f(
    'ecs-second-container-id',
    7,
    'id',
    'vpc',
    'Docker runtime ID of the second container of the ECS task, if there is one.',
    '64 hex digits | -',
    { infer: hex(64, 0.6) },
  ),
  f(
    'ecs-service-name',
    7,
    'text',
    'vpc',
    'ECS service that started the task (- when no service started it).',
    'service name | -',
    { infer: TEXT },
  ),
  f('ecs-task-definition-arn', 7, 'arn', 'vpc', 'ARN of the task definition of the ECS task.', 'arn:aws:ecs:… | -', {
    check: V.Arn,
    infer: arn('task-definition'),
  }),
  f('ecs-task-arn', 7, 'arn', 'vpc', 'ARN of the ECS task.', 'arn:aws:ecs:… | -', { check: V.Arn, infer: arn('task') }),
  f('ecs-task-id', 7, 'id', 'vpc', 'ID of the ECS task.', '32 hex digits | -', { infer: hex(32, 0.6) }),
  // ---- version 8 ----
  f(
    'reject-reason',
    8,
    'enum',
    'vpc',
    'Why the traffic was rejected, when AWS reports a reason (BPA = VPC Block Public Access).',
    'BPA | EC | ... (open list) | -',
    {
      words: ['BPA', 'EC'],
      infer: words(0.75),
      decode: meanings('reject reason {}', {
        BPA: 'BPA: blocked by VPC Block Public Access',
        EC: 'EC: blocked by VPC Encryption Controls',
      }),
    },
  ),
  // ---- version 9 ----
  f(
    'resource-id',
    9,
    'id',
    'vpc',
    'Resource the record belongs to when there is no interface, such as a regional NAT gateway.',
    'nat-… | -',
    { infer: prefix('nat-', 0.9) },
  ),
  // ---- version 10 ----
  f(
    'encryption-status',
    10,
    'int',
    'vpc',
    'Whether the flow was encrypted in transit (VPC Encryption Controls).',
    '0 not encrypted | 1 Nitro | 2 application | 3 both | -',
    { check: V.Encryption, infer: range(0, 3, 0.45), decode: { by: 'encryptionMeaning' } },
  ),
  // ---- version 11 (newest; sourcing is thinner) ----
  f(
    'instance-tag',
    11,
    'text',
    'vpc',
    'Value of a chosen EC2 instance tag for the instance behind the interface.',
    'tag value | -',
    { infer: TEXT },
  ),
  f(
    'instance-tag-2',
    11,
    'text',
    'vpc',
    'Value of a second chosen EC2 instance tag (name seen in the wild, not confirmed by AWS text).',
    'tag value | -',
    { infer: TEXT },
  ),
  f('interface-tag', 11, 'text', 'vpc', 'Value of a chosen tag of the network interface.', 'tag value | -', {
    infer: TEXT,
  }),
  f(
    'interface-tag-2',
    11,
    'text',
    'vpc',
    'Value of a second chosen network-interface tag (name seen in the wild, not confirmed by AWS text).',
    'tag value | -',
    { infer: TEXT },
  ),
  f('asg-tag', 11, 'text', 'vpc', 'Value of a chosen tag of the Auto Scaling group of the instance.', 'tag value | -', {
    infer: TEXT,
  }),
  f(
    'asg-tag-2',
    11,
    'text',
    'vpc',
    'Value of a second chosen Auto Scaling group tag (name seen in the wild, not confirmed by AWS text).',
    'tag value | -',
    { infer: TEXT },
  ),
  f(
    'interface-type',
    11,
    'enum',
    'vpc',
    'Kind of network interface that recorded the traffic.',
    'interface type (open list) | -',
    { infer: SNAKE_WORD },
  ),
  f(
    'next-hop-interface-id',
    11,
    'id',
    'vpc',
    'Network interface of the next hop the traffic was sent to.',
    'eni-… | -',
    { check: V.Eni, infer: prefix('eni-', 0.8) },
  ),
  f('next-hop-subnet-id', 11, 'id', 'vpc', 'Subnet of the next hop.', 'subnet-… | -', {
    check: V.SubnetId,
    infer: prefix('subnet-', 0.8),
  }),
  f('next-hop-az-id', 11, 'az', 'vpc', 'Availability Zone ID of the next hop.', 'e.g. use1-az5 | -', {
    check: V.Az,
    infer: az(0.8),
    decode: { by: 'azId' },
  }),
  f('next-hop-vpc-id', 11, 'id', 'vpc', 'VPC of the next hop.', 'vpc-… | -', {
    check: V.VpcId,
    infer: prefix('vpc-', 0.8),
  }),
  f(
    'next-hop-interface-type',
    11,
    'enum',
    'vpc',
    'Kind of network interface of the next hop (e.g. regional_nat_gateway).',
    'interface type (open list) | -',
    { infer: SNAKE_WORD },
  ),
  // ---- Transit Gateway flow logs (version 6) ----
  f(
    'resource-type',
    6,
    'enum',
    'tgw',
    'Resource the Transit Gateway flow log was created on.',
    'TransitGateway | TransitGatewayAttachment',
    {
      words: ['TransitGateway', 'TransitGatewayAttachment'],
      infer: words(1),
      decode: meanings('{}', {
        TransitGateway: 'flow log created on a transit gateway',
        TransitGatewayAttachment: 'flow log created on a transit gateway attachment',
      }),
    },
  ),
  f('tgw-id', 6, 'id', 'tgw', 'Transit gateway that recorded the traffic.', 'tgw-…', {
    check: V.TgwId,
    marksTgw: true,
    infer: prefix('tgw-', 0.95, 'tgw-attach-'),
  }),
  f('tgw-attachment-id', 6, 'id', 'tgw', 'Transit gateway attachment that recorded the traffic.', 'tgw-attach-…', {
    check: V.TgwAttach,
    marksTgw: true,
    infer: prefix('tgw-attach-', 0.95),
  }),
  f('tgw-src-vpc-account-id', 6, 'account', 'tgw', 'Account that owns the source VPC.', '12-digit account number | -', {
    check: V.Account,
    infer: account(0.85),
    decode: { by: 'accountId' },
  }),
  f(
    'tgw-dst-vpc-account-id',
    6,
    'account',
    'tgw',
    'Account that owns the destination VPC.',
    '12-digit account number | -',
    { check: V.Account, infer: account(0.85), decode: { by: 'accountId' } },
  ),
  f('tgw-src-vpc-id', 6, 'id', 'tgw', 'Source VPC of the traffic.', 'vpc-… | -', {
    check: V.VpcId,
    infer: prefix('vpc-', 0.85),
  }),
  f('tgw-dst-vpc-id', 6, 'id', 'tgw', 'Destination VPC of the traffic.', 'vpc-… | -', {
    check: V.VpcId,
    infer: prefix('vpc-', 0.85),
  }),
  f('tgw-src-subnet-id', 6, 'id', 'tgw', 'Subnet of the source of the traffic.', 'subnet-… | -', {
    check: V.SubnetId,
    infer: prefix('subnet-', 0.85),
  }),
  f('tgw-dst-subnet-id', 6, 'id', 'tgw', 'Subnet of the destination of the traffic.', 'subnet-… | -', {
    check: V.SubnetId,
    infer: prefix('subnet-', 0.85),
  }),
  f('tgw-src-eni', 6, 'id', 'tgw', 'Transit gateway attachment interface on the source side.', 'eni-… | -', {
    check: V.Eni,
    infer: prefix('eni-', 0.85),
  }),
  f('tgw-dst-eni', 6, 'id', 'tgw', 'Transit gateway attachment interface on the destination side.', 'eni-… | -', {
    check: V.Eni,
    infer: prefix('eni-', 0.85),
  }),
  f('tgw-src-az-id', 6, 'az', 'tgw', 'Availability Zone ID of the source (- for sublocations).', 'e.g. use1-az1 | -', {
    check: V.Az,
    infer: az(0.85),
    decode: { by: 'azId' },
  }),
  f(
    'tgw-dst-az-id',
    6,
    'az',
    'tgw',
    'Availability Zone ID of the destination (- for sublocations).',
    'e.g. use1-az2 | -',
    { check: V.Az, infer: az(0.85), decode: { by: 'azId' } },
  ),
  f(
    'tgw-pair-attachment-id',
    6,
    'id',
    'tgw',
    'The other attachment of the flow: egress or ingress, depending on the direction.',
    'tgw-attach-… | -',
    { check: V.TgwAttach, infer: prefix('tgw-attach-', 0.85) },
  ),
  f('packets-lost-no-route', 6, 'long', 'tgw', 'Packets dropped because no route matched.', '0 or more | -', {
    check: V.Long,
    infer: count(0.3),
    decode: { by: 'packetCount' },
  }),
  f('packets-lost-blackhole', 6, 'long', 'tgw', 'Packets dropped by a blackhole route.', '0 or more | -', {
    check: V.Long,
    infer: count(0.3),
    decode: { by: 'packetCount' },
  }),
  f(
    'packets-lost-mtu-exceeded',
    6,
    'long',
    'tgw',
    'Packets dropped because they were larger than the MTU.',
    '0 or more | -',
    { check: V.Long, infer: count(0.3), decode: { by: 'packetCount' } },
  ),
  f(
    'packets-lost-ttl-expired',
    6,
    'long',
    'tgw',
    'Packets dropped because their time-to-live ran out.',
    '0 or more | -',
    { check: V.Long, infer: count(0.3), decode: { by: 'packetCount' } },
  ),
]);

/**
 * Fields that values alone cannot tell apart, in AWS's order (inference's order when nothing else decides), and
 * what in a sample can tell them apart (see finishLayout in infer.ts):
 * - smallerFirst: the first field is never larger than the second (start <= end, packets <= bytes);
 * - servicePort: lone SYN packets (`flags` = `syn`), or else rejected flows (`action` = `reject`), go from an
 *   ephemeral port to the service port.
 */
export interface TwinGroup {
  readonly fields: readonly string[];
  readonly tell?:
    | { readonly by: 'smallerFirst' }
    | {
        readonly by: 'servicePort';
        readonly flags: string;
        readonly syn: string;
        readonly action: string;
        readonly reject: string;
      };
}

export const TWIN_GROUPS: readonly TwinGroup[] = [
  { fields: ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr'] },
  {
    fields: ['srcport', 'dstport'],
    tell: { by: 'servicePort', flags: 'tcp-flags', syn: '2', action: 'action', reject: 'REJECT' },
  },
  { fields: ['start', 'end'], tell: { by: 'smallerFirst' } },
  { fields: ['packets', 'bytes'], tell: { by: 'smallerFirst' } },
  { fields: ['pkt-src-aws-service', 'pkt-dst-aws-service'] },
  { fields: ['ecs-task-id', 'ecs-container-instance-id'] },
  { fields: ['ecs-container-id', 'ecs-second-container-id'] },
  { fields: ['tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id'] },
  { fields: ['tgw-src-vpc-id', 'tgw-dst-vpc-id'] },
  { fields: ['tgw-src-subnet-id', 'tgw-dst-subnet-id'] },
  { fields: ['tgw-src-eni', 'tgw-dst-eni'] },
  { fields: ['tgw-src-az-id', 'tgw-dst-az-id'] },
  {
    fields: [
      'packets-lost-no-route',
      'packets-lost-blackhole',
      'packets-lost-mtu-exceeded',
      'packets-lost-ttl-expired',
    ],
  },
];

/** Field name -> definition. */
export const FIELDS: ReadonlyMap<string, FieldEntry> = new Map(FIELD_LIST.map((d) => [d.name, d]));

/** The definition of a field, or undefined for a name that is not in the catalogue. */
export function fieldDef(name: string): FieldEntry | undefined {
  return FIELDS.get(name);
}

const indexCache = new WeakMap<FlowFormat, WeakMap<object, unknown>>();

/**
 * The positions in `format` of catalogue fields, under keys of the caller's choosing (-1 where the format lacks
 * the field), e.g. fieldIndexes(format, { action: 'action', az: 'az-id' }) -> { action: 12, az: -1 }. Throws for
 * a name the catalogue does not have (a typo in code, not in data). Remembered per format and `names` object.
 */
export function fieldIndexes<K extends string>(
  format: FlowFormat,
  names: Readonly<Record<K, string>>,
): Readonly<Record<K, number>> {
  let byNames = indexCache.get(format);
  if (byNames === undefined) indexCache.set(format, (byNames = new WeakMap()));
  let out = byNames.get(names) as Readonly<Record<K, number>> | undefined;
  if (out === undefined) {
    const o = {} as Record<K, number>;
    for (const key of Object.keys(names) as K[]) {
      const name = names[key];
      if (!FIELDS.has(name)) throw new Error(`not a catalogue field: ${name}`);
      o[key] = format.index.get(name) ?? -1;
    }
    out = Object.freeze(o);
    byNames.set(names, out);
  }
  return out;
}

/** Normalise a user-written field name: `${dst-port}` -> `dst-port`, `log_status` -> `log-status`, trims, lower-cases. */
export function normaliseFieldName(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('${') && s.endsWith('}')) s = s.slice(2, -1);
  else if (s.startsWith('$')) s = s.slice(1);
  return s.trim().toLowerCase().replace(/_/g, '-');
}

/** The known field name closest to `name` (edit distance, ignoring hyphens as a tie-breaker). */
export function closestFieldName(name: string): string {
  let best = FIELD_LIST[0]!.name;
  let bestScore = Infinity;
  const bare = name.replace(/-/g, '');
  for (const d of FIELD_LIST) {
    const score = Math.min(editDistance(name, d.name), editDistance(bare, d.name.replace(/-/g, '')) + 0.5);
    if (score < bestScore) {
      bestScore = score;
      best = d.name;
    }
  }
  return best;
}
