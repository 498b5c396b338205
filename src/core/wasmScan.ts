// The WebAssembly record scanner of the fused byte path (wasm/scan.ts, compiled into wasmScanModule.ts). PURE.
//
// The parser copies each chunk of complete lines into the module's memory and asks it to scan each record
// line. The module only ever vouches for a line (same spans and values as scanRecordValues); any line it
// is unsure of goes to the JavaScript scanner, which alone decides that a line is bad and why. Where
// WebAssembly is missing or refuses the module, `createWasmScanner` returns null and the parser stays on
// the JavaScript scanner.
import { decodeBase64 } from './envelope';
import type { CompiledFormat } from './validate';
import { CODES, DATA, MAX_FIELDS, MAXD, MAXV, PAGE, SPANS, VALS, WASM_TEXT_CODES } from './wasmLayout';
import { SCAN_WASM_BASE64 } from './wasmScanModule';

interface ScanExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  scan(a: number, b: number, n: number): number;
}

let compiled: unknown = null;
let unavailable = false;

/** The compiled module, compiled once (synchronously: it is about 1 KB), or null. */
function scanModule(): unknown {
  if (compiled !== null || unavailable) return compiled;
  try {
    const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = decodeBase64(SCAN_WASM_BASE64);
    if (wa === undefined || bytes === undefined) unavailable = true;
    else compiled = new wa.Module(bytes);
  } catch {
    unavailable = true;
  }
  return compiled;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: unknown };
}

/** The scanner of one thread (see createWasmScanner). */
export class WasmScanner {
  private readonly ex: ScanExports;
  /** The module's memory as bytes; the span offsets index it. Replaced when the memory grows. */
  u8: Uint8Array;
  /** The spans and values of the last line `scan` accepted (views of the module's memory). */
  spans: Int32Array;
  vals: Float64Array;
  private format: CompiledFormat | null = null;
  private usable = false;
  private n = 0;

  constructor(ex: ScanExports) {
    this.ex = ex;
    this.u8 = new Uint8Array(0);
    this.spans = new Int32Array(0);
    this.vals = new Float64Array(0);
    this.views();
  }

  private views(): void {
    const buf = this.ex.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.spans = new Int32Array(buf, SPANS, MAX_FIELDS * 2);
    this.vals = new Float64Array(buf, VALS, MAX_FIELDS);
  }

  /**
   * Loads the validators of `cf` (remembered: a no-op for the format already loaded). False when the
   * module cannot scan that format (too many fields, or a validator only the JavaScript scanner knows).
   */
  ready(cf: CompiledFormat): boolean {
    if (cf === this.format) return this.usable;
    this.format = cf;
    this.n = cf.n;
    this.usable = cf.n <= MAX_FIELDS && canScan(cf);
    if (this.usable) {
      const u8 = this.u8;
      const maxV = new Float64Array(u8.buffer, MAXV, MAX_FIELDS);
      for (let k = 0; k < cf.n; k++) {
        u8[CODES + k] = cf.codes[k]!;
        u8[MAXD + k] = cf.maxDigits[k]!;
        maxV[k] = cf.maxValue[k]!;
      }
    }
    return this.usable;
  }

  /** Copies `bytes` into the module's memory (growing it if needed); returns the offset of bytes[0] in `u8`. */
  load(bytes: Uint8Array): number {
    const need = DATA + bytes.length;
    const have = this.ex.memory.buffer.byteLength;
    if (need > have) {
      this.ex.memory.grow(Math.ceil((need - have) / PAGE));
      this.views();
    }
    this.u8.set(bytes, DATA);
    return DATA;
  }

  /** Scans the line [a, b) of `u8` (b excludes CR/LF): true with `spans` and `vals` set, false to fall back. */
  scan(a: number, b: number): boolean {
    return this.ex.scan(a, b, this.n) === 1;
  }
}

/** Whether every field of `cf` has a validator the module implements (numeric, IP, action, log status, any). */
function canScan(cf: CompiledFormat): boolean {
  for (let k = 0; k < cf.n; k++) {
    if (cf.maxDigits[k]! === 0 && !WASM_TEXT_CODES.includes(cf.codes[k]!)) return false;
  }
  return true;
}

/** Whether the WebAssembly scanner can run here (the module compiles); false means JavaScript only. */
export function wasmScannerAvailable(): boolean {
  return scanModule() !== null;
}

let shared: WasmScanner | null = null;

/**
 * The thread's scanner, or null when WebAssembly is not available here. One instance serves every parser of
 * the thread: a parser uses it only inside one synchronous call (load a chunk, scan its lines, read the spans
 * and values of each line before the next), so parsers never see each other's bytes, and a folder of hundreds
 * of objects does not instantiate the module and grow its memory hundreds of times.
 */
export function createWasmScanner(): WasmScanner | null {
  if (shared !== null) return shared;
  const mod = scanModule();
  if (mod === null) return null;
  try {
    const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly as WasmApi;
    const inst = new wa.Instance(mod, {});
    shared = new WasmScanner(inst.exports as ScanExports);
    return shared;
  } catch {
    return null;
  }
}
