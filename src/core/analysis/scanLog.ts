// Port-scan observations of a part, recorded instead of decided, so that the combined analysis replays them in
// input order through one set of trackers (portScan.ts) and detects exactly what one pass over the whole input
// detects: the trackers are order-dependent (windows, clearing on fire, CLOCK eviction), so a window that
// crosses a part or file boundary can only be decided with the observations before it. PURE: no vscode, no
// DOM, no Node built-ins.
//
// Why replay. Other exact designs need the trackers' state at the start of each part, which depends on every
// earlier record (windows, clearing on fire, CLOCK eviction over all pairs), so parts could not be analysed in
// parallel; a part cannot decide its own scans either (the first records of a part may complete a window that
// started in the part before, and an eviction there changes what survives here). Recording is cheap and parallel;
// only the replay is serial, and it costs what the trackers cost in one pass.
//
// Cost. Recording is a few typed-array writes per scan-eligible REJECT record (no allocation, except the text of
// an address that is not canonical IPv4, once per distinct address per part); the arrays double as they fill.
// Memory: 68 bytes per observation (realistic bench file: 175,735 observations per million records, 12 MB).
// Measured on the 1M-line bench files (tsx, shared 2-core machine, CPU time): replay 0.14–0.25 s per million
// records (about 1.4 µs per observation), the whole combine of one part 0.22–0.38 s, against 1.5–2.9 s for the
// single pass. A part's analysis is a little cheaper than a single pass, since it observes nothing.

import type { AnalysisConfig } from './config';
import { NumScanTracker } from './portScan';
import type { ScanPart } from './part';
import { spanKey } from './spanHash';
import { asciiText } from '../record';

/** Numbers per observation in ScanPart.f and ScanPart.i32. */
export const OBS_F = 4;
export const OBS_I = 9;
/** ScanPart.i32 fields. */
export const O_LINE = 0;
export const O_DPORT = 1;
export const O_SPORT = 2;
export const O_PROTO = 3;
export const O_FLAGS = 4;
export const O_SRC = 5;
export const O_DST = 6;
export const O_SEQ = 7;
export const O_FILE = 8;
/** Observation flags: both addresses IPv4 (the IPv4 trackers); the record is selected (counted); another
 * actionable trigger already alerted on it; a MITRE-mapped port trigger already fired the derived trigger. */
export const OBS_V4 = 1;
export const OBS_SELECTED = 2;
export const OBS_ALERTED = 4;
export const OBS_MITRE = 8;

/** Characters of the canonical dotted text of an IPv4 number. */
function ipv4Length(n: number): number {
  let len = 3;
  for (let k = 0; k < 32; k += 8) {
    const o = (n >>> k) & 255; // n is an IPv4 number: below 2^32, so >>> reads it whole
    len += o < 10 ? 1 : o < 100 ? 2 : 3;
  }
  return len;
}

export class ScanLog {
  n = 0;
  private f = new Float64Array(OBS_F * 1024);
  private i32 = new Int32Array(OBS_I * 1024);
  private readonly texts: string[] = [];
  private readonly textRefs = new Map<number, number>();

  private grow(): void {
    const f = new Float64Array(this.f.length * 2);
    f.set(this.f);
    this.f = f;
    const i = new Int32Array(this.i32.length * 2);
    i.set(this.i32);
    this.i32 = i;
  }

  /** The text ref of an address: -1 for canonical IPv4 (its text is ipv4Text(v4)), else an index into texts. */
  private ref(text: string, u8: Uint8Array | null, s: number, e: number, v4: number, key: number): number {
    if (v4 >= 0 && e - s === ipv4Length(v4)) return -1;
    if (key < 0) key = spanKey(text, u8, s, e);
    let r = this.textRefs.get(key);
    if (r === undefined) {
      r = this.texts.length;
      this.texts.push(u8 !== null ? asciiText(u8, s, e) : (' ' + text.slice(s, e)).slice(1));
      this.textRefs.set(key, r);
    }
    return r;
  }

