// Writes test/fixtures/dashboard-demo.log: a synthetic, deterministic two-hour VPC flow log in the "all v2–v5 fields"
// custom format (with its header line), for the dashboard screenshots: web, DNS, NTP, database and cache traffic,
// S3/DynamoDB through endpoints, and rejected SSH/RDP/Telnet/SMB/database probes plus one port scan.
// Usage: node scripts/makeDashboardDemo.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'dashboard-demo.log');
const FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

let seed = 20240610;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

const hosts = [
  { ip: '10.0.1.10', eni: 'eni-0a1b2c3d4e5f60710', inst: 'i-0a1b2c3d4e5f60710', subnet: 'subnet-0aa1', az: 'use1-az1' },
  { ip: '10.0.1.20', eni: 'eni-0a1b2c3d4e5f60720', inst: 'i-0a1b2c3d4e5f60720', subnet: 'subnet-0aa1', az: 'use1-az1' },
  { ip: '10.0.2.30', eni: 'eni-0a1b2c3d4e5f60730', inst: 'i-0a1b2c3d4e5f60730', subnet: 'subnet-0bb2', az: 'use1-az2' },
  { ip: '10.0.2.40', eni: 'eni-0a1b2c3d4e5f60740', inst: 'i-0a1b2c3d4e5f60740', subnet: 'subnet-0bb2', az: 'use1-az2' },
  { ip: '10.0.3.50', eni: 'eni-0a1b2c3d4e5f60750', inst: 'i-0a1b2c3d4e5f60750', subnet: 'subnet-0cc3', az: 'use1-az4' },
];
const clients = ['203.0.113.14', '203.0.113.87', '198.51.100.41', '192.0.2.150', '203.0.113.201', '198.51.100.9'];
const T0 = 1718006400; // 2024-06-10 08:00 UTC
const lines = [FIELDS];

function line(o) {
  const h = o.host;
  const start = o.t;
  const end = start + int(1, 59);
  const packets = o.packets ?? int(2, 400);
  const bytes = o.bytes ?? packets * int(60, 1400);
  const egress = o.dir === 'egress';
  lines.push(
    [
      5,
      '123456789010',
      h.eni,
      o.src,
      o.dst,
      o.sport,
      o.dport,
      o.proto,
      packets,
      bytes,
      start,
      end,
      o.action,
      'OK',
      'vpc-0f1e2d3c4b5a69788',
      h.subnet,
      h.inst,
      o.flags ?? (o.proto === 6 ? pick([2, 3, 18, 19]) : 0),
      'IPv4',
      o.src,
      o.dst,
      'us-east-1',
      h.az,
      '-',
      '-',
      o.srcSvc ?? '-',
      o.dstSvc ?? '-',
      o.dir,
      egress ? (o.path ?? 1) : '-',
    ].join(' '),
  );
}

