import { spawn } from 'node:child_process';

/** Runs `node app/cli.ts …` against a stack's env, as an administrator would. */
export function cli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['app/cli.ts', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `apikey create` through the CLI; returns the printed key and its id. */
export async function createKey(env: Record<string, string>, unit: string, name: string): Promise<{ key: string; id: string }> {
  const r = await cli(env, ['apikey', 'create', '--unit', unit, '--name', name]);
  if (r.code !== 0) throw new Error(`apikey create failed: ${r.stderr}`);
  const key = r.stdout.split('\n')[0].trim();
  return { key, id: key.split('.')[0] };
}
