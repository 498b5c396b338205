// The manifest (package.json) and the extension sources agree: every contributed command is registered,
// every setting is read, menus name real commands, activation stays lazy, the engine floor matches @types/vscode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface Manifest {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  main: string;
  browser: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, unknown> };
    languages: { id: string; aliases?: string[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) text += sources(p);
    else if (entry.name.endsWith('.ts')) text += fs.readFileSync(p, 'utf8') + '\n';
  }
  return text;
}
const extensionSources = sources(path.join(ROOT, 'src', 'extension'));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hasLiteral = (s: string) => new RegExp(`['"\`]${escape(s)}['"\`]`).test(extensionSources);

describe('manifest', () => {
  it('registers every contributed command in src/extension', () => {
    const ids = manifest.contributes.commands.map((c) => c.command);
    assert.ok(ids.includes('vpcFlow.analyze'));
    const missing = ids.filter(
      (id) => !new RegExp(`registerCommand\\(\\s*['"]${escape(id)}['"]`).test(extensionSources),
    );
    assert.deepEqual(
      missing,
      [],
      `contributed but never registered with registerCommand('<id>'): ${missing.join(', ')}`,
    );
  });

  it('reads every contributed setting somewhere in src/extension', () => {
    // A key `vpcFlow.a.b.c` counts as read when its full name, or `a.b.c`, or a section literal plus the
    // rest (e.g. 'vpcFlow.triggers' + 'portScan.distinctPorts') appears as a string literal.
    const unread = Object.keys(manifest.contributes.configuration.properties).filter((key) => {
      const parts = key.split('.');
      if (hasLiteral(key)) return false;
      for (let i = 1; i < parts.length; i++) {
        const rest = parts.slice(i).join('.');
        const section = parts.slice(0, i).join('.');
        if (hasLiteral(rest) && (i === 1 || hasLiteral(section) || hasLiteral(parts.slice(1, i).join('.'))))
          return false;
      }
      // ...or a template over a list of leaf names: `triggers.portScan.${key}` for 'distinctPorts', ...
      const leaf = parts[parts.length - 1] ?? '';
      const parent = parts.slice(1, -1).join('.');
      if (parent && hasLiteral(leaf) && extensionSources.includes(`${parent}.\${`)) return false;
      return true;
    });
    assert.deepEqual(unread, [], `settings contributed but never read: ${unread.join(', ')}`);
  });

  it('gives every command the "VPC Flow" category and lists only contributed commands in menus', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'VPC Flow', c.command);
    assert.equal(manifest.contributes.commands.find((c) => c.command === 'vpcFlow.analyze')?.title, 'Analyze VPC Flow');
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(ids.has(item.command), `menu ${menu} names unknown command ${item.command}`);
    }
  });

  it('activates lazily and declares the engine floor that @types/vscode pins', () => {
    assert.ok(!manifest.activationEvents.includes('*'), 'activationEvents must not contain "*"');
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies['@types/vscode']}`);
    const lang = manifest.contributes.languages.find((l) => l.id === 'vpcflow');
    assert.ok(lang?.aliases?.includes('VPC Flow Log'), 'language vpcflow is called "VPC Flow Log"');
  });

  it('points main and browser at bundles that esbuild.mjs writes', () => {
    const build = fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
    for (const entry of [manifest.main, manifest.browser]) {
      const out = entry.replace(/^\.\//, '');
      assert.ok(build.includes(`outfile: '${out}'`), `esbuild.mjs builds ${out}`);
    }
  });
});
