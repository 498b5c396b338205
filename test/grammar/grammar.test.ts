// The TextMate grammar (syntaxes/vpcflow.tmLanguage.json), run in plain Node by the engine VS Code uses.
// What a user sees: which scope (hence which theme colour) each token of each supported format gets.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { FIELD_LIST } from '../../src/core/fields';
import { kindOf, loadOnigLib, readGrammarText, Tokenizer, wordsOf, type Word } from './textmate';
import { colourLines, hueSat, THEME_IDS, type ColouredWord, type ThemeColours } from './themes';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

/** The documented scope of each kind of token (the README's table). */
const S = {
  num: 'constant.numeric.integer.decimal.vpcflow',
  epoch: 'constant.numeric.timestamp.epoch.vpcflow',
  iso: 'constant.numeric.timestamp.iso.vpcflow',
  ip4: 'entity.name.function.ip.v4.vpcflow',
  ip6: 'entity.name.function.ip.v6.vpcflow',
  accept: 'support.class.component.accept.vpcflow',
  reject: 'invalid.illegal.reject.vpcflow',
  ok: 'constant.language.log-status.ok.vpcflow',
  nodata: 'comment.other.log-status.nodata.vpcflow',
  skipdata: 'comment.other.log-status.skipdata.vpcflow',
  absent: 'comment.other.absent.vpcflow',
  eni: 'support.variable.aws-id.eni.vpcflow',
  vpc: 'support.variable.aws-id.vpc.vpcflow',
  subnet: 'support.variable.aws-id.subnet.vpcflow',
  instance: 'support.variable.aws-id.instance.vpcflow',
  tgw: 'support.variable.aws-id.tgw.vpcflow',
  tgwAttach: 'support.variable.aws-id.tgw-attachment.vpcflow',
  nat: 'support.variable.aws-id.nat.vpcflow',
  arn: 'support.variable.aws-id.arn.vpcflow',
  hex: 'support.variable.aws-id.hex.vpcflow',
  region: 'support.constant.region.vpcflow',
  az: 'support.constant.az-id.vpcflow',
  type: 'constant.language.traffic-type.vpcflow',
  dir: 'constant.language.flow-direction.vpcflow',
  service: 'constant.language.aws-service.vpcflow',
  enum: 'constant.language.enum.vpcflow',
  field: 'markup.heading.field-name.vpcflow',
  note: 'comment.line.number-sign.vpcflow',
  plain: '',
} as const;
type Kind = keyof typeof S;

