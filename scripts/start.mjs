// `npm start`: build, provision if needed, then serve VS Code (code-server) on http://127.0.0.1:8080 with
// this extension installed and the demo/ workspace open. Runs until Ctrl-C, then stops code-server's
// whole process group and removes the throw-away profile.
//   npm start -- --port 9000        (or PORT=9000 npm start)
//   npm run start:desktop           same with the local `code` CLI (desktop VS Code), when there is one
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, build, startCodeServer } from './codeServer.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const port = Number(portArg >= 0 ? argv[portArg + 1] : (process.env.PORT ?? 8080));
const demo = path.join(ROOT, 'demo');

if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`[start] invalid port: ${portArg >= 0 ? argv[portArg + 1] : process.env.PORT}`);
  process.exit(2);
}

try {
  build();
} catch (err) {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

if (argv.includes('--desktop')) {
  const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const code = which.stdout.trim();
  if (which.status !== 0 || !code) {
    console.error(
      '[start:desktop] no `code` command on PATH. Install VS Code and its shell command (in VS Code: "Shell Command: Install \'code\' command in PATH"), or use `npm start` (code-server in the browser).',
    );
    process.exit(1);
  }
  console.log(`[start:desktop] opening ${demo} in VS Code with the extension from ${ROOT} (close the window to stop)`);
  const child = spawn(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${ROOT}`, demo], {
    stdio: 'inherit',
  });
  child.on('exit', (c) => process.exit(c ?? 0));
} else {
  // Install the built extension into the throw-away profile (a copy of what the .vsix would hold).
  let server;
  try {
    server = await startCodeServer({ port, folder: demo, copyExtensions: [ROOT], smokeTestDriver: false });
  } catch (err) {
    console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const url = `${server.url}/?folder=${encodeURIComponent(demo)}`;
  console.log(
    `\n  VPC Flow Explorer demo is running: ${url}\n  (code-server log: ${server.logFile}; Ctrl-C to stop)\n`,
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Exit too if code-server dies on its own.
  const timer = setInterval(() => {
    try {
      process.kill(server.pid, 0);
    } catch {
      clearInterval(timer);
      console.error(`[start] code-server stopped unexpectedly:\n${server.dumpLog(4000)}`);
      void server.stop().then(() => process.exit(1));
    }
  }, 2000);
  if (!fs.existsSync(path.join(demo, 'busy-vpc.log')))
    console.error('[start] demo/busy-vpc.log is missing: run `node scripts/generateDemoLog.mjs`');
}
