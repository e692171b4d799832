/**
 * `npm run bench:liff`: what the LIFF complaint form costs a cheap Android phone on a slow connection.
 *
 * 1. Builds the app (Vite) and prints every chunk, raw and gzipped, marking the first load of `#/new`
 *    (the entry, its static imports and CSS) and the LIFF SDK chunk. Budget: first-load JS ≤ 150 KB
 *    gzipped, the LIFF SDK excluded.
 * 2. Runs the real app (web process on a throwaway Redis + MongoDB-compatible store, with the LINE
 *    simulator) and opens `#/new` in headless Chromium with the network throttled to "slow 3G" through
 *    CDP (`Network.emulateNetworkConditions`: 400 ms latency, 50 KB/s down and up) and the CPU slowed
 *    4× (`Emulation.setCPUThrottlingRate`), cold cache, BENCH_LIFF_RUNS times (default 3), then once
 *    with a warm cache. Time to interactive = from navigation start until the form is drawn with its
 *    data (categories, PDPA notice, provinces) and accepts input (`performance.mark('rongrian:ready:new')`).
 *
 * The page runs in demo mode here (outside LINE): it also loads the liff-mock chunk and asks the
 * simulator for an ID token, which production does not; the times are therefore on the slow side.
 * Prints only; no thresholds are enforced on time.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createRuntime, prepareDatabase, startWeb } from '../app/runtime.ts';
import { buildLiff, LIFF_DIST_DIR } from '../liff/build.ts';
import { loadConfig } from '../shared/config.ts';
import { startLocalServices } from '../shared/infra/launcher.ts';
import { startLineSimulator } from '../simulator/server.ts';

const BUDGET_GZ = 150 * 1024;
const RUNS = Math.max(1, Number(process.env.BENCH_LIFF_RUNS ?? 3) || 3);
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50 * 1024, uploadThroughput: 50 * 1024 };
const CPU_SLOWDOWN = 4;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(7)} KB`;

interface ManifestChunk { file: string; name?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }

async function bundleReport(): Promise<{ firstLoadJsGz: number }> {
  const t0 = performance.now();
  await buildLiff();
  console.log(`LIFF app built in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${LIFF_DIST_DIR}`);
  const manifest = JSON.parse(readFileSync(join(LIFF_DIST_DIR, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
  const first = new Set<string>();
  const walk = (key: string) => {
    const c = manifest[key];
    if (!c || first.has(c.file)) return;
    first.add(c.file);
    for (const css of c.css ?? []) first.add(css);
    for (const imp of c.imports ?? []) walk(imp);
  };
  walk(entryKey);
  // The .br/.gz files beside each asset are the build's pre-compressed copies, not chunks.
  const assets = readdirSync(join(LIFF_DIST_DIR, 'assets')).filter((f) => /\.(js|css)$/.test(f)).sort();
  const rows = assets.map((f) => {
    const path = join(LIFF_DIST_DIR, 'assets', f);
    const raw = statSync(path).size;
    const gz = gzipSync(readFileSync(path), { level: 9 }).length;
    let br = NaN;
    try { br = statSync(`${path}.br`).size; } catch { /* small files are not pre-compressed */ }
    const file = `assets/${f}`;
    const sdk = f.startsWith('liff-sdk-');
    return { file, raw, gz, br, first: first.has(file), sdk, js: f.endsWith('.js') };
  });
  const html = readFileSync(join(LIFF_DIST_DIR, 'index.html'));
  console.log('\nchunk                                   raw          gzip        brotli   first load of #/new');
  for (const r of [{ file: 'index.html', raw: html.length, gz: gzipSync(html, { level: 9 }).length, br: NaN, first: true, sdk: false, js: false }, ...rows]) {
    const mark = r.first ? (r.sdk ? 'yes (LIFF SDK, not counted)' : 'yes') : 'on demand';
    console.log(`${r.file.padEnd(36)} ${kb(r.raw)}  ${kb(r.gz)}  ${Number.isNaN(r.br) ? '        –   ' : kb(r.br)}   ${mark}`);
  }
  const firstJs = rows.filter((r) => r.first && r.js && !r.sdk);
  const firstLoadJsGz = firstJs.reduce((s, r) => s + r.gz, 0);
  const firstLoadJsRaw = firstJs.reduce((s, r) => s + r.raw, 0);
  const sdk = rows.filter((r) => r.sdk);
  const css = rows.filter((r) => r.first && r.file.endsWith('.css'));
  const all = rows.filter((r) => r.first).reduce((s, r) => s + r.gz, 0) + gzipSync(html, { level: 9 }).length;
  console.log(`\nfirst load of #/new, app JS (LIFF SDK excluded): ${kb(firstLoadJsRaw).trim()} raw, ${kb(firstLoadJsGz).trim()} gzipped — budget ${kb(BUDGET_GZ).trim()}: ${firstLoadJsGz <= BUDGET_GZ ? 'within' : 'OVER'} (${((firstLoadJsGz / BUDGET_GZ) * 100).toFixed(0)} %)`);
  console.log(`LIFF SDK (pluggable core + 5 modules): ${sdk.map((r) => `${kb(r.raw).trim()} raw, ${kb(r.gz).trim()} gzipped`).join('; ')}`);
  console.log(`CSS: ${css.map((r) => `${kb(r.gz).trim()} gzipped`).join('; ')}; everything the first load fetches from us (HTML + CSS + JS incl. SDK): ${kb(all).trim()} gzipped`);
  return { firstLoadJsGz };
}

