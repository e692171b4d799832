import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** schemathesis from the cache (scripts/install-schemathesis.sh installs it once when missing). */
function schemathesis(): string {
  const fromEnv = process.env.SCHEMATHESIS_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const r = spawnSync('bash', ['scripts/install-schemathesis.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('schemathesis is not installed and could not be installed: run bash scripts/install-schemathesis.sh');
  return r.stdout.trim();
}

/**
 * Fuzzes the API an OpenAPI document describes for FUZZ_SECONDS (default 40), checking only that
 * no answer is a server error; `header` is the credential every request carries.
 */
export function runSchemathesis(openapiUrl: string, header: string): Promise<{ code: number | null; text: string }> {
  const args = [
    'run', openapiUrl,
    '--checks', 'not_a_server_error',
    '--max-time', process.env.FUZZ_SECONDS ?? '40',
    '--workers', '2',
    '--header', header,
    '--suppress-health-check', 'all',
    '--no-color',
  ];
  return new Promise((resolve) => {
    const child = spawn(schemathesis(), args, { env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.stderr.on('data', (d) => { text += d; });
    child.on('exit', (code) => resolve({ code, text }));
  });
}
