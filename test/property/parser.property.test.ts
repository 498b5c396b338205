// Property tests (fast-check): the parser never throws and its counts add up on any input; any record in any
// subset and order of fields parses back to the same values (with a header, or with the format given);
// without either, inference recovers the order whenever the values decide it, and reports ambiguity otherwise.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { FIELD_LIST } from '../../src/core/fields';
import { FlowParser, parseText, type FullParseStats } from '../../src/core/parser';
import { fieldValue } from '../../src/core/record';
import { validatorOf, V } from '../../src/core/validate';

function addsUp(s: FullParseStats): boolean {
  return (
    s.lines + s.envelopeMessages ===
    s.blank + s.headers + s.records + s.unparsed + s.envelopeLines + s.messageLines + s.noFlowMessages
  );
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const alnum = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_./:'),
  minLength: 1,
  maxLength: 12,
});

/** A valid raw value for any catalogue field (never '-'). */
function valueOf(name: string): fc.Arbitrary<string> {
  switch (name) {
    case 'interface-id':
    case 'tgw-src-eni':
    case 'tgw-dst-eni':
    case 'next-hop-interface-id':
      return hex(17).map((h) => `eni-${h}`);
    case 'vpc-id':
    case 'tgw-src-vpc-id':
    case 'tgw-dst-vpc-id':
    case 'next-hop-vpc-id':
      return hex(17).map((h) => `vpc-${h}`);
    case 'subnet-id':
    case 'tgw-src-subnet-id':
    case 'tgw-dst-subnet-id':
    case 'next-hop-subnet-id':
      return hex(17).map((h) => `subnet-${h}`);
    case 'instance-id':
      return hex(17).map((h) => `i-${h}`);
    case 'resource-id':
      return hex(17).map((h) => `nat-${h}`);
    case 'tgw-id':
      return hex(17).map((h) => `tgw-${h}`);
    case 'tgw-attachment-id':
    case 'tgw-pair-attachment-id':
      return hex(17).map((h) => `tgw-attach-${h}`);
    case 'reject-reason':
      return fc.constantFrom('BPA', 'EC');
    case 'pkt-src-aws-service':
    case 'pkt-dst-aws-service':
      return fc.constantFrom('AMAZON', 'S3', 'EC2', 'DYNAMODB', 'ROUTE53');
    case 'resource-type':
      return fc.constantFrom('TransitGateway', 'TransitGatewayAttachment');
    case 'ecs-cluster-arn':
      return alnum.map((a) => `arn:aws:ecs:us-east-1:123456789012:cluster/${a}`);
    case 'ecs-task-arn':
      return hex(32).map((h) => `arn:aws:ecs:us-east-1:123456789012:task/c/${h}`);
    case 'ecs-task-definition-arn':
      return fc.integer({ min: 1, max: 99 }).map((n) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`);
    case 'ecs-container-instance-arn':
      return hex(32).map((h) => `arn:aws:ecs:us-east-1:123456789012:container-instance/c/${h}`);
    case 'ecs-task-id':
    case 'ecs-container-instance-id':
      return hex(32);
    case 'ecs-container-id':
    case 'ecs-second-container-id':
      return hex(64);
  }
  switch (validatorOf(name)) {
    case V.Version:
      return fc.integer({ min: 2, max: 11 }).map(String);
    case V.Long:
      return fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(String);
    case V.Port:
      return fc.integer({ min: 0, max: 65535 }).map(String);
    case V.Protocol:
    case V.TcpFlags:
      return fc.integer({ min: 0, max: 255 }).map(String);
    case V.Epoch:
      return fc
        .oneof(
          fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
          fc.integer({ min: 1_000_000_000_000, max: 2_000_000_000_000 }),
        )
        .map(String);
    case V.Ip:
      return fc.oneof(fc.ipV4(), fc.ipV6());
    case V.Account:
      return fc.oneof(
        hex(12).map((h) => h.replace(/[a-f]/g, '7')),
        fc.constant('unknown'),
      );
    case V.Action:
      return fc.constantFrom('ACCEPT', 'REJECT');
    case V.LogStatus:
      return fc.constantFrom('OK', 'NODATA', 'SKIPDATA');
    case V.Type:
      return fc.constantFrom('IPv4', 'IPv6', 'EFA');
    case V.Direction:
      return fc.constantFrom('ingress', 'egress');
    case V.Sublocation:
      return fc.constantFrom('wavelength', 'outpost', 'localzone');
    case V.TrafficPath:
      return fc.integer({ min: 1, max: 8 }).map(String);
    case V.Encryption:
      return fc.integer({ min: 0, max: 3 }).map(String);
    case V.Region:
      return fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1', 'cn-northwest-1');
    case V.Az:
      return fc.constantFrom('use1-az1', 'apse2-az3', 'euw3-az2', 'usw2-lax1-az1');
    case V.Arn:
      return alnum.map((a) => `arn:aws:ecs:us-east-1:123456789012:cluster/${a}`);
    case V.Eni:
    case V.VpcId:
    case V.SubnetId:
    case V.InstanceId:
    case V.TgwId:
    case V.TgwAttach:
      throw new Error(`every resource-id field has its own generator above (${name})`);
    case V.Any:
      // Free text: no blanks, and not starting like JSON or a field name.
      return alnum.map((a) => `v-${a}`);
  }
}

const ALL_NAMES = FIELD_LIST.map((d) => d.name);
const blanks = fc.constantFrom(' ', '  ', '\t', ' \t ');

/** A random format (subset and order of all fields) with `rows` records of values ('-' allowed). */
const layout = (rows: number) =>
  fc.shuffledSubarray(ALL_NAMES, { minLength: 1, maxLength: 40 }).chain((fields) =>
    fc.tuple(
      fc.constant(fields),
      fc.array(
        fc.tuple(
          ...fields.map((f) =>
            fc.oneof({ weight: 4, arbitrary: valueOf(f) }, { weight: 1, arbitrary: fc.constant<string>('-') }),
          ),
        ),
        {
          minLength: rows,
          maxLength: rows,
        },
      ),
      fc.array(blanks, { minLength: 64, maxLength: 64 }),
    ),
  );

function render(values: readonly string[], seps: readonly string[]): string {
  return values.map((v, i) => (i === 0 ? v : seps[i % seps.length]! + v)).join('');
}

describe('property: never throws, counts add up', () => {
  it('on arbitrary strings, in arbitrary chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 8 }), (chunks) => {
        const p = new FlowParser({ record() {}, unparsed() {} });
        for (const c of chunks) p.push(c);
        assert.ok(addsUp(p.end()));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary bytes (including gzip magic), in arbitrary chunks', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), (b, sizes) => {
        const p = new FlowParser({ record() {}, unparsed() {} });
        let i = 0;
        let k = 0;
        while (i < b.length) {
          const n = sizes[k++ % sizes.length]!;
          p.push(b.subarray(i, i + n));
          i += n;
        }
        assert.ok(addsUp(p.end()));
      }),
      { numRuns: 300 },
    );
  });

  it('on flow-log-like text: tokens, headers, JSON fragments, blank lines', () => {
    const token = fc.constantFrom(
      '2', '123456789010', 'eni-1', '10.0.0.1', '::1', '22', '6', 'ACCEPT', 'REJECT', 'OK', 'NODATA', '-', 'version', 'srcaddr',
      '{', '}', '[', ']', '{"message":"2 1', '"}', '{"messageType":"DATA_MESSAGE","logEvents":[', '{"records":[{"data":"H4sI"}]}',
      '2014-12-14T04:06:50.000Z', '\r', '\uFEFF', '"', '\\',
    ); // prettier-ignore
    const line = fc.array(token, { maxLength: 20 }).map((t) => t.join(' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (lines, size) => {
        const text = lines.join('\n');
        const whole = parseText(text);
        assert.ok(addsUp(whole.stats));
        const p = new FlowParser({ record() {}, unparsed() {} });
        for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
        const s = p.end();
        assert.ok(addsUp(s));
        assert.equal(s.records, whole.stats.records);
        assert.equal(s.unparsed, whole.stats.unparsed);
      }),
      { numRuns: 300 },
    );
  });
});

// ------------------------------------------------------------------------------------ hostile JSON shapes

const SSH =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

/** Input lines: LF, CRLF and a lone CR each end one (a final line break does not start another line). */
function inputLines(text: string): number {
  if (text === '') return 0;
  const t = text.replace(/\r\n?/g, '\n');
  let n = 1;
  for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) n++;
  return t.endsWith('\n') ? n - 1 : n;
}

/**
 * Parse `text` whole, in string chunks of `size` and in byte chunks of `size`: the counts add up, the lines
 * counted are the input's lines, every line number reported is one of them, and chunking changes nothing.
 */
function checkAccounting(text: string, size: number): void {
  const n = inputLines(text);
  const runs: FullParseStats[] = [];
  const bytes = new TextEncoder().encode(text);
  for (const mode of ['whole', 'text', 'bytes'] as const) {
    const lines: number[] = [];
    const p = new FlowParser({ record: (r) => lines.push(r.line), unparsed: (u) => lines.push(u.line) });
    if (mode === 'whole') p.push(text);
    else if (mode === 'text') for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
    else for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
    const s = p.end();
    assert.ok(addsUp(s), `${mode}: counts do not add up`);
    assert.equal(s.lines, n, `${mode}: ${s.lines} lines counted for ${n}`);
    for (const l of lines) assert.ok(l >= 1 && l <= n, `${mode}: line ${l} reported, input has ${n}`);
    runs.push(s);
  }
  for (const s of runs.slice(1)) {
    assert.equal(s.records, runs[0]!.records, 'records differ by chunking');
    assert.equal(s.unparsed, runs[0]!.unparsed, 'unparsed differ by chunking');
    assert.equal(s.envelopeLines, runs[0]!.envelopeLines, 'envelope lines differ by chunking');
    assert.equal(s.messageLines, runs[0]!.messageLines, 'message lines differ by chunking');
  }
}

const jsonToken = fc.constantFrom(
  '{', '}', '[', ']', ':', ',', ' ', '"', '\\', '"message"', '"events"', '"logEvents"', '"records"', '"messageType"',
  '"awslogs"', '"data"', '"DATA_MESSAGE"', '"CONTROL_MESSAGE"', '"nextForwardToken"', '"eventId"', `"${SSH}"`,
  `{"message":"${SSH}"}`, '"aGVsbG8="', '"H4sI"', 'true', 'null', '12', '-', 'x', SSH, '\r',
); // prettier-ignore
const jsonLine = fc.array(jsonToken, { maxLength: 16 }).map((t) => t.join(''));
const opener = fc.constantFrom('{', '[', ' {', '[[', '{"events": [', '{"records": [', '{"logEvents": [');
const junk = fc.constantFrom('x', SSH, '}', ']', '', '{"message": oops}', `{"message":"${SSH}"}`, '"');
/** A value nested `d` deep, in one line or one bracket a line. */
const deep = (d: number, pretty: boolean) => {
  const open = Array.from({ length: d }, () => '[');
  const close = Array.from({ length: d }, () => ']');
  return pretty ? [...open, ...close].join('\n') : open.join('') + close.join('');
};

describe('property: hostile JSON never breaks the accounting', () => {
  it('JSON fragments, unbalanced braces and brackets, in any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(jsonLine, { maxLength: 25 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 37 }),
        (lines, nl, size) => {
          checkAccounting(lines.join('\n') + (nl ? '\n' : ''), size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lines of { or [ (thousands of them) followed by junk', () => {
    // Runs of the same opener: the old parser replayed an abandoned document line by line, recursively
    // (quadratic time, and a stack overflow past a few thousand lines).
    const runs = fc.array(
      fc.tuple(opener, fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 4000, max: 6000 }))),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    fc.assert(
      fc.property(runs, fc.array(junk, { maxLength: 4 }), fc.integer({ min: 1, max: 4096 }), (open, tail, size) => {
        const lines = open.flatMap(([o, k]) => Array.from({ length: k }, () => o));
        checkAccounting([...lines, ...tail].join('\n'), size);
      }),
      { numRuns: 25 },
    );
  });

  it('deep arrays inside Firehose records and subscription logEvents', () => {
    const envelope = fc.constantFrom(
      (v: string) => `{"requestId":"x","records":[${v}]}`,
      (v: string) => `{"requestId":"x","records":[{"data":"aGVsbG8="},${v},{"data":${v}}]}`,
      (v: string) => `{"messageType":"DATA_MESSAGE","logEvents":[${v},{"id":"1","message":"${SSH}"}]}`,
      (v: string) => `{"logEvents":[${v}],"messageType":"DATA_MESSAGE"}`,
      (v: string) => `{"events":[{"message":"${SSH}"},${v},{"message":${v}}]}`,
      (v: string) => `[${v}]`,
    );
    fc.assert(
      fc.property(
        envelope,
        fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1000, max: 6000 })),
        fc.boolean(),
        fc.constantFrom('', '\n', `\n${SSH}\n`, '\nx'),
        fc.integer({ min: 1, max: 4096 }),
        (wrap, d, pretty, after, size) => checkAccounting(wrap(deep(d, pretty)) + after, size),
      ),
      { numRuns: 60 },
    );
  });
});

describe('property: any subset and order of fields parses back to the same values', () => {
  it('with a header line (streamed in random byte chunks)', () => {
    fc.assert(
      fc.property(layout(3), fc.integer({ min: 1, max: 97 }), ([fields, rows, seps], size) => {
        const text = [fields.join(' '), ...rows.map((r) => render(r, seps))].join('\n') + '\n';
        const bytes = new TextEncoder().encode(text);
        const records: Parameters<ConstructorParameters<typeof FlowParser>[0]['record']>[0][] = [];
        const p = new FlowParser({
          record: (r) => records.push(r),
          unparsed: (u) => assert.fail(`line ${u.line}: ${u.reason}\n${text}`),
        });
        for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
        const stats = p.end();
        assert.ok(addsUp(stats));
        assert.equal(records.length, rows.length);
        records.forEach((rec, i) => {
          assert.equal(rec.format.source, 'header');
          fields.forEach((f, j) => assert.equal(fieldValue(rec, f), rows[i]![j] === '-' ? undefined : rows[i]![j], f));
        });
      }),
      { numRuns: 250 },
    );
  });

  it('without a header, with the format given as ${...} names', () => {
    fc.assert(
      fc.property(layout(2), ([fields, rows, seps]) => {
        const text = rows.map((r) => render(r, seps)).join('\r\n');
        const { records, unparsed } = parseText(text, { format: fields.map((f) => '${' + f + '}').join(' ') });
        assert.deepEqual(unparsed, []);
        records.forEach((rec, i) => {
          assert.equal(rec.format.source, 'user');
          fields.forEach((f, j) => assert.equal(fieldValue(rec, f), rows[i]![j] === '-' ? undefined : rows[i]![j], f));
        });
      }),
      { numRuns: 250 },
    );
  });
});

// ---------------------------------------------------------------------------------------------- inference

const LINES = 12;

/** Column generators whose values decide the field (by shape, or by the semantics of a pair). */
function column(name: string, seed: number): fc.Arbitrary<string[]> {
  const withDashes = (arb: fc.Arbitrary<string>, fixed: string[] = []) =>
    fc
      .array(fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: fc.constant<string>('-') }), {
        minLength: LINES,
        maxLength: LINES,
      })
      .map((generated): string[] => {
        const vals: string[] = generated.slice();
        fixed.forEach((v, i) => (vals[i] = v));
        if (!vals.some((v) => v !== '-')) vals[0] = fixed[0] ?? vals[0]!;
        return vals;
      });
  switch (name) {
    case 'version':
      return fc.integer({ min: 2, max: 11 }).map((v) => Array.from({ length: LINES }, () => String(v)));
    case 'protocol':
      return withDashes(fc.constantFrom('1', '6', '17', '58'), ['6', '17']);
    case 'tcp-flags':
      return withDashes(fc.constantFrom('0', '1', '2', '3', '18', '19'), ['2', '18']);
    default: {
      const arb = valueOf(name);
      return arb.chain((first) => withDashes(arb, [first]));
    }
  }
  void seed;
}

const DECIDABLE = [
  'version', 'account-id', 'interface-id', 'vpc-id', 'subnet-id', 'instance-id', 'action', 'log-status', 'type',
  'flow-direction', 'region', 'az-id', 'sublocation-type', 'protocol', 'tcp-flags', 'ecs-cluster-arn', 'ecs-task-arn',
  'ecs-task-definition-arn', 'resource-id', 'reject-reason',
]; // prettier-ignore

/** start/end and packets/bytes: told apart by start < end and bytes > packets in some line. */
const PAIRS: fc.Arbitrary<Pairs> = fc.record({
  times: fc.boolean(),
  counts: fc.boolean(),
  t0: fc.integer({ min: 1_500_000_000, max: 1_800_000_000 }),
  durations: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: LINES, maxLength: LINES }),
  packets: fc.array(fc.integer({ min: 70_000, max: 900_000 }), { minLength: LINES, maxLength: LINES }),
});

/** Twin fields that values alone cannot order. */
const TWINS = [
  'srcaddr',
  'dstaddr',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'srcport',
  'dstport',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
];

/** Flow fields whose values alone identify a column as flow data (counts and protocol numbers do not). */
const EVIDENCE = new Set(['srcaddr', 'dstaddr', 'srcport', 'dstport', 'start', 'end', 'action', 'log-status']);

interface Pairs {
  times: boolean;
  counts: boolean;
  t0: number;
  durations: number[];
  packets: number[];
}

function build(names: string[], cols: string[][], pairs: Pairs) {
  const columns = names.map((n, i) => ({ name: n, vals: cols[i]! }));
  if (pairs.times) {
    const starts = pairs.durations.map((_, i) => pairs.t0 + i * 60);
    columns.push({ name: 'start', vals: starts.map(String) });
    columns.push({ name: 'end', vals: starts.map((s, i) => String(s + pairs.durations[i]! + (i === 0 ? 1 : 0))) });
  }
  if (pairs.counts) {
    columns.push({ name: 'packets', vals: pairs.packets.map(String) });
    columns.push({ name: 'bytes', vals: pairs.packets.map((p, i) => String(p * 40 + i)) });
  }
  return columns;
}

describe('property: inference without a header', () => {
  it('recovers the order whenever the values decide it', () => {
    const arb = fc
      .shuffledSubarray(DECIDABLE, { minLength: 0, maxLength: DECIDABLE.length })
      .chain((names) => fc.tuple(fc.constant(names), fc.tuple(...names.map((n, i) => column(n, i))), PAIRS));
    fc.assert(
      fc.property(arb, fc.infiniteStream(fc.nat()), ([names, cols, pairs], shuffle) => {
        const columns = build(names, cols, pairs);
        // A layout needs real evidence: three fields or more, one of them a flow field of a distinctive shape.
        fc.pre(names.length >= 1 && columns.length >= 3 && columns.some((c) => EVIDENCE.has(c.name)));
        // Shuffle the columns (the pairs too) with the stream of random numbers.
        const order = columns
          .map((c, i) => ({ c, k: shuffle.next().value as number, i }))
          .sort((a, b) => a.k - b.k || a.i - b.i)
          .map((x) => x.c);
        const lines = Array.from({ length: LINES }, (_, r) => order.map((c) => c.vals[r]).join(' '));
        const { records, unparsed } = parseText(lines.join('\n'));
        assert.deepEqual(unparsed, [], lines.join('\n'));
        const f = records[0]!.format;
        assert.deepEqual(
          f.fields,
          order.map((c) => c.name),
          `${f.notes.join('; ')}\n${lines.join('\n')}`,
        );
        assert.equal(f.ambiguous, false, f.notes.join('; '));
        if (f.source === 'inferred') assert.ok(f.confidence > 0 && f.confidence <= 1);
        if (pairs.times) assert.ok(f.notes.some((n) => n.startsWith('start/end told apart')));
      }),
      { numRuns: 150 },
    );
  });

  it('reports ambiguity when twin fields (addresses, ports, service names) cannot be ordered by value', () => {
    const arb = fc
      .tuple(
        fc.shuffledSubarray(
          DECIDABLE.filter((n) => n !== 'tcp-flags'),
          { minLength: 1, maxLength: 8 },
        ),
        fc.shuffledSubarray(TWINS, { minLength: 1, maxLength: 4 }),
      )
      .chain(([a, b]) => {
        const names = [...a, ...b];
        return fc.tuple(fc.constant(names), fc.tuple(...names.map((n, i) => column(n, i))));
      });
    fc.assert(
      fc.property(arb, ([names, cols]) => {
        fc.pre(names.length >= 3 && names.some((n) => EVIDENCE.has(n)));
        const lines = Array.from({ length: LINES }, (_, r) => names.map((_, c) => cols[c]![r]).join(' '));
        const { records } = parseText(lines.join('\n'));
        fc.pre(records.length > 0);
        const f = records[0]!.format;
        assert.equal(f.source, 'inferred');
        assert.equal(f.ambiguous, true, `${f.fields.join(' ')}\n${lines.join('\n')}`);
        assert.ok(
          f.notes.some((n) => /cannot be told apart|could be any of/.test(n)),
          f.notes.join('; '),
        );
      }),
      { numRuns: 150 },
    );
  });
});