function fixtureLines(name: string): string[] {
  return fs
    .readFileSync(path.join(FIXTURES, name), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
}

/** 'num eni ip4' -> the documented scopes, in order. */
function expected(spec: string): string[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((k) => {
      if (!(k in S)) throw new Error(`unknown kind ${k}`);
      return S[k as Kind];
    });
}

function kinds(words: readonly Word[]): string[] {
  return words.map((w) => kindOf(w.scopes));
}

/** Human-readable diff: "word -> kind" per word, so a failure names the token. */
function labelled(words: readonly Word[], ks: readonly string[]): string[] {
  return words.map((w, i) => `${w.text} -> ${ks[i] ?? '?'}`);
}

function assertKinds(words: readonly Word[], spec: string, what: string): void {
  const want = expected(spec);
  assert.equal(words.length, want.length, `${what}: ${words.length} words, expected ${want.length}`);
  assert.deepEqual(labelled(words, kinds(words)), labelled(words, want), what);
}

// Expected kinds, field by field, for every record line of the text fixtures (written from the AWS field
// tables and the sample values, not from the grammar's output).
const DEFAULT_V2 = [
  'num num eni ip4 ip4 num num num num num epoch epoch accept ok',
  'num num eni ip4 ip4 num num num num num epoch epoch reject ok',
  'num num eni absent absent absent absent absent absent absent epoch epoch absent nodata',
  'num num eni absent absent absent absent absent absent absent epoch epoch absent skipdata',
  'num num eni ip4 ip4 num num num num num epoch epoch accept ok',
  'num num eni ip4 ip4 num num num num num epoch epoch reject ok',
  'num num eni ip6 ip6 num num num num num epoch epoch accept ok',
];

const TEXT_FORMATS: { file: string; header: boolean; records: string[] }[] = [
  { file: 'aws-examples-default.log', header: false, records: DEFAULT_V2 },
  { file: 'logzilla-format1.log', header: false, records: [DEFAULT_V2[0]!] },
  {
    // all 29 v2-v5 fields in alphabetical field-name order, no header
    file: 'logzilla-format2.log',
    header: false,
    records: [
      'num accept az num ip4 num epoch dir eni eni ok num absent ip4 absent ip4 num region ip4 num epoch absent absent subnet num num type num vpc',
    ],
  },
  {
    file: 's3-alphabetical-skipdata.log',
    header: false,
    records: [
      'num absent az absent absent absent epoch absent instance eni skipdata absent absent absent absent absent absent region absent absent epoch absent absent subnet absent absent absent num vpc',
    ],
  },
  {
    file: 'custom-v3-tcp-flags.log',
    header: true,
    records: Array<string>(8).fill(
      'num vpc subnet instance eni num type ip4 ip4 num num ip4 ip4 num num num epoch epoch accept num ok',
    ),
  },
  {
    file: 'custom-v3-transit-gateway-path.log',
    header: true,
    records: [
      'num eni num vpc subnet instance ip4 ip4 num num num num type ip4 ip4 accept ok',
      'num eni num vpc subnet instance ip4 ip4 num num num num type ip4 ip4 accept ok',
      'num eni num vpc subnet absent ip4 ip4 num num num num type ip4 ip4 accept ok',
      'num eni num vpc subnet absent ip4 ip4 num num num num type ip4 ip4 accept ok',
    ],
  },
  {
    file: 'custom-v5-service-path.log',
    header: true,
    records: [
      'num ip4 ip4 num num num epoch epoch type num num num vpc subnet instance eni region az absent absent accept num ip4 ip4 service absent absent dir ok',
      'num ip4 ip4 num num num epoch epoch type num num num vpc subnet instance eni region az absent absent accept num ip4 ip4 absent service num dir ok',
    ],
  },
  {
    file: 'custom-nat-gateway-no-version.log',
    header: true,
    records: [
      'absent eni ip4 ip4 ip4 ip4',
      'absent eni ip4 ip4 ip4 ip4',
      'absent eni ip4 ip4 ip4 ip4',
      'absent eni ip4 ip4 ip4 ip4',
      'instance eni ip4 ip4 ip4 ip4',
      'instance eni ip4 ip4 ip4 ip4',
    ],
  },
  {
    // v7 ECS: ARNs and hex ids are ids; the cluster name DEMOGO-ECS and service name cats stay plain text
    file: 'custom-ecs-fields.log',
    header: true,
    records: [
      'num num eni ip4 ip4 num num num num num epoch epoch reject ok hex arn arn plain arn hex arn hex absent plain',
    ],
  },
  {
    file: 'tgw-flow-log-v6.log',
    header: true,
    records: [
      'num num tgw tgwAttach vpc vpc subnet subnet eni eni az az tgwAttach ip4 ip4 num num num num num num num num num epoch epoch ok type num dir region',
    ],
  },
];

let tokenizer: Tokenizer;

before(async () => {
  tokenizer = await Tokenizer.create();
});

describe('grammar: the file itself', () => {
  const grammar = JSON.parse(readGrammarText()) as { scopeName: string };

  it('is the source.vpcflow grammar that package.json contributes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      contributes: { grammars: { language: string; scopeName: string; path: string }[] };
    };
    const entry = pkg.contributes.grammars.find((g) => g.language === 'vpcflow');
    assert.ok(entry, 'package.json contributes a grammar for vpcflow');
    assert.equal(entry.scopeName, 'source.vpcflow');
    assert.equal(grammar.scopeName, entry.scopeName);
    assert.ok(fs.existsSync(path.resolve(__dirname, '..', '..', entry.path)), `${entry.path} exists`);
  });

  it('has only regular expressions that Oniguruma compiles', async () => {
    await loadOnigLib();
    const sources: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') sources.push(v);
          else walk(v);
        }
      }
    };
    walk(grammar);
    assert.ok(sources.length > 30, `found ${sources.length} regular expressions`);
    for (const src of sources) {
      assert.doesNotThrow(() => new oniguruma.OnigScanner([src]).dispose(), `compiles: ${src.slice(0, 80)}`);
    }
  });
});

