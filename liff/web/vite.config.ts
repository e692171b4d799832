import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `x.js.br` and `x.js.gz` beside every JS/CSS asset, compressed once at build time with the
 * strongest settings; liff/static.ts serves them to browsers that accept them (LINE's in-app
 * browser sends `br` over https). A cheap phone on 3G then downloads ~25 % of the bytes, and the
 * server spends no CPU compressing per request.
 */
function precompress(): Plugin {
  return {
    name: 'rongrian-precompress',
    apply: 'build',
    // After the files are written: earlier hooks see chunks before Vite's last rewrites (preload helpers).
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const path = join(options.dir!, name);
        const raw = readFileSync(path);
        if (raw.length < 512) continue;
        writeFileSync(`${path}.br`, brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

/**
 * The LIFF mini-app: vanilla TypeScript, no framework runtime (see README.md, "Why vanilla").
 * Built into ./dist and served by the web process at /liff/ (liff/static.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/liff/',
  logLevel: 'warn',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // LINE's in-app browser is the system WebView (Chromium on Android, WebKit on iOS), kept current.
    target: 'es2020',
    manifest: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // The LIFF SDK in a chunk of its own: it changes on a different rhythm than the app (long
        // cache), and the budget (`npm run bench:liff`) counts the app without it.
        codeSplitting: { groups: [{ name: 'liff-sdk', test: /node_modules[\\/]@(line[\\/]liff|liff)[\\/]/ }] },
      },
    },
  },
});