async function timeToInteractive(): Promise<void> {
  const services = await startLocalServices();
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('base64url');
  const sim = await startLineSimulator({ channelSecret: secret, channelAccessToken: token });
  const config = loadConfig({
    MONGODB_URI: services.mongoUri, REDIS_URL: services.redisUrl,
    LINE_CHANNEL_SECRET: secret, LINE_CHANNEL_ACCESS_TOKEN: token,
    LINE_API_BASE_URL: sim.url, LINE_DATA_API_BASE_URL: sim.url,
    LINE_LOGIN_CHANNEL_ID: '1234567890', // the simulator's default audience for ID tokens
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`, LOG_LEVEL: 'silent', PORT: '0',
  });
  const rt = await createRuntime(config, { dbName: `rongrian_bench_${randomBytes(3).toString('hex')}` });
  await prepareDatabase(rt);
  const web = await startWeb(rt, 0, '127.0.0.1');
  sim.setWebhookUrl(`${web.url}/webhook`);
  const user = sim.addUser({ displayName: 'ผู้ทดสอบ ความเร็ว', language: 'th', role: 'citizen' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const url = `${web.url}/liff/?user=${user.userId}#/new`;
  try {
    const measure = async (context: Awaited<ReturnType<typeof browser.newContext>>, label: string) => {
      const page = await context.newPage();
      page.on('pageerror', (err) => console.log(`  page error: ${err.message}`));
      page.on('console', (msg) => { if (msg.type() === 'error') console.log(`  console: ${msg.text()}`); });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => { bytes += e.encodedDataLength; requests++; });
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForSelector('html[data-ready="new"]', { timeout: 60_000 });
      const t = await page.evaluate(() => {
        // The demo-only part: the liff-mock chunk and the simulator's token (production has neither).
        const demo = performance.getEntriesByType('resource').filter((e) => /\/assets\/demo-|\/__sim\//.test(e.name)) as PerformanceResourceTiming[];
        return {
          ready: performance.getEntriesByName('rongrian:ready:new')[0]?.startTime ?? NaN,
          dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? NaN,
          demo: demo.length ? Math.max(...demo.map((e) => e.responseEnd)) - Math.min(...demo.map((e) => e.startTime)) : 0,
        };
      });
      console.log(`${label.padEnd(22)} time to interactive ${(t.ready / 1000).toFixed(2).padStart(6)} s (demo-only part ${(t.demo / 1000).toFixed(2)} s)   DOMContentLoaded ${(t.dcl / 1000).toFixed(2).padStart(6)} s   ${String(requests).padStart(3)} requests, ${kb(bytes).trim()} over the wire`);
      await page.close();
      return t.ready;
    };
    console.log(`\n#/new on "slow 3G" (latency ${SLOW_3G.latency} ms, ${SLOW_3G.downloadThroughput / 1024} KB/s down, ${SLOW_3G.uploadThroughput / 1024} KB/s up), CPU ${CPU_SLOWDOWN}× slower, headless Chromium, demo mode`);
    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ locale: 'th-TH', viewport: { width: 390, height: 844 } });
      cold.push(await measure(context, `cold cache, run ${i + 1}`));
      if (i === RUNS - 1) await measure(context, 'warm cache (reopen)');
      await context.close();
    }
    const sorted = [...cold].sort((a, b) => a - b);
    console.log(`median cold time to interactive: ${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(2)} s over ${RUNS} run(s)`);
  } finally {
    await browser.close();
    await web.close();
    await rt.models.conn.dropDatabase().catch(() => undefined);
    await rt.close();
    await sim.close();
    await services.stop();
  }
}

await bundleReport();
await timeToInteractive();