for (let i = 0; i < 1800; i++) {
  const t = T0 + Math.floor((i / 1800) * 7200) + int(0, 3);
  const h = pick(hosts);
  const r = rnd();
  if (r < 0.3)
    line({
      host: h,
      t,
      src: pick(clients),
      dst: h.ip,
      sport: int(1024, 65535),
      dport: 443,
      proto: 6,
      action: 'ACCEPT',
      dir: 'ingress',
    });
  else if (r < 0.45)
    line({
      host: h,
      t,
      src: h.ip,
      dst: pick(['52.94.133.131', '54.239.28.85']),
      sport: int(32768, 60999),
      dport: 443,
      proto: 6,
      action: 'ACCEPT',
      dir: 'egress',
      dstSvc: pick(['S3', 'DYNAMODB']),
      path: 7,
    });
  else if (r < 0.57)
    line({
      host: h,
      t,
      src: h.ip,
      dst: '10.0.0.2',
      sport: int(32768, 60999),
      dport: 53,
      proto: 17,
      action: 'ACCEPT',
      dir: 'egress',
      packets: int(1, 4),
      path: 1,
    });
  else if (r < 0.62)
    line({
      host: h,
      t,
      src: h.ip,
      dst: '169.254.169.123',
      sport: 123,
      dport: 123,
      proto: 17,
      action: 'ACCEPT',
      dir: 'egress',
      packets: 1,
      bytes: 76,
      path: 1,
    });
  else if (r < 0.74)
    line({
      host: hosts[0],
      t,
      src: hosts[0].ip,
      dst: hosts[2].ip,
      sport: int(32768, 60999),
      dport: 5432,
      proto: 6,
      action: 'ACCEPT',
      dir: 'egress',
      path: 1,
    });
  else if (r < 0.82)
    line({
      host: hosts[1],
      t,
      src: hosts[1].ip,
      dst: hosts[3].ip,
      sport: int(32768, 60999),
      dport: 6379,
      proto: 6,
      action: 'ACCEPT',
      dir: 'egress',
      path: 1,
    });
  else if (r < 0.9)
    line({
      host: h,
      t,
      src: h.ip,
      dst: pick(['140.82.112.3', '151.101.1.69', '104.16.132.229']),
      sport: int(32768, 60999),
      dport: pick([443, 80]),
      proto: 6,
      action: 'ACCEPT',
      dir: 'egress',
      path: 8,
    });
  else if (r < 0.93)
    line({
      host: h,
      t,
      src: pick(clients),
      dst: h.ip,
      sport: 0,
      dport: 0,
      proto: 1,
      action: 'ACCEPT',
      dir: 'ingress',
      packets: int(1, 4),
      bytes: 84,
    });
  else if (r < 0.965)
    line({
      host: hosts[0],
      t,
      src: '203.0.113.50',
      dst: hosts[0].ip,
      sport: int(1024, 65535),
      dport: 22,
      proto: 6,
      action: 'REJECT',
      dir: 'ingress',
      packets: int(1, 3),
      flags: 2,
    });
  else if (r < 0.98)
    line({
      host: hosts[4],
      t,
      src: '198.51.100.23',
      dst: hosts[4].ip,
      sport: int(1024, 65535),
      dport: 3389,
      proto: 6,
      action: 'REJECT',
      dir: 'ingress',
      packets: int(1, 3),
      flags: 2,
    });
  else if (r < 0.986)
    line({
      host: h,
      t,
      src: '192.0.2.201',
      dst: h.ip,
      sport: int(1024, 65535),
      dport: 23,
      proto: 6,
      action: 'REJECT',
      dir: 'ingress',
      packets: 1,
      flags: 2,
    });
  else if (r < 0.992)
    line({
      host: h,
      t,
      src: '198.51.100.66',
      dst: h.ip,
      sport: int(1024, 65535),
      dport: 445,
      proto: 6,
      action: 'REJECT',
      dir: 'ingress',
      packets: 2,
      flags: 2,
    });
  else
    line({
      host: hosts[2],
      t,
      src: pick(clients),
      dst: hosts[2].ip,
      sport: int(1024, 65535),
      dport: pick([3306, 5432, 1433]),
      proto: 6,
      action: 'REJECT',
      dir: 'ingress',
      packets: 1,
      flags: 2,
    });
}
// A vertical port scan: one source, one host, 40 ports in a minute.
for (let p = 0; p < 40; p++)
  line({
    host: hosts[1],
    t: T0 + 3600 + p,
    src: '192.0.2.77',
    dst: hosts[1].ip,
    sport: 40000 + p,
    dport: [
      21, 25, 110, 135, 139, 143, 161, 389, 443, 465, 587, 993, 995, 1521, 2049, 2375, 3000, 5000, 5601, 5900, 5985,
      6443, 7001, 8000, 8008, 8081, 8443, 8888, 9000, 9090, 9200, 9418, 10250, 11211, 27017, 50000, 1080, 4444, 6000,
      8009,
    ][p],
    proto: 6,
    action: 'REJECT',
    dir: 'ingress',
    packets: 1,
    bytes: 44,
    flags: 2,
  });

fs.writeFileSync(OUT, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length - 1} records to ${OUT}`);
