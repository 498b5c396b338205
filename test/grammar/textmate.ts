// Test helper: loads syntaxes/vpcflow.tmLanguage.json into the TextMate engine VS Code uses
// (vscode-textmate + the Oniguruma WASM build) and tokenises lines in plain Node.
import fs from 'node:fs';
import path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const ROOT = path.resolve(__dirname, '..', '..');
export const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'vpcflow.tmLanguage.json');
export const SCOPE_NAME = 'source.vpcflow';

/** One token: its text and its scopes, outermost first, without the root `source.vpcflow`. */
export interface Token {
  text: string;
  start: number;
  scopes: string[];
}

/** A whitespace-delimited word of a line with the scopes of the tokens that cover it. */
export interface Word {
  text: string;
  start: number;
  /** The token scopes, or null when the word is split across tokens with different scopes (a partial match). */
  scopes: string[] | null;
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;

/** The Oniguruma library, loaded once from node_modules/vscode-oniguruma/release/onig.wasm. */
export function loadOnigLib(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

export function readGrammarText(): string {
  return fs.readFileSync(GRAMMAR_PATH, 'utf8');
}

/** A registry that serves our grammar, optionally with a theme. */
export function createRegistry(theme?: vsctm.IRawTheme): vsctm.Registry {
  const registry = new vsctm.Registry({
    onigLib: loadOnigLib(),
    loadGrammar: (scopeName) =>
      Promise.resolve(scopeName === SCOPE_NAME ? vsctm.parseRawGrammar(readGrammarText(), GRAMMAR_PATH) : null),
  });
  if (theme) registry.setTheme(theme);
  return registry;
}

export class Tokenizer {
  constructor(private readonly grammar: vsctm.IGrammar) {}

  static async create(): Promise<Tokenizer> {
    const grammar = await createRegistry().loadGrammar(SCOPE_NAME);
    if (!grammar) throw new Error(`grammar ${SCOPE_NAME} did not load`);
    return new Tokenizer(grammar);
  }

  /** Tokenises lines in order, carrying the rule stack from line to line as an editor does. */
  tokenizeLines(lines: readonly string[]): Token[][] {
    let state: vsctm.StateStack = vsctm.INITIAL;
    return lines.map((line) => {
      const result = this.grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((t) => ({
        text: line.slice(t.startIndex, t.endIndex),
        start: t.startIndex,
        scopes: t.scopes.filter((s) => s !== SCOPE_NAME),
      }));
    });
  }

  tokenizeLine(line: string): Token[] {
    return this.tokenizeLines([line])[0] ?? [];
  }

  /** The whitespace-delimited words of each line, each with the scopes of the tokens covering it. */
  wordsOfLines(lines: readonly string[]): Word[][] {
    const all = this.tokenizeLines(lines);
    return lines.map((line, i) => wordsOf(line, all[i] ?? []));
  }

  words(line: string): Word[] {
    return wordsOf(line, this.tokenizeLine(line));
  }
}

/** Splits `line[from, to)` into words and attaches the scopes of the tokens that cover each word. */
export function wordsOf(line: string, tokens: readonly Token[], from = 0, to = line.length): Word[] {
  const words: Word[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  for (let m = re.exec(line); m && m.index < to; m = re.exec(line)) {
    const start = m.index;
    const text = m[0].slice(0, Math.max(0, to - start));
    const end = start + text.length;
    const covering = tokens.filter((t) => t.start < end && t.start + t.text.length > start);
    const first = covering[0];
    const same = first !== undefined && covering.every((t) => t.scopes.join(' ') === first.scopes.join(' '));
    words.push({ text, start, scopes: same ? first.scopes : null });
  }
  return words;
}

/**
 * The scope a theme colours a word by: the innermost scope that is not a `meta.*` wrapper, or '' for plain
 * text. 'MIXED' when the word is split across tokens with different scopes.
 */
export function kindOf(scopes: readonly string[] | null): string {
  if (scopes === null) return 'MIXED';
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i]!;
    if (!s.startsWith('meta.')) return s;
  }
  return '';
}
