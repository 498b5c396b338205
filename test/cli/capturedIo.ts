// A CliIo whose stdout and stderr are kept as text, and whose stdin is empty: a command run in the test's process.
import type { CliIo } from '../../src/cli/io';

export interface CapturedIo {
  readonly io: CliIo;
  /** What was written so far. */
  readonly out: string;
  readonly err: string;
  /** Forgets what was written so far. */
  clear(): void;
}

export function capturedIo(): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string | Uint8Array) => (out += String(s)) },
      stderr: { write: (s: string | Uint8Array) => (err += String(s)) },
      stdin: (async function* () {})(),
    },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    clear() {
      out = '';
      err = '';
    },
  };
}
