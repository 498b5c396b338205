// Detection for the editor: does the start of a document look like a VPC flow log? PURE.
import { decodeBase64, utf8 } from './envelope';
import { fflateInflater } from './input/fflate';
import { isGzip, MAX_INFLATED, type Inflater } from './input/inflate';
import { resolveFormat } from './infer';
import { headerFormat } from './parser';
import { FLAGGED, scanRecord } from './record';
import { compileFormat } from './validate';

export interface Detection {
  readonly kind: 'records' | 'header' | 'envelope';
  /** 0..1 */
  readonly confidence: number;
}

const MAX_LINES = 50;

/** How many of `texts` are flow records in the format the core would resolve for them (0..1), and its confidence. */
function recordShare(texts: readonly string[]): { share: number; confidence: number } {
  if (texts.length === 0) return { share: 0, confidence: 0 };
  const format = resolveFormat(texts);
  const cf = compileFormat(format);
  const spans = new Int32Array(cf.n * 2);
  let ok = 0;
  for (const t of texts) {
    const r = scanRecord(t, cf, format.fields, spans);
    if (r === undefined || r === FLAGGED) ok++;
  }
  return { share: ok / texts.length, confidence: format.confidence };
}

const MESSAGE_RE = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
const DATA_RE = /"data"\s*:\s*"([A-Za-z0-9+/=_-]{8,})"/g;

function jsonString(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(`"${raw}"`);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Flow-record candidates found in JSON text: message strings, and the payloads of base64 `data` strings. */
function envelopeTexts(text: string, inflater: Inflater, depth = 0): { texts: string[]; control: boolean } {
  const texts: string[] = [];
  let control = /"messageType"\s*:\s*"CONTROL_MESSAGE"/.test(text);
  for (const m of text.matchAll(MESSAGE_RE)) {
    const s = jsonString(m[1]!);
    if (s !== undefined && !/^CWL CONTROL MESSAGE/.test(s))
      texts.push(...s.split(/\r?\n/).filter((l) => l.trim() !== ''));
  }
  if (depth === 0) {
    for (const m of text.matchAll(DATA_RE)) {
      const bytes = decodeBase64(m[1]!);
      if (!bytes) continue;
      const raw = isGzip(bytes) ? inflater.gunzip(bytes, MAX_INFLATED) : bytes;
      if (!raw) continue;
      const inner = utf8(raw);
      if (/^\s*[[{]/.test(inner)) {
        const r = envelopeTexts(inner, inflater, depth + 1);
        texts.push(...r.texts);
        control ||= r.control;
      } else texts.push(...inner.split(/\r?\n/).filter((l) => l.trim() !== ''));
      if (texts.length >= MAX_LINES) break;
    }
  }
  return { texts, control };
}

/**
 * Whether a document that starts with `sample` (its first ~50 lines) holds VPC flow logs: flow records
 * (in a layout the core can resolve), a flow-log header line, or a CloudWatch Logs / Firehose envelope
 * around flow records. Null for anything else (web server logs, CSV, arbitrary JSON, prose). Never throws.
 * `inflater` decodes base64 gzip payloads (the host's; the portable fflate one by default).
 */
export function detectFlowLog(sample: string, inflater: Inflater = fflateInflater): Detection | null {
  try {
    const lines = sample
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .slice(0, MAX_LINES);
    const nonBlank = lines.filter((l) => l.trim() !== '');
    if (nonBlank.length === 0) return null;

    if (/^\s*[[{]/.test(nonBlank[0]!)) {
      const { texts, control } = envelopeTexts(lines.join('\n'), inflater);
      const { share, confidence } = recordShare(texts.slice(0, MAX_LINES));
      if (texts.length > 0 && share >= 0.5 && confidence >= 0.5)
        return { kind: 'envelope', confidence: Math.round(share * confidence * 100) / 100 };
      if (texts.length === 0 && control && /"(records|logEvents)"/.test(sample))
        return { kind: 'envelope', confidence: 0.6 };
      return null;
    }

    for (const l of nonBlank.slice(0, 5)) {
      const h = headerFormat(l);
      if (h && h.fields.length >= 2) return { kind: 'header', confidence: h.confidence };
    }

    // CloudWatch export lines: ISO timestamp before each record.
    const texts = nonBlank.map((l) => l.replace(/^\s*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)\s+/, ''));
    // The last sample line may be cut short: judge on complete lines when there are several.
    const judged = texts.length > 3 && !sample.endsWith('\n') ? texts.slice(0, -1) : texts;
    const { share, confidence } = recordShare(judged);
    if (share >= 0.5 && confidence >= 0.5)
      return { kind: 'records', confidence: Math.round(share * confidence * 100) / 100 };
    return null;
  } catch {
    return null;
  }
}
