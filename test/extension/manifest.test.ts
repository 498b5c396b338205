// The manifest (package.json) and the extension sources agree: the command constants are the contributed commands
// and each is registered, every setting is read, menus name real commands, activation stays lazy, the engine
// floor matches @types/vscode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InternalCommand } from '../../src/extension/commands';

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

/** The keys `registerCommand(<table>.<key>` names in src/extension, in source order. */
function registeredKeys(table: string): string[] {
  const re = new RegExp(`registerCommand\\(\\s*${table}\\.(\\w+)`, 'g');
  return [...extensionSources.matchAll(re)].map((m) => m[1] ?? '');
}

describe('manifest', () => {
  it('has one command constant per contributed command, and no other', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.ok(contributed.includes('vpcFlow.analyze'));
    assert.deepEqual(Object.values(Command).sort(), contributed);
    for (const id of Object.values(InternalCommand)) {
      assert.ok(!contributed.includes(id), `internal command ${id} is not contributed`);
      assert.match(id, /^vpcFlow\._/, `internal command ${id} starts with vpcFlow._`);
    }
  });

  it('registers every command constant exactly once in src/extension, and commands only through constants', () => {
    const registered = registeredKeys('Command');
    assert.deepEqual([...registered].sort(), Object.keys(Command).sort(), 'each Command.<key> registered once');
    assert.deepEqual(registeredKeys('InternalCommand').sort(), Object.keys(InternalCommand).sort());
    const literal = /(registerCommand|executeCommand(<[^>]*>)?)\(\s*['"`]vpcFlow\./.exec(extensionSources);
    assert.equal(literal, null, `a command id written as a literal instead of a constant: ${literal?.[0] ?? ''}`);
    const ids: string[] = [...Object.values(Command), ...Object.values(InternalCommand)];
    const outside = ids.filter((id) => extensionSources.split(`'${id}'`).length > 2);
    assert.deepEqual(outside, [], 'command ids are spelled only in commands.ts');
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
