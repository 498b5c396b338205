// The packaged extension: the .vsix holds only the allow-listed files, installs into code-server with
// --install-extension, and activates there (its "VPC Flow" log channel reports the version).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { ROOT, build, packageVsix } from '../../scripts/codeServer.mjs';
import { WAIT_MS, openWorkbench, screenshotOnFailure, type Workbench } from './lib';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  publisher: string;
  name: string;
};

describe('packaged .vsix', function () {
  this.timeout(6 * WAIT_MS);
  let tmp = '';
  let vsix = '';
  let wb: Workbench | undefined;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vpcflow-vsix-'));
    vsix = packageVsix({ out: path.join(tmp, 'vpc-flow-explorer.vsix') });
    build(); // back to the development build (with source maps) for the other suites
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });
  after(async () => {
    await wb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds only the bundle, grammar, media, manifest and docs', () => {
    const names = Object.keys(unzipSync(fs.readFileSync(vsix))).filter((n) => !n.endsWith('/'));
    const allowed =
      /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|language-configuration\.json|dist\/(extension\.js|documentWorker\.js|analysisWorker\.js|web\/extension\.js|webview\.js|webview\.css)|syntaxes\/[^/]+\.json|media\/[^/]+))$/;
    const unexpected = names.filter((n) => !allowed.test(n));
    assert.deepEqual(unexpected, [], `files outside the allow-list: ${unexpected.join(', ')}`);
    for (const must of [
      'extension/package.json',
      'extension/dist/extension.js',
      // The Node entry's document worker: without it the desktop extension analyses documents in-thread.
      'extension/dist/documentWorker.js',
      // The Node entry's worker pool (Analyze Folder…): without it folders are analysed on one thread.
      'extension/dist/analysisWorker.js',
      'extension/dist/web/extension.js',
      'extension/LICENSE.txt',
      'extension/readme.md', // vsce stores README.md and CHANGELOG.md lower-cased
      'extension/changelog.md',
    ]) {
      assert.ok(names.includes(must), `${must} is in the .vsix (has: ${names.join(', ')})`);
    }
  });

  it('installs into code-server with --install-extension', async () => {
    wb = await openWorkbench({ extension: 'vsix', vsix });
    const installed = fs.readdirSync(wb.server.extensionsDir);
    assert.ok(
      installed.includes(`${pkg.publisher}.${pkg.name}-${pkg.version}`),
      `extensions dir holds ${installed.join(', ')}`,
    );
    assert.doesNotMatch(
      await wb.page.title(),
      /Extension Development Host/,
      'the extension is the installed one, not the dev path',
    );
  });

  it('activates on a sample flow log and logs to its "VPC Flow" channel', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    await wb.runCommandUntil('VPC Flow: Show Log', 'the Output panel', () => wb!.outputPanelVisible());
    assert.equal(await wb.outputChannel(), 'VPC Flow');
    const text = await wb.outputText(`VPC Flow Explorer ${pkg.version} activated`);
    assert.match(text, /activated/);
    await wb.screenshot('vsix-installed-log');
  });
});
