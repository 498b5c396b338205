// Test helper: resolves the colour a real VS Code theme gives each token of our grammar, with the same
// theme-matching code VS Code runs (vscode-textmate). Theme rules live in test/grammar/themes/ (see README there).
import fs from 'node:fs';
import path from 'node:path';
import * as vsctm from 'vscode-textmate';
import { createRegistry, SCOPE_NAME } from './textmate';

const THEME_DIR = path.join(__dirname, 'themes');

interface ThemeFile {
  name: string;
  type: string;
  tokenColors: {
    scope?: string | string[];
    settings: { foreground?: string; background?: string; fontStyle?: string };
  }[];
}

export interface ColouredWord {
  text: string;
  /** Foreground as #RRGGBB (upper case). */
  foreground: string;
  italic: boolean;
  bold: boolean;
  underline: boolean;
}

export interface ThemeColours {
  name: string;
  /** The foreground of text that no rule colours. */
  plain: string;
  /** Words of each line with their resolved style. */
  lines: ColouredWord[][];
}

export const THEME_IDS = [
  'dark-plus',
  'light-plus',
  'hc-black',
  'hc-light',
  'monokai',
  'solarized-dark',
  'solarized-light',
  '2026-dark',
  '2026-light',
  'github-dark-rules',
  'github-light-rules',
] as const;

const SENTINEL_DEFAULT = '#010203';

export function loadTheme(id: string): { name: string; raw: vsctm.IRawTheme } {
  const file = JSON.parse(fs.readFileSync(path.join(THEME_DIR, `${id}.json`), 'utf8')) as ThemeFile;
  // A first, scope-less rule sets the default style, as VS Code does with editor.foreground; a theme's own
  // scope-less rule (Monokai has one) comes later and overrides it.
  const settings: vsctm.IRawTheme['settings'] = [{ settings: { foreground: SENTINEL_DEFAULT } }, ...file.tokenColors];
  return { name: file.name, raw: { name: file.name, settings } };
}

/** Tokenises `lines` (with state) under theme `id` and returns each word's style. */
export async function colourLines(id: string, lines: readonly string[]): Promise<ThemeColours> {
  const { name, raw } = loadTheme(id);
  const registry = createRegistry(raw);
  const grammar = await registry.loadGrammar(SCOPE_NAME);
  if (!grammar) throw new Error('grammar did not load');
  const colorMap = registry.getColorMap();
  let state: vsctm.StateStack = vsctm.INITIAL;
  const out: ColouredWord[][] = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine2(line, state);
    state = result.ruleStack;
    const tokens = result.tokens; // pairs: start offset, encoded attributes
    const words: ColouredWord[] = [];
    const re = /\S+/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      let attrs = 0;
      for (let k = 0; k < tokens.length; k += 2) if (tokens[k]! <= m.index) attrs = tokens[k + 1]!;
      // vscode-textmate EncodedTokenAttributes: font style in bits 11-14, foreground colour id in bits 15-23.
      const fontStyle = (attrs >>> 11) & 0xf;
      words.push({
        text: m[0],
        foreground: (colorMap[(attrs >>> 15) & 0x1ff] ?? '').toUpperCase(),
        italic: (fontStyle & 1) !== 0,
        bold: (fontStyle & 2) !== 0,
        underline: (fontStyle & 4) !== 0,
      });
    }
    out.push(words);
  }
  return { name, plain: plainForeground(grammar, colorMap), lines: out };
}

function plainForeground(grammar: vsctm.IGrammar, colorMap: string[]): string {
  const r = grammar.tokenizeLine2('plainword', vsctm.INITIAL);
  return (colorMap[(r.tokens[1]! >>> 15) & 0x1ff] ?? '').toUpperCase();
}

/** Hue in degrees (0-360) and saturation (0-1) of #RRGGBB. */
export function hueSat(hex: string): { hue: number; sat: number } {
  const n = parseInt(hex.slice(1, 7), 16);
  const r = ((n >> 16) & 0xff) / 255;
  const g = ((n >> 8) & 0xff) / 255;
  const b = (n & 0xff) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  const l = (max + min) / 2;
  const sat = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  let hue = 0;
  if (d !== 0) {
    if (max === r) hue = 60 * (((g - b) / d) % 6);
    else if (max === g) hue = 60 * ((b - r) / d + 2);
    else hue = 60 * ((r - g) / d + 4);
  }
  return { hue: (hue + 360) % 360, sat };
}