describe('grammar: record lines of every sample format', () => {
  for (const fmt of TEXT_FORMATS) {
    it(`${fmt.file}: every token gets the scope of its shape`, () => {
      const lines = fixtureLines(fmt.file);
      const records = fmt.header ? lines.slice(1) : lines;
      assert.equal(records.length, fmt.records.length, 'record count');
      const words = tokenizer.wordsOfLines(lines);
      records.forEach((_, i) => {
        const w = words[i + (fmt.header ? 1 : 0)]!;
        assertKinds(w, fmt.records[i]!, `${fmt.file} record ${i + 1}`);
      });
    });
  }

  it('ACCEPT and REJECT are in distinct scopes; REJECT is in the invalid (danger) family', () => {
    const [accept, reject] = tokenizer.wordsOfLines(fixtureLines('aws-examples-default.log').slice(0, 2));
    const a = accept!.find((w) => w.text === 'ACCEPT')!;
    const r = reject!.find((w) => w.text === 'REJECT')!;
    assert.notEqual(kindOf(a.scopes), kindOf(r.scopes));
    assert.ok(kindOf(r.scopes).startsWith('invalid.'), kindOf(r.scopes));
    assert.ok(!kindOf(a.scopes).startsWith('invalid.'), kindOf(a.scopes));
  });

  it('AWS ids carry a string scope first, so themes without support.variable still colour them', () => {
    const eni = tokenizer.words('eni-1235b8ca123456789')[0]!;
    assert.deepEqual(eni.scopes, ['string.unquoted.aws-id.eni.vpcflow', 'support.variable.aws-id.eni.vpcflow']);
    const region = tokenizer.words('ap-southeast-2')[0]!;
    assert.deepEqual(region.scopes, ['constant.language.region.vpcflow', 'support.constant.region.vpcflow']);
  });

  it('regions of every partition and AZ ids, including Local Zone ones', () => {
    assertKinds(
      tokenizer.words(
        'us-east-1 ap-southeast-2 eu-west-1 us-gov-west-1 cn-north-1 ap-northeast-3 me-central-1 il-central-1 ca-west-1 us-isob-east-1 eusc-de-east-1',
      ),
      'region region region region region region region region region region region',
      'regions',
    );
    assertKinds(
      tokenizer.words('use1-az5 apse2-az3 apne1-az1 usgw1-az1 usw2-lax1-az1 cnn1-az1'),
      'az az az az az az',
      'AZ ids',
    );
  });

  it('every AWS id kind a flow log carries, including v9 regional NAT gateway ids and TGW attachments', () => {
    assertKinds(
      tokenizer.words(
        'eni-0abc12345def67890 vpc-0abc12345def67890 subnet-0abc12345def67890 i-0abc12345def67890 tgw-0abc12345def67890 tgw-attach-0abc12345def67890 nat-0abc12345def67890 arn:aws-us-gov:ec2:us-gov-west-1:123456789012:vpc/vpc-0abc1234',
      ),
      'eni vpc subnet instance tgw tgwAttach nat arn',
      'ids',
    );
  });

  it('IPv6 in full, compressed and IPv4-mapped forms; IPv4 only with valid octets', () => {
    assertKinds(
      tokenizer.words(
        '2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8::1 fe80::1ff:fe23:4567:890a ::1 ::ffff:192.0.2.128 64:ff9b::203.0.113.5',
      ),
      'ip6 ip6 ip6 ip6 ip6 ip6',
      'IPv6',
    );
    assertKinds(
      tokenizer.words('0.0.0.0 255.255.255.255 10.0.0.1 256.1.1.1 1.2.3 1.2.3.4.5'),
      'ip4 ip4 ip4 plain plain plain',
      'IPv4',
    );
  });

  it('enumerations: traffic type, direction, AWS service codes, TGW resource type, sublocation, reject reason', () => {
    assertKinds(
      tokenizer.words('IPv4 IPv6 EFA ingress egress S3 EC2 ROUTE53_RESOLVER AMAZON TransitGateway outpost BPA unknown'),
      'type type type dir dir service service service service enum enum enum enum',
      'enumerations',
    );
  });

  it('CloudWatch export lines: an ISO timestamp at the start, then the record', () => {
    // Shape of a CloudWatch Logs export to S3 (reference §2.1): ISO time, then a custom-format record.
    const line =
      '2025-02-25T12:25:04.000Z i-085c7a43a498c2f5d eni-0416a1c81c87ab9c9 - - - use1-az2 - 1740486335 - - - - - - 1740486304 subnet-027e9a6d4add894eb';
    assertKinds(
      tokenizer.words(line),
      'iso instance eni absent absent absent az absent epoch absent absent absent absent absent absent epoch subnet',
      'export line',
    );
    assertKinds(tokenizer.words('2024-04-08 09:17:23.827 2 123456789010'), 'iso iso num num', 'Logs Insights time');
  });

  it('a # annotation is a comment and does not colour what it says', () => {
    const words = tokenizer.words('ingress - 10.0.133.8 10.0.128.55 43236 80 1 # <-- HTTP 10.0.0.1 REJECT');
    assert.deepEqual(kinds(words).slice(0, 7), expected('dir absent ip4 ip4 num num num'));
    for (const w of words.slice(7)) assert.equal(kindOf(w.scopes), S.note, w.text);
  });
});

