// Decoders and LogZilla tags.
import { strict as assert } from 'node:assert';
import {
  describeValue, durationText, flowDuration, ipClass, isoTime, protocolName, serviceName, tcpFlagNames, tcpFlagsLabel, trafficPathMeaning,
} from '../../src/core/decode'; // prettier-ignore
import { parseText } from '../../src/core/parser';
import { recordTags } from '../../src/core/tags';

describe('decode', () => {
  it('names every IANA protocol number 0-255', () => {
    assert.equal(protocolName(0), 'HOPOPT');
    assert.equal(protocolName(1), 'ICMP');
    assert.equal(protocolName(6), 'TCP');
    assert.equal(protocolName('17'), 'UDP');
    assert.equal(protocolName(47), 'GRE');
    assert.equal(protocolName(50), 'ESP');
    assert.equal(protocolName(58), 'IPv6-ICMP');
    assert.equal(protocolName(132), 'SCTP');
    assert.equal(protocolName(143), 'Ethernet');
    assert.equal(protocolName(200), 'Unassigned (200)');
    assert.equal(protocolName(253), 'Experimentation and testing (253)');
    assert.equal(protocolName(255), 'Reserved (255)');
    assert.equal(protocolName(256), 'invalid protocol (256)');
    for (let i = 0; i <= 255; i++) assert.ok(protocolName(i).length > 0);
  });

  it('decodes tcp-flags bitmasks, OR-ed flags included', () => {
    assert.deepEqual(tcpFlagNames(2), ['SYN']);
    assert.deepEqual(tcpFlagNames(18), ['SYN', 'ACK']);
    assert.deepEqual(tcpFlagNames(19), ['SYN', 'ACK', 'FIN']);
    assert.deepEqual(tcpFlagNames(3), ['SYN', 'FIN']);
    assert.deepEqual(tcpFlagNames(0), []);
    assert.deepEqual(tcpFlagNames(63), ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG']);
    assert.equal(tcpFlagsLabel(18), 'SYN-ACK');
    assert.equal(tcpFlagsLabel(19), 'SYN-ACK, FIN');
    assert.equal(tcpFlagsLabel(4), 'RST');
    assert.equal(tcpFlagsLabel(0), 'none');
  });

  it('turns start/end into ISO-8601 UTC and a duration (seconds or milliseconds)', () => {
    assert.equal(isoTime(1418530010), '2014-12-14T04:06:50Z');
    assert.equal(isoTime('1418530010000'), '2014-12-14T04:06:50Z');
    assert.equal(isoTime('abc'), '');
    assert.equal(flowDuration('1418530010', '1418530070'), 60);
    assert.equal(flowDuration('1418530010000', '1418530070'), 60);
    assert.equal(durationText(60), '60 s');
    assert.equal(durationText(185), '3 min 5 s');
    assert.equal(durationText(3900 * 2), '2 h 10 min');
  });

  it('names well-known service ports', () => {
    const expect: [number, string][] = [
      [22, 'ssh'], [23, 'telnet'], [25, 'smtp'], [53, 'domain'], [80, 'http'], [443, 'https'], [3389, 'ms-wbt-server (RDP)'],
      [445, 'microsoft-ds'], [139, 'netbios-ssn'], [1433, 'ms-sql-s'], [1521, 'oracle'], [3306, 'mysql'], [5432, 'postgresql'],
      [6379, 'redis'], [27017, 'mongodb'], [9200, 'elasticsearch'], [9042, 'cassandra (CQL)'], [5984, 'couchdb'], [11211, 'memcached'],
      [389, 'ldap'], [88, 'kerberos'], [123, 'ntp'], [161, 'snmp'], [2049, 'nfs'], [5900, 'vnc'],
    ]; // prettier-ignore
    for (const [port, name] of expect) assert.equal(serviceName(port), name, String(port));
    assert.equal(serviceName(514, 17), 'syslog');
    assert.equal(serviceName(514, 6), 'shell');
    assert.equal(serviceName(12345), undefined);
  });

  it('explains traffic-path values', () => {
    assert.match(trafficPathMeaning(8)!, /internet gateway/);
    assert.match(trafficPathMeaning('1')!, /same VPC/);
    assert.equal(trafficPathMeaning(9), undefined);
  });

  it('classes IPv4 and IPv6 addresses', () => {
    const expect: [string, string][] = [
      ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.32.0.1', 'public'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'],
      ['127.0.0.1', 'loopback'], ['169.254.169.254', 'link-local'], ['224.0.0.251', 'multicast'], ['0.0.0.0', 'unspecified'],
      ['203.0.113.12', 'public'], ['52.95.128.179', 'public'], ['::1', 'loopback'], ['::', 'unspecified'], ['fe80::1', 'link-local'],
      ['ff02::1', 'multicast'], ['fd00::1', 'private'], ['2001:db8:1234:a100:8d6e:3477:df66:f105', 'public'], ['::ffff:10.0.0.1', 'private'],
      ['300.1.2.3', 'invalid'], ['abc', 'invalid'], ['1:2:3:4:5:6:7:8:9', 'invalid'],
    ]; // prettier-ignore
    for (const [ip, cls] of expect) assert.equal(ipClass(ip), cls, ip);
  });

  it('describes any field value in one line', () => {
    assert.equal(describeValue('protocol', '6'), 'TCP (IANA protocol 6)');
    assert.equal(describeValue('tcp-flags', '18'), 'SYN-ACK (0x12)');
    assert.equal(describeValue('start', '1418530010'), '2014-12-14T04:06:50Z (Unix seconds)');
    assert.equal(describeValue('dstport', '22'), 'port 22: ssh (system range)');
    assert.equal(describeValue('srcaddr', '172.31.16.139'), 'private IPv4 address');
    assert.match(describeValue('account-id', 'unknown'), /AWS service/);
    assert.match(describeValue('traffic-path', '8'), /internet gateway/);
    assert.match(describeValue('log-status', 'SKIPDATA'), /skipped/);
    assert.equal(describeValue('region', 'us-east-1'), 'US East (N. Virginia) (us-east-1)');
    assert.match(describeValue('dstaddr', '-'), /^absent/);
    assert.match(describeValue('vpc-id', 'vpc-1'), /VPC/);
    assert.equal(describeValue('dstport', 'abc'), 'not a port');
  });
});

describe('tags', () => {
  it('derives the LogZilla user tags', () => {
    const text = [
      'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport protocol action tcp-flags log-status region az-id flow-direction',
      '3 vpc-1 subnet-1 i-1 eni-1 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 22 6 REJECT 2 OK us-east-1 use1-az1 ingress',
      '3 vpc-1 subnet-1 - eni-1 123456789010 IPv4 - - - - - - - NODATA us-east-1 use1-az1 -',
    ].join('\n');
    const { records } = parseText(text);
    assert.deepEqual(recordTags(records[0]!), {
      Action: 'REJECT',
      'Availability Zone': 'use1-az1',
      DstIP: '10.0.0.62',
      DstPort: '22/ssh',
      'Flow Direction': 'ingress',
      'Instance ID': 'i-1',
      'Interface ID': 'eni-1',
      'Log Status': 'OK',
      Protocol: 'TCP',
      Region: 'us-east-1',
      SrcIP: '52.213.180.42',
      'TCP Flags': 'SYN',
      Type: 'IPv4',
      'VPC ID': 'vpc-1',
    });
    const nodata = recordTags(records[1]!);
    assert.equal(nodata.Action, undefined, 'absent fields give no tag');
    assert.equal(nodata['Log Status'], 'NODATA');
  });
});
