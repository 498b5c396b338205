// The field catalogue: every VPC flow-log field (versions 2..11) and the Transit Gateway field set.
// Hovers, the dashboard and the parser read names, kinds and descriptions from here. PURE.
import { editDistance } from './text';
import type { FieldDef, FieldKind } from './types';

type Family = FieldDef['family'];

function f(
  name: string,
  version: number,
  kind: FieldKind,
  family: Family,
  description: string,
  domain: string,
): FieldDef {
  return Object.freeze({ name, version, kind, family, description, domain });
}

/** Every field, in the order of the AWS field tables (VPC v2..v11, then the Transit Gateway-only fields). */
export const FIELD_LIST: readonly FieldDef[] = Object.freeze([
  // ---- version 2 (the default format, in its order) ----
  f(
    'version',
    2,
    'int',
    'both',
    'Flow-log version: the highest version among the fields in the format (2 for the default format, 6 for Transit Gateway).',
    '2–11',
  ),
  f(
    'account-id',
    2,
    'account',
    'both',
    'AWS account that owns the network interface (or transit gateway) the traffic was recorded on.',
    '12-digit account number | unknown (interface created by an AWS service) | -',
  ),
  f(
    'interface-id',
    2,
    'id',
    'vpc',
    'Network interface (ENI) the traffic was recorded on.',
    'eni-… | - (e.g. regional NAT gateway records)',
  ),
  f(
    'srcaddr',
    2,
    'ip',
    'both',
    'Source address as seen by the interface: the remote sender for inbound traffic, the interface itself for outbound traffic.',
    'IPv4 | IPv6 | -',
  ),
  f(
    'dstaddr',
    2,
    'ip',
    'both',
    'Destination address as seen by the interface: the interface itself for inbound traffic, the remote receiver for outbound traffic.',
    'IPv4 | IPv6 | -',
  ),
  f(
    'srcport',
    2,
    'port',
    'both',
    'Source port of the flow (0 for protocols without ports, such as ICMP).',
    '0–65535 | -',
  ),
  f(
    'dstport',
    2,
    'port',
    'both',
    'Destination port of the flow (0 for protocols without ports, such as ICMP).',
    '0–65535 | -',
  ),
  f(
    'protocol',
    2,
    'protocol',
    'both',
    'IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, ...).',
    '0–255 | -',
  ),
  f('packets', 2, 'long', 'both', 'Packets transferred in the flow during the capture window.', '0 or more | -'),
  f('bytes', 2, 'long', 'both', 'Bytes transferred in the flow during the capture window.', '0 or more | -'),
  f(
    'start',
    2,
    'epoch',
    'both',
    'When the first packet of the flow was seen in the capture window (Unix time).',
    'Unix seconds (milliseconds tolerated) | -',
  ),
  f(
    'end',
    2,
    'epoch',
    'both',
    'When the last packet of the flow was seen in the capture window (Unix time).',
    'Unix seconds (milliseconds tolerated) | -',
  ),
  f(
    'action',
    2,
    'enum',
    'vpc',
    'Whether security groups and network ACLs let the traffic through.',
    'ACCEPT | REJECT | - (NODATA/SKIPDATA)',
  ),
  f(
    'log-status',
    2,
    'enum',
    'both',
    'Logging state of the record: normal, no traffic in the window, or records skipped.',
    'OK | NODATA | SKIPDATA',
  ),
  // ---- version 3 ----
  f('vpc-id', 3, 'id', 'vpc', 'VPC that holds the network interface.', 'vpc-… | -'),
  f('subnet-id', 3, 'id', 'vpc', 'Subnet that holds the network interface.', 'subnet-… | -'),
  f(
    'instance-id',
    3,
    'id',
    'vpc',
    'EC2 instance attached to the interface, when you own it (- for requester-managed interfaces such as a NAT gateway).',
    'i-… | -',
  ),
  f(
    'tcp-flags',
    3,
    'int',
    'both',
    'Bitmask of TCP flags seen in the window, OR-ed together (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32; 18 = SYN-ACK).',
    '0–255 | -',
  ),
  f('type', 3, 'enum', 'both', 'Kind of traffic.', 'IPv4 | IPv6 | EFA | -'),
  f(
    'pkt-srcaddr',
    3,
    'ip',
    'vpc',
    'Original source address in the packet, which differs from srcaddr behind a NAT gateway, transit gateway or EKS pod networking.',
    'IPv4 | IPv6 | -',
  ),
  f(
    'pkt-dstaddr',
    3,
    'ip',
    'vpc',
    'Original destination address in the packet, which differs from dstaddr behind a NAT gateway, transit gateway or secondary addresses.',
    'IPv4 | IPv6 | -',
  ),
  // ---- version 4 ----
  f('region', 4, 'region', 'both', 'AWS Region of the interface (or transit gateway).', 'e.g. us-east-1 | -'),
  f(
    'az-id',
    4,
    'az',
    'vpc',
    'Availability Zone ID of the interface (- when the traffic comes from a sublocation).',
    'e.g. use1-az5, apse2-az3 | -',
  ),
  f(
    'sublocation-type',
    4,
    'enum',
    'vpc',
    'Kind of sublocation the traffic came from, if any.',
    'wavelength | outpost | localzone | -',
  ),
  f(
    'sublocation-id',
    4,
    'id',
    'vpc',
    'ID of the Wavelength Zone, Outpost or Local Zone the traffic came from, if any.',
    'sublocation ID | -',
  ),
  // ---- version 5 ----
  f(
    'pkt-src-aws-service',
    5,
    'enum',
    'both',
    'AWS service whose published address range holds pkt-srcaddr, if any.',
    'AMAZON | EC2 | S3 | DYNAMODB | ROUTE53 | ... (open list) | -',
  ),
  f(
    'pkt-dst-aws-service',
    5,
    'enum',
    'both',
    'AWS service whose published address range holds pkt-dstaddr, if any.',
    'AMAZON | EC2 | S3 | DYNAMODB | ROUTE53 | ... (open list) | -',
  ),
  f(
    'flow-direction',
    5,
    'enum',
    'both',
    'Direction of the flow relative to the interface that recorded it.',
    'ingress | egress | -',
  ),
  f(
    'traffic-path',
    5,
    'int',
    'vpc',
    'Route that egress traffic took to its destination (not reported for ingress).',
    '1–8 | -',
  ),
  // ---- version 7: Amazon ECS ----
  f(
    'ecs-cluster-arn',
    7,
    'arn',
    'vpc',
    'ARN of the ECS cluster, when the traffic comes from a running ECS task.',
    'arn:aws:ecs:… | -',
  ),
  f(
    'ecs-cluster-name',
    7,
    'text',
    'vpc',
    'Name of the ECS cluster, when the traffic comes from a running ECS task.',
    'cluster name | -',
  ),
  f(
    'ecs-container-instance-arn',
    7,
    'arn',
    'vpc',
    'ARN of the ECS container instance (EC2 capacity only; - on Fargate).',
    'arn:aws:ecs:… | -',
  ),
  f(
    'ecs-container-instance-id',
    7,
    'id',
    'vpc',
    'ID of the ECS container instance (EC2 capacity only; - on Fargate).',
    '32 hex digits | -',
  ),
  f(
    'ecs-container-id',
    7,
    'id',
    'vpc',
    'Docker runtime ID of the first container of the ECS task.',
    '64 hex digits | -',
  ),
  f(
    'ecs-second-container-id',
    7,
    'id',
    'vpc',
    'Docker runtime ID of the second container of the ECS task, if there is one.',
    '64 hex digits | -',
  ),
  f(
    'ecs-service-name',
    7,
    'text',
    'vpc',
    'ECS service that started the task (- when no service started it).',
    'service name | -',
  ),
  f('ecs-task-definition-arn', 7, 'arn', 'vpc', 'ARN of the task definition of the ECS task.', 'arn:aws:ecs:… | -'),
  f('ecs-task-arn', 7, 'arn', 'vpc', 'ARN of the ECS task.', 'arn:aws:ecs:… | -'),
  f('ecs-task-id', 7, 'id', 'vpc', 'ID of the ECS task.', '32 hex digits | -'),
  // ---- version 8 ----
  f(
    'reject-reason',
    8,
    'enum',
    'vpc',
    'Why the traffic was rejected, when AWS reports a reason (BPA = VPC Block Public Access).',
    'BPA | EC | ... (open list) | -',
  ),
  // ---- version 9 ----
  f(
    'resource-id',
    9,
    'id',
    'vpc',
    'Resource the record belongs to when there is no interface, such as a regional NAT gateway.',
    'nat-… | -',
  ),
  // ---- version 10 ----
  f(
    'encryption-status',
    10,
    'int',
    'vpc',
    'Whether the flow was encrypted in transit (VPC Encryption Controls).',
    '0 not encrypted | 1 Nitro | 2 application | 3 both | -',
  ),
  // ---- version 11 (newest; sourcing is thinner) ----
  f(
    'instance-tag',
    11,
    'text',
    'vpc',
    'Value of a chosen EC2 instance tag for the instance behind the interface.',
    'tag value | -',
  ),
  f(
    'instance-tag-2',
    11,
    'text',
    'vpc',
    'Value of a second chosen EC2 instance tag (name seen in the wild, not confirmed by AWS text).',
    'tag value | -',
  ),
  f('interface-tag', 11, 'text', 'vpc', 'Value of a chosen tag of the network interface.', 'tag value | -'),
  f(
    'interface-tag-2',
    11,
    'text',
    'vpc',
    'Value of a second chosen network-interface tag (name seen in the wild, not confirmed by AWS text).',
    'tag value | -',
  ),
  f('asg-tag', 11, 'text', 'vpc', 'Value of a chosen tag of the Auto Scaling group of the instance.', 'tag value | -'),
  f(
    'asg-tag-2',
    11,
    'text',
    'vpc',
    'Value of a second chosen Auto Scaling group tag (name seen in the wild, not confirmed by AWS text).',
    'tag value | -',
  ),
  f(
    'interface-type',
    11,
    'enum',
    'vpc',
    'Kind of network interface that recorded the traffic.',
    'interface type (open list) | -',
  ),
  f(
    'next-hop-interface-id',
    11,
    'id',
    'vpc',
    'Network interface of the next hop the traffic was sent to.',
    'eni-… | -',
  ),
  f('next-hop-subnet-id', 11, 'id', 'vpc', 'Subnet of the next hop.', 'subnet-… | -'),
  f('next-hop-az-id', 11, 'az', 'vpc', 'Availability Zone ID of the next hop.', 'e.g. use1-az5 | -'),
  f('next-hop-vpc-id', 11, 'id', 'vpc', 'VPC of the next hop.', 'vpc-… | -'),
  f(
    'next-hop-interface-type',
    11,
    'enum',
    'vpc',
    'Kind of network interface of the next hop (e.g. regional_nat_gateway).',
    'interface type (open list) | -',
  ),
  // ---- Transit Gateway flow logs (version 6) ----
  f(
    'resource-type',
    6,
    'enum',
    'tgw',
    'Resource the Transit Gateway flow log was created on.',
    'TransitGateway | TransitGatewayAttachment',
  ),
  f('tgw-id', 6, 'id', 'tgw', 'Transit gateway that recorded the traffic.', 'tgw-…'),
  f('tgw-attachment-id', 6, 'id', 'tgw', 'Transit gateway attachment that recorded the traffic.', 'tgw-attach-…'),
  f('tgw-src-vpc-account-id', 6, 'account', 'tgw', 'Account that owns the source VPC.', '12-digit account number | -'),
  f(
    'tgw-dst-vpc-account-id',
    6,
    'account',
    'tgw',
    'Account that owns the destination VPC.',
    '12-digit account number | -',
  ),
  f('tgw-src-vpc-id', 6, 'id', 'tgw', 'Source VPC of the traffic.', 'vpc-… | -'),
  f('tgw-dst-vpc-id', 6, 'id', 'tgw', 'Destination VPC of the traffic.', 'vpc-… | -'),
  f('tgw-src-subnet-id', 6, 'id', 'tgw', 'Subnet of the source of the traffic.', 'subnet-… | -'),
  f('tgw-dst-subnet-id', 6, 'id', 'tgw', 'Subnet of the destination of the traffic.', 'subnet-… | -'),
  f('tgw-src-eni', 6, 'id', 'tgw', 'Transit gateway attachment interface on the source side.', 'eni-… | -'),
  f('tgw-dst-eni', 6, 'id', 'tgw', 'Transit gateway attachment interface on the destination side.', 'eni-… | -'),
  f('tgw-src-az-id', 6, 'az', 'tgw', 'Availability Zone ID of the source (- for sublocations).', 'e.g. use1-az1 | -'),
  f(
    'tgw-dst-az-id',
    6,
    'az',
    'tgw',
    'Availability Zone ID of the destination (- for sublocations).',
    'e.g. use1-az2 | -',
  ),
  f(
    'tgw-pair-attachment-id',
    6,
    'id',
    'tgw',
    'The other attachment of the flow: egress or ingress, depending on the direction.',
    'tgw-attach-… | -',
  ),
  f('packets-lost-no-route', 6, 'long', 'tgw', 'Packets dropped because no route matched.', '0 or more | -'),
  f('packets-lost-blackhole', 6, 'long', 'tgw', 'Packets dropped by a blackhole route.', '0 or more | -'),
  f(
    'packets-lost-mtu-exceeded',
    6,
    'long',
    'tgw',
    'Packets dropped because they were larger than the MTU.',
    '0 or more | -',
  ),
  f(
    'packets-lost-ttl-expired',
    6,
    'long',
    'tgw',
    'Packets dropped because their time-to-live ran out.',
    '0 or more | -',
  ),
]);

/** Field name -> definition. */
export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(FIELD_LIST.map((d) => [d.name, d]));

/** The definition of a field, or undefined for a name that is not in the catalogue. */
export function fieldDef(name: string): FieldDef | undefined {
  return FIELDS.get(name);
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