describe('grammar: the header line', () => {
  const headerFiles = TEXT_FORMATS.filter((f) => f.header).map((f) => f.file);

  for (const file of headerFiles) {
    it(`${file}: each field name of the header is a heading, inside meta.header`, () => {
      const [header] = tokenizer.wordsOfLines(fixtureLines(file).slice(0, 1));
      assert.ok(header!.length > 0);
      for (const w of header!) {
        assert.equal(kindOf(w.scopes), S.field, w.text);
        assert.ok(w.scopes?.includes('meta.header.vpcflow'), `${w.text} in meta.header`);
      }
    });
  }

  it('knows every field name of the core catalogue (v2-v11 and Transit Gateway)', () => {
    const names = FIELD_LIST.map((f) => f.name);
    assert.ok(names.length >= 70, `${names.length} fields`);
    const all = tokenizer.words(names.join(' '));
    assert.deepEqual(
      kinds(all),
      names.map(() => S.field),
    );
    for (const name of names) assert.equal(kindOf(tokenizer.words(name)[0]!.scopes), S.field, `${name} alone`);
    // the reference's 36-field TGW default order, with tabs and extra spaces
    const tgw =
      'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service';
    const words = tokenizer.words(`  ${tgw.replace(/ /g, ' \t ')}  `);
    assert.equal(words.length, 36);
    assert.deepEqual(
      kinds(words),
      words.map(() => S.field),
    );
  });

  it('a line with an unknown word, or a record, is not a header', () => {
    assert.deepEqual(kinds(tokenizer.words('version account-id foo')), ['', '', '']);
    assert.deepEqual(kinds(tokenizer.words('version end start of the log')), ['', '', '', '', '', '']);
    assert.ok(!tokenizer.words('2 123456789010 eni-1235b8ca123456789')[0]!.scopes!.includes('meta.header.vpcflow'));
  });

  it('the header does not leak into the following record line', () => {
    const lines = fixtureLines('custom-v5-service-path.log').slice(0, 2);
    const words = tokenizer.wordsOfLines(lines)[1]!;
    for (const w of words) assert.ok(!w.scopes?.includes('meta.header.vpcflow'), w.text);
    assert.equal(kindOf(words[1]!.scopes), S.ip4);
  });
});

