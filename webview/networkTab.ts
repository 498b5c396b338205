// The Network tab: accepted traffic over time and its top tables (protocols, ports, talkers, conversations,
// Regions, AZs, direction, path, VPCs, interfaces), each a chart with its table.
import type { AnalysisSummary } from '../src/shared/summary';
import { timeCard, topCard, type AddFilter } from './cards';
import type { Theme } from './charts';
import type { CardSpec } from './tables';

export function networkCards(s: AnalysisSummary, theme: Theme, addFilter: AddFilter): CardSpec[] {
  const n = s.network;
  const none = (what: string): string => `No accepted record carries ${what}.`;
  const top = (
    id: string,
    title: string,
    keyHeader: string,
    table: (typeof n)['protocols'],
    dimension: Parameters<typeof topCard>[0]['dimension'],
    kind: 'bar' | 'doughnut',
    metric: 'flows' | 'bytes',
    empty: string,
  ): CardSpec =>
    topCard({ id, title, keyHeader, table, dimension, kind, metric, empty, color: theme.accepted }, addFilter);
  return [
    timeCard(
      {
        id: 'netTime',
        title: 'Accepted flows and bytes over time',
        series: n.overTime,
        dimension: 'time',
        withBytes: true,
        color: theme.accepted,
        empty: 'No accepted record has a start time.',
      },
      addFilter,
    ),
    top('protocols', 'Protocols', 'Protocol', n.protocols, 'protocol', 'doughnut', 'flows', none('a protocol')),
    top(
      'dstPorts',
      'Top destination ports',
      'Port (service)',
      n.dstPorts,
      'dstport',
      'bar',
      'flows',
      none('a destination port'),
    ),
    top(
      'talkers',
      'Top talkers (sources by bytes)',
      'Source',
      n.talkers,
      'talker',
      'bar',
      'bytes',
      none('a source address'),
    ),
    top(
      'conversations',
      'Top conversations (by bytes)',
      'Conversation',
      n.conversations,
      'conversation',
      'bar',
      'bytes',
      none('both addresses'),
    ),
    top(
      'regions',
      'Regions',
      'Region',
      n.regions,
      'region',
      'doughnut',
      'flows',
      'This format has no region field (v3+ custom formats add it).',
    ),
    top('azs', 'Availability Zones', 'AZ id', n.azs, 'az', 'bar', 'flows', 'This format has no az-id field.'),
    top(
      'flowDirection',
      'Flow direction',
      'Direction',
      n.flowDirection,
      'flowDirection',
      'doughnut',
      'flows',
      'This format has no flow-direction field (v5).',
    ),
    top(
      'trafficPath',
      'Traffic path',
      'Path',
      n.trafficPath,
      'trafficPath',
      'bar',
      'flows',
      'This format has no traffic-path field (v5).',
    ),
    top('vpcs', 'VPCs', 'VPC', n.vpcs, 'vpc', 'bar', 'flows', 'This format has no vpc-id field.'),
    top(
      'interfaces',
      'Top network interfaces',
      'Interface',
      n.interfaces,
      'interface',
      'bar',
      'flows',
      none('an interface-id'),
    ),
  ];
}