  /** Records one scan-eligible observation (flags set later by flag()). */
  add(
    text: string,
    u8: Uint8Array | null,
    srcS: number,
    srcE: number,
    src4: number,
    dstS: number,
    dstE: number,
    dst4: number,
    dport: number,
    start: number,
    line: number,
    sport: number,
    proto: number,
  ): void {
    if (this.n * OBS_F === this.f.length) this.grow();
    const fo = this.n * OBS_F;
    const io = this.n * OBS_I;
    const f = this.f;
    const i32 = this.i32;
    let ka = -1;
    let kb = -1;
    if (src4 >= 0 && dst4 >= 0) {
      f[fo] = src4;
      f[fo + 1] = dst4;
      i32[io + O_FLAGS] = OBS_V4;
    } else {
      ka = spanKey(text, u8, srcS, srcE);
      kb = spanKey(text, u8, dstS, dstE);
      f[fo] = ka;
      f[fo + 1] = kb;
      i32[io + O_FLAGS] = 0;
    }
    f[fo + 2] = start;
    f[fo + 3] = src4;
    i32[io + O_LINE] = line;
    i32[io + O_DPORT] = dport;
    i32[io + O_SPORT] = sport;
    i32[io + O_PROTO] = proto;
    // Canonical IPv4 texts are left out (ref -1) only for IPv4 pairs, whose numbers are the keys a and b.
    i32[io + O_SRC] = this.ref(text, u8, srcS, srcE, ka < 0 ? src4 : -1, ka);
    i32[io + O_DST] = this.ref(text, u8, dstS, dstE, kb < 0 ? dst4 : -1, kb);
    i32[io + O_SEQ] = 0;
    i32[io + O_FILE] = -1;
    this.n++;
  }

  /** Sets flags on the last observation. */
  flagLast(flags: number): void {
    const o = (this.n - 1) * OBS_I + O_FLAGS;
    this.i32[o] = this.i32[o]! | flags;
  }

  part(): ScanPart {
    return {
      n: this.n,
      f: this.f.slice(0, this.n * OBS_F),
      i32: this.i32.slice(0, this.n * OBS_I),
      texts: this.texts.slice(),
    };
  }
}

/**
 * Concatenates the observations of two parts, in that order. Decided observations (ScanPart.fired) only join
 * decided ones: the observations of a part that is not decided yet need the trackers' state after those before
 * it, which a decided part no longer holds.
 */
export function concatScans(a: ScanPart, b: ScanPart): ScanPart {
  const decided = a.fired !== undefined || b.fired !== undefined;
  if (decided && ((a.fired === undefined && a.n > 0) || (b.fired === undefined && b.n > 0)))
    throw new Error('port-scan observations: a decided part cannot be joined with one not decided yet');
  if (b.n === 0) return decided && a.fired === undefined ? { ...a, fired: new Int32Array(0) } : a;
  if (a.n === 0) return b;
  const f = new Float64Array((a.n + b.n) * OBS_F);
  f.set(a.f);
  f.set(b.f, a.n * OBS_F);
  const i32 = new Int32Array((a.n + b.n) * OBS_I);
  i32.set(a.i32);
  i32.set(b.i32, a.n * OBS_I);
  const shift = a.texts.length;
  if (shift > 0) {
    for (let k = a.n; k < a.n + b.n; k++) {
      const o = k * OBS_I;
      if (i32[o + O_SRC]! >= 0) i32[o + O_SRC] = i32[o + O_SRC]! + shift;
      if (i32[o + O_DST]! >= 0) i32[o + O_DST] = i32[o + O_DST]! + shift;
    }
  }
  const out: ScanPart = { n: a.n + b.n, f, i32, texts: a.texts.concat(b.texts) };
  if (decided) {
    const fired = new Int32Array((a.n + b.n) * 2);
    fired.set(a.fired!);
    fired.set(b.fired!, a.n * 2);
    out.fired = fired;
  }
  return out;
}

/**
 * The port-scan trackers (as TriggerSection holds them) over observations given in input order, part after part:
 * the state a part leaves is the state the next one starts from, as in one pass.
 */