describe('grammar: JSON envelopes (CloudWatch Logs, subscription payloads, Firehose)', () => {
  /** The words of the "message" string of a JSON line, with their kinds. */
  function messageWords(line: string, tokens: Parameters<typeof wordsOf>[1]): Word[][] {
    const out: Word[][] = [];
    const re = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const start = m.index + m[0].length - 1 - m[1]!.length;
      out.push(wordsOf(line, tokens, start, start + m[1]!.length));
    }
    return out;
  }

  it('filter-log-events output: the message of each event is coloured as the record it holds', () => {
    const lines = fixtureLines('cloudwatch-filter-log-events.json');
    const tokens = tokenizer.tokenizeLines(lines);
    const messages = lines.flatMap((l, i) => messageWords(l, tokens[i]!));
    assert.equal(messages.length, DEFAULT_V2.length);
    messages.forEach((words, i) => {
      assertKinds(words, DEFAULT_V2[i]!, `message ${i + 1}`);
      for (const w of words) assert.ok(w.scopes?.includes('meta.embedded.flow-record.vpcflow'), w.text);
    });
  });

  it('filter-log-events output: keys, strings, numbers and punctuation get the JSON scopes', () => {
    const lines = fixtureLines('cloudwatch-filter-log-events.json');
    const tokens = tokenizer.tokenizeLines(lines);
    const find = (text: string): string => {
      for (const row of tokens) for (const t of row) if (t.text === text) return kindOf(t.scopes);
      throw new Error(`no token ${text}`);
    };
    assert.equal(find('"events"'), 'support.type.property-name.json');
    assert.equal(find('"message"'), 'support.type.property-name.json');
    assert.equal(find('"logStreamName"'), 'support.type.property-name.json');
    assert.equal(find('1418530010000'), 'constant.numeric.json');
    assert.equal(find('true'), 'constant.language.json');
    assert.equal(find('{'), 'punctuation.definition.dictionary.begin.json');
    assert.equal(find('['), 'punctuation.definition.array.begin.json');
    // a stream name is a string, not a flow token: only "message" holds records
    assert.equal(find('eni-1235b8ca123456789-all'), 'string.quoted.double.json');
    assert.equal(find('3800000000000000000000000000000000000000000000000000000'), 'string.quoted.double.json');
  });

  it('get-log-events output and a one-line subscription payload', () => {
    const get = fixtureLines('cloudwatch-get-log-events.json');
    const getTokens = tokenizer.tokenizeLines(get);
    const getMessages = get.flatMap((l, i) => messageWords(l, getTokens[i]!));
    assert.equal(getMessages.length, 3);
    getMessages.forEach((words, i) => assertKinds(words, DEFAULT_V2[i]!, `get-log-events message ${i + 1}`));

    const [line] = fixtureLines('cloudwatch-subscription-data-message.json');
    const subMessages = messageWords(line!, tokenizer.tokenizeLine(line!));
    assert.equal(subMessages.length, DEFAULT_V2.length);
    subMessages.forEach((words, i) => assertKinds(words, DEFAULT_V2[i]!, `subscription message ${i + 1}`));
  });

  it('NDJSON lines ({"message": ...} per line, as Firehose delivers) and plain records after a JSON document', () => {
    const lines = [
      '{"message":"2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK"}',
      '{"@message": "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA", "@timestamp": 1}',
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
    ];
    const tokens = tokenizer.tokenizeLines(lines);
    assertKinds(messageWords(lines[0]!, tokens[0]!)[0]!, DEFAULT_V2[1]!, 'NDJSON message');
    const at = lines[1]!.indexOf('"2 ') + 1;
    assertKinds(wordsOf(lines[1]!, tokens[1]!, at, lines[1]!.indexOf('",')), DEFAULT_V2[2]!, '@message');
    assertKinds(wordsOf(lines[2]!, tokens[2]!), DEFAULT_V2[0]!, 'record after JSON');
  });

  it('Firehose request bodies: base64 data stays a plain JSON string', () => {
    const lines = fixtureLines('firehose-request-direct.json');
    const tokens = tokenizer.tokenizeLines(lines);
    const flowTokens = tokens.flat().filter((t) => t.scopes.some((sc) => sc.endsWith('.vpcflow')));
    assert.deepEqual(
      flowTokens.map((t) => t.text),
      [],
    );
    const value = tokens.flat().find((t) => t.text.startsWith('eyJ'))!;
    assert.equal(kindOf(value.scopes), 'string.quoted.double.json');
  });

  it('an escaped quote inside a message does not end it', () => {
    const line = '{"message":"2 \\"x\\" REJECT OK"}';
    const tokens = tokenizer.tokenizeLine(line);
    const reject = tokens.find((t) => t.text === 'REJECT')!;
    assert.equal(kindOf(reject.scopes), S.reject);
    assert.ok(reject.scopes.includes('meta.embedded.flow-record.vpcflow'));
    assert.equal(kindOf(tokens.find((t) => t.text === '\\"')!.scopes), 'constant.character.escape.json');
  });
});

