/**
 * Builds the LIFF mini-app (`liff/web` → `liff/web/dist`) with Vite's API: used by `npm start` (so
 * the demo always serves the current sources) and by the LIFF benchmark. `npm run build:liff` is the
 * same build from the command line (tests build through it, in `pretest`).
 */
import { fileURLToPath } from 'node:url';

export const LIFF_WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));
export const LIFF_DIST_DIR = fileURLToPath(new URL('./web/dist/', import.meta.url));

export async function buildLiff(): Promise<void> {
  // Vite is a build tool (devDependency): loaded only when a build is asked for.
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('./web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