export class ScanReplay {
  private readonly vertical: NumScanTracker;
  private readonly horizontal: NumScanTracker;
  private readonly vertical4: NumScanTracker;
  private readonly horizontal4: NumScanTracker;

  constructor(config: AnalysisConfig) {
    const s = config.portScan;
    this.vertical = new NumScanTracker(s.distinctPorts, s.windowSeconds, s.maxTracked);
    this.horizontal = new NumScanTracker(s.distinctHosts, s.windowSeconds, s.maxTracked);
    this.vertical4 = new NumScanTracker(s.distinctPorts, s.windowSeconds, s.maxTracked);
    this.horizontal4 = new NumScanTracker(s.distinctHosts, s.windowSeconds, s.maxTracked);
  }

  /**
   * Observes the observations of `scans` (not decided), in order, and calls `fired` for each one that reached a
   * threshold, with the distinct ports (vertical) and hosts (horizontal) reached.
   */
  run(scans: ScanPart, fired: (k: number, nPorts: number, nHosts: number) => void): void {
    if (scans.fired !== undefined) throw new Error('port-scan observations already decided');
    const f = scans.f;
    const i32 = scans.i32;
    for (let k = 0; k < scans.n; k++) {
      const a = f[k * OBS_F]!;
      const b = f[k * OBS_F + 1]!;
      const t = f[k * OBS_F + 2]!;
      const io = k * OBS_I;
      const dport = i32[io + O_DPORT]!;
      let nPorts: number;
      let nHosts: number;
      if ((i32[io + O_FLAGS]! & OBS_V4) !== 0) {
        nPorts = this.vertical4.observe(a, b, dport, t);
        nHosts = this.horizontal4.observe(a, dport, b, t);
      } else {
        nPorts = this.vertical.observe(a, b, dport, t);
        nHosts = this.horizontal.observe(a, dport, b, t);
      }
      if (nPorts > 0 || nHosts > 0) fired(k, nPorts, nHosts);
    }
  }

  /**
   * `scans` decided: observed (see run) and cut down to the observations that fired, with their counts and the
   * texts they name. A part's log (68 bytes an observation: 12 MB per million realistic records) is then not
   * carried to the summary, so the memory of a many-part analysis does not grow with its input.
   */
  decide(scans: ScanPart): ScanPart {
    const kept: number[] = [];
    const counts: number[] = [];
    this.run(scans, (k, nPorts, nHosts) => {
      kept.push(k);
      counts.push(nPorts, nHosts);
    });
    const f = new Float64Array(kept.length * OBS_F);
    const i32 = new Int32Array(kept.length * OBS_I);
    const texts: string[] = [];
    const refs = new Map<number, number>();
    const ref = (r: number): number => {
      if (r < 0) return r;
      let to = refs.get(r);
      if (to === undefined) {
        to = texts.length;
        texts.push(scans.texts[r]!);
        refs.set(r, to);
      }
      return to;
    };
    kept.forEach((k, j) => {
      f.set(scans.f.subarray(k * OBS_F, (k + 1) * OBS_F), j * OBS_F);
      i32.set(scans.i32.subarray(k * OBS_I, (k + 1) * OBS_I), j * OBS_I);
      i32[j * OBS_I + O_SRC] = ref(i32[j * OBS_I + O_SRC]!);
      i32[j * OBS_I + O_DST] = ref(i32[j * OBS_I + O_DST]!);
    });
    return { n: kept.length, f, i32, texts, fired: Int32Array.from(counts) };
  }
}

/**
 * Calls `fired` for each observation of `scans` that reached a threshold, with the distinct ports (vertical) and
 * hosts (horizontal) reached: replayed in order through fresh trackers, or, when decided, as recorded.
 */
export function replayScans(
  config: AnalysisConfig,
  scans: ScanPart,
  fired: (k: number, nPorts: number, nHosts: number) => void,
): void {
  const decided = scans.fired;
  if (decided === undefined) {
    new ScanReplay(config).run(scans, fired);
    return;
  }
  for (let k = 0; k < scans.n; k++) fired(k, decided[2 * k]!, decided[2 * k + 1]!);
}