describe('grammar: colours by shape, not by column', () => {
  /** Every record line of every text fixture (the header lines excluded). */
  const records = (): string[] => TEXT_FORMATS.flatMap((f) => fixtureLines(f.file).slice(f.header ? 1 : 0));

  it('the same value gets the same scope in any column: reversed and rotated records', () => {
    for (const line of records()) {
      const original = tokenizer.words(line);
      const byValue = new Map(original.map((w) => [w.text, kindOf(w.scopes)]));
      const texts = original.map((w) => w.text);
      const variants = [texts.slice().reverse(), [...texts.slice(3), ...texts.slice(0, 3)]];
      for (const v of variants) {
        const words = tokenizer.words(v.join(' '));
        assert.deepEqual(
          words.map((w) => `${w.text} -> ${kindOf(w.scopes)}`),
          words.map((w) => `${w.text} -> ${byValue.get(w.text)}`),
          v.join(' '),
        );
      }
    }
  });

  it('a value alone on a line, or inside a JSON message, gets the scope it has in a record', () => {
    for (const line of records()) {
      for (const w of tokenizer.words(line)) {
        const kind = kindOf(w.scopes);
        assert.equal(kindOf(tokenizer.words(w.text)[0]!.scopes), kind, `${w.text} alone`);
        if (kind === S.field) continue;
        const json = `{"message":"x ${w.text} y"}`;
        const at = json.indexOf(` ${w.text} `) + 1;
        const inJson = wordsOf(json, tokenizer.tokenizeLine(json), at, at + w.text.length)[0];
        assert.equal(inJson && kindOf(inJson.scopes), kind, `${w.text} in a message`);
      }
    }
  });

  it('no token is coloured only in part (no partial matches inside longer words)', () => {
    const all = [
      ...records(),
      ...TEXT_FORMATS.filter((f) => f.header).map((f) => fixtureLines(f.file)[0]!),
      'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-0abc12345def67890',
      'eni-0abc12345def67890/extra x-eni-0abc12345 foo.10.0.0.1 10.0.0.1/24 10.0.0.1:443 [2001:db8::1]:443 us-east-1a use1-az5x',
      '1418530010.5 22/tcp 0x16 ACCEPTED REJECTS OKAY NODATA2 -- -1 +5 IPv4x S3x',
    ];
    for (const line of all) {
      for (const w of tokenizer.words(line)) assert.notEqual(kindOf(w.scopes), 'MIXED', `${w.text} in: ${line}`);
    }
  });

  it('prose is not coloured as ids, regions, addresses or actions', () => {
    const prose = [
      'i think the vpc-flow setup in us-east is fine, see the eni- docs',
      'i-think sg-list nat-gw vpc-1 subnet-abc tgw-attach eni-xyz arn:aws',
      'us-east-1a eu-west use1 az5 ACCEPTED REJECTS OKAY NODATA2 -- -1 IPv4x ingressed',
      'version 1.2.3 of 10.0.0.1/24 and 999.1.1.1 or 2001:db8:zz::1 and 12:25:04',
    ];
    for (const line of prose) {
      const coloured = tokenizer.words(line).filter((w) => kindOf(w.scopes) !== '');
      assert.deepEqual(
        coloured.map((w) => `${w.text} -> ${kindOf(w.scopes)}`),
        [],
        line,
      );
    }
  });
});

