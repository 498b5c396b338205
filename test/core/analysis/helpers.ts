// Builders for crafted default-format (v2) flow-log lines whose counts are known by construction.

export interface Flow {
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  proto?: number;
  packets?: number;
  bytes?: number;
  start?: number;
  end?: number;
  action?: 'ACCEPT' | 'REJECT';
  eni?: string;
}

/** One default-format record line. */
export function line(f: Flow): string {
  const start = f.start ?? 1_700_000_000;
  return [
    2,
    '123456789010',
    f.eni ?? 'eni-0a1b2c3d4e5f60718',
    f.src ?? '198.51.100.7',
    f.dst ?? '10.0.0.5',
    f.sport ?? 40000,
    f.dport ?? 443,
    f.proto ?? 6,
    f.packets ?? 1,
    f.bytes ?? 40,
    start,
    f.end ?? start + 60,
    f.action ?? 'REJECT',
    'OK',
  ].join(' ');
}

export function noData(): string {
  return '2 123456789010 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - NODATA';
}

export function skipData(): string {
  return '2 123456789010 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - SKIPDATA';
}

export function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}
