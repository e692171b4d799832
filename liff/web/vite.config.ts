import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The LIFF mini-app: vanilla TypeScript, no framework runtime (see README.md, "Why vanilla").
 * Built into ./dist and served by the web process at /liff/ (liff/static.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/liff/',
  logLevel: 'warn',
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