describe('grammar: colours in the themes people use', () => {
  // One line per kind of token; the word under test is the first of its line.
  const samples: [Kind, string][] = [
    ['ip4', '172.31.16.139'],
    ['ip6', '2001:db8::1'],
    ['num', '3389'],
    ['epoch', '1418530010'],
    ['iso', '2025-02-25T12:25:04.000Z'],
    ['accept', 'ACCEPT'],
    ['reject', 'REJECT'],
    ['ok', 'OK'],
    ['nodata', 'NODATA'],
    ['skipdata', 'SKIPDATA'],
    ['absent', '-'],
    ['eni', 'eni-1235b8ca123456789'],
    ['vpc', 'vpc-abcdefab012345678'],
    ['subnet', 'subnet-aaaaaaaa012345678'],
    ['instance', 'i-01234567890123456'],
    ['tgw', 'tgw-0abc12345def67890'],
    ['arn', 'arn:aws:ecs:us-east-1:123456789012:cluster/DEMOGO-ECS'],
    ['region', 'us-east-1'],
    ['az', 'use1-az5'],
    ['type', 'IPv6'],
    ['dir', 'egress'],
    ['service', 'S3'],
    ['field', 'version account-id'],
  ];
  const themes = new Map<string, ThemeColours>();

  before(async () => {
    for (const id of THEME_IDS) {
      themes.set(
        id,
        await colourLines(
          id,
          samples.map(([, line]) => line),
        ),
      );
    }
  });

  const colourOf = (id: string, kind: Kind): ColouredWord => {
    const i = samples.findIndex(([k]) => k === kind);
    return themes.get(id)!.lines[i]![0]!;
  };

  for (const id of THEME_IDS) {
    it(`${id}: every kind of token has a colour of its own (not the plain text colour)`, () => {
      const theme = themes.get(id)!;
      const uncoloured = samples.filter(([k]) => colourOf(id, k).foreground === theme.plain).map(([k]) => k);
      assert.deepEqual(uncoloured, [], `${theme.name}: uncoloured kinds`);
    });

    it(`${id}: REJECT is red and stands apart; ACCEPT, IPs, numbers and ids are told apart`, () => {
      const fg = (k: Kind): string => colourOf(id, k).foreground;
      const reject = hueSat(fg('reject'));
      assert.ok((reject.hue >= 335 || reject.hue <= 20) && reject.sat >= 0.4, `REJECT ${fg('reject')} is red`);
      const accept = hueSat(fg('accept'));
      assert.ok(!(accept.hue >= 335 || accept.hue <= 20), `ACCEPT ${fg('accept')} is not red`);
      const distinct: Kind[] = ['reject', 'accept', 'ip4', 'num'];
      assert.equal(new Set(distinct.map(fg)).size, distinct.length, distinct.map((k) => `${k} ${fg(k)}`).join(', '));
      for (const k of ['reject', 'accept', 'ip4'] as Kind[]) assert.notEqual(fg('eni'), fg(k), `eni vs ${k}`);
      assert.equal(fg('ip6'), fg('ip4'), 'IPv4 and IPv6 alike');
      for (const k of ['vpc', 'subnet', 'instance', 'tgw', 'arn'] as Kind[])
        assert.equal(fg(k), fg('eni'), `${k} like eni`);
      assert.ok(!colourOf(id, 'reject').underline && !colourOf(id, 'ip4').underline && !colourOf(id, 'eni').underline);
    });
  }
});

describe('grammar: speed', () => {
  it('prints the time to tokenise 10,000 record lines (no timing assertion)', () => {
    const pool = TEXT_FORMATS.flatMap((f) => fixtureLines(f.file).slice(f.header ? 1 : 0));
    const lines = Array.from({ length: 10_000 }, (_, i) => pool[i % pool.length]!);
    const t0 = process.hrtime.bigint();
    const tokens = tokenizer.tokenizeLines(lines);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(tokens.length, 10_000);
    const chars = lines.reduce((n, l) => n + l.length, 0);
    console.log(`      tokenised 10,000 lines (${(chars / 1e6).toFixed(2)} MB) in ${ms.toFixed(0)} ms`);

    const hostile = [
      '1.'.repeat(5000),
      'a:'.repeat(5000),
      'eni-' + 'a-'.repeat(5000),
      '-'.repeat(10000),
      'version '.repeat(2000) + 'x',
    ];
    const t1 = process.hrtime.bigint();
    for (const l of hostile) tokenizer.tokenizeLine(l);
    console.log(`      5 hostile 10,000-char lines in ${(Number(process.hrtime.bigint() - t1) / 1e6).toFixed(0)} ms`);
  });
});
