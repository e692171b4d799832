/**
 * Builds the LIFF mini-app (`liff/web` → `liff/web/dist`) with Vite's API: used by `npm start` (so
 * the demo always serves the current sources) and by the LIFF benchmark. `npm run build:liff` is the
 * same build from the command line (tests build through it, in `pretest`).
 */
import { fileURLToPath } from 'node:url';

export const LIFF_WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));
export const LIFF_DIST_DIR = fileURLToPath(new URL('./web/dist/', import.meta.url));

/** `outDir`: somewhere else than liff/web/dist (a test must not rewrite the pages other tests are serving). */
export async function buildLiff(opts: { outDir?: string } = {}): Promise<void> {
  // Vite is a build tool (devDependency): loaded only when a build is asked for.
  const { build } = await import('vite');
  // Vite sets process.env.NODE_ENV=production for the bundle when it is unset; `npm start` builds in
  // its own process, which would then believe it runs in production (and refuse an open /metrics).
  const before = process.env.NODE_ENV;
  try {
    await build({ configFile: fileURLToPath(new URL('./web/vite.config.ts', import.meta.url)), logLevel: 'warn', ...(opts.outDir ? { build: { outDir: opts.outDir, emptyOutDir: true } } : {}) });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
