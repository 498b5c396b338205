// Whether a file read as a flow log is one: the one rule every front end (the CLI, the analysis workers, the
// extension's Analyze Folder…) uses to skip a file with a note instead of counting its lines. PURE.
import type { ParseSink, UnparsedLine } from '../types';

/**
 * Why a file is not a flow log: it gave no record but unparsed lines, and is not damaged (a damaged file counts what
 * decoded). `firstProblem`: the reason of its first unparsed line. Undefined when it is one, or had no lines to judge
 * by.
 */
export function notAFlowLog(
  records: number,
  unparsed: number,
  damage: string | undefined,
  firstProblem: string | undefined,
): string | undefined {
  return records === 0 && unparsed > 0 && damage === undefined
    ? `not a flow log (${firstProblem ?? 'no record'})`
    : undefined;
}

/**
 * Watches `sink` for the reason of the first unparsed line it is given (for notAFlowLog), until `stop()` gives it
 * back its own `unparsed`. The sink keeps its class (and the parser its fast path); only that method is wrapped.
 */
export function watchFirstProblem(sink: ParseSink): {
  readonly first: () => string | undefined;
  readonly stop: () => void;
} {
  const own = Object.getOwnPropertyDescriptor(sink, 'unparsed');
  const unparsed = sink.unparsed.bind(sink);
  let first: string | undefined;
  sink.unparsed = (u: UnparsedLine): void => {
    first ??= u.reason;
    unparsed(u);
  };
  return {
    first: () => first,
    stop: (): void => {
      if (own) Object.defineProperty(sink, 'unparsed', own);
      else delete (sink as Partial<ParseSink>).unparsed;
    },
  };
}
