// The manifest and the editor glue agree: every `vpcFlow.*` setting is read by src/extension/config.ts, and the
// colours and icon the decorations use are declared and present. Plain Node: reads the files, no vscode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (p: string): string => fs.readFileSync(path.join(ROOT, p), 'utf8');

interface Manifest {
  contributes: { configuration: { properties: Record<string, unknown> }; colors: { id: string }[] };
}

describe('editor configuration and manifest', () => {
  const manifest = JSON.parse(read('package.json')) as Manifest;
  const config = read('src/extension/config.ts');
  const extensionSources = fs
    .readdirSync(path.join(ROOT, 'src', 'extension'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => read(path.join('src', 'extension', f)))
    .join('\n');

  it('reads every contributed vpcFlow.* setting in config.ts', () => {
    const keys = Object.keys(manifest.contributes.configuration.properties);
    assert.ok(keys.length >= 9);
    const unread = keys.filter((key) => {
      const suffix = key.replace(/^vpcFlow\./, '');
      const last = suffix.split('.').pop() ?? suffix;
      // A key is read either whole ('hover.enabled') or by its last segment inside a loop over a group.
      return !config.includes(`'${suffix}'`) && !config.includes(`'${last}'`) && !config.includes(`.${last}`);
    });
    assert.deepEqual(unread, [], `settings never read by config.ts: ${unread.join(', ')}`);
  });

  it('declares every theme colour the editor features use', () => {
    const declared = new Set(manifest.contributes.colors.map((c) => c.id));
    const used = [...extensionSources.matchAll(/ThemeColor\('(vpcFlow\.[A-Za-z]+)'\)/g)].map((m) => m[1]);
    assert.ok(used.length >= 5, 'the decorations use the vpcFlow colours');
    for (const id of used) assert.ok(id && declared.has(id), `${id} is declared in contributes.colors`);
  });

  it('ships the gutter icon', () => {
    const svg = read('media/alert.svg');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(!/<script|on[a-z]+=/i.test(svg), 'a plain SVG without scripts');
  });
});
