import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { acceptsEncoding, liffPages, simulatorUrlOf } from '../liff/static.ts';
import { areaText, normalisePhone } from '../liff/web/src/format.ts';
import { sniff } from '../liff/web/src/photos.ts';

// The browser-free parts of the LIFF front end, and how the web process serves the built pages.

describe('photo type by content (magic bytes), not by name', () => {
  const bytes = (...parts: (number[] | string)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));
  it('knows the four accepted types', () => {
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(sniff(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'))).toBe('image/png');
    expect(sniff(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniff(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0]))).toBe('image/heic');
    expect(sniff(bytes([0, 0, 0, 24], 'ftypmif1', [0, 0, 0, 0]))).toBe('image/heic');
  });
  it('refuses everything else, whatever it is called', () => {
    expect(sniff(bytes('%PDF-1.7\n'))).toBeNull();
    expect(sniff(bytes('GIF89a'))).toBeNull();
    expect(sniff(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniff(bytes([0, 0, 0, 24], 'ftypavif', [0, 0, 0, 0]))).toBeNull();
    expect(sniff(bytes('RIFF', [1, 2, 3, 4], 'WAVE'))).toBeNull();
    expect(sniff(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniff(new Uint8Array())).toBeNull();
  });
});

describe('Thai phone numbers as the API takes them', () => {
  it.each([
    ['081-234-5678', '0812345678'], ['02 123 4567', '021234567'], ['+66812345678', '0812345678'], ['+66 2 123 4567', '021234567'],
  ])('%s → %s', (raw, want) => expect(normalisePhone(raw)).toBe(want));
  it.each(['08l2345678', '12345678', '081234567890', '+6681234567890', '0-8', ''])('rejects %j', (raw) => expect(normalisePhone(raw)).toBeNull());
});

describe('area names', () => {
  it('Thai prefixes, with แขวง/เขต in Bangkok', () => {
    expect(areaText('th', '50', { sub: 'ศรีภูมิ', district: 'เมืองเชียงใหม่', province: 'เชียงใหม่' })).toBe('ต.ศรีภูมิ อ.เมืองเชียงใหม่ จ.เชียงใหม่');
    expect(areaText('th', '10', { sub: 'พระบรมมหาราชวัง', district: 'พระนคร', province: 'กรุงเทพมหานคร' })).toBe('แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร');
    expect(areaText('en', '50', { district: 'Mueang Chiang Mai', province: 'Chiang Mai' })).toBe('Mueang Chiang Mai, Chiang Mai');
  });
});

describe('serving the built pages at /liff/', () => {
  async function fakeDist() {
    const dir = await mkdtemp(join(tmpdir(), 'liff-dist-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><head><!--rongrian-config--></head><body></body>');
    const js = 'console.log("hello");'.repeat(100);
    await writeFile(join(dir, 'assets', 'index-abc123.js'), js);
    await writeFile(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(js));
    return { dir, js };
  }
  async function serve(opts: Parameters<typeof liffPages>[0]) {
    const app = express();
    app.use('/liff', liffPages(opts));
    app.use('/liff/api', (_req, res) => void res.json({ api: true }));
    const server = await new Promise<import('node:http').Server>((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
    const port = (server.address() as import('node:net').AddressInfo).port;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
  }

  it('index.html: no-cache, CSP, the deployment settings as inert JSON (escaped)', async () => {
    const { dir } = await fakeDist();
    const srv = await serve({ liffId: '</script><script>alert(1)</script>', simulatorUrl: 'http://127.0.0.1:3001', distDir: dir });
    try {
      const res = await fetch(`${srv.url}/liff/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).not.toContain('<script>alert(1)');
      const json = /<script id="rongrian-config" type="application\/json">(.*?)<\/script>/.exec(html)![1];
      expect(JSON.parse(json)).toEqual({ liffId: '</script><script>alert(1)</script>', simulatorUrl: 'http://127.0.0.1:3001' });
      expect((await fetch(`${srv.url}/liff`, { redirect: 'manual' })).headers.get('location')).toBe('/liff/');
    } finally { await srv.close(); }
  });

  it('hashed assets: a year, immutable, pre-compressed copy when accepted; unknown assets 404; the API is not shadowed', async () => {
    const { dir, js } = await fakeDist();
    const srv = await serve({ liffId: '', distDir: dir });
    try {
      const gz = await fetch(`${srv.url}/liff/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gz.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(gz.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await gz.text()).toBe(js); // fetch undoes the gzip
      const plain = await fetch(`${srv.url}/liff/assets/index-abc123.js`, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${srv.url}/liff/assets/nope-000.js`)).status).toBe(404);
      expect(await (await fetch(`${srv.url}/liff/api/me`)).json()).toEqual({ api: true });
    } finally { await srv.close(); }
  });

  it('not built yet: a plain 503 that says what to run', async () => {
    const srv = await serve({ liffId: '', distDir: join(tmpdir(), 'no-such-liff-dist') });
    try {
      const res = await fetch(`${srv.url}/liff/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:liff');
    } finally { await srv.close(); }
  });

  it('accept-encoding and the simulator switch', () => {
    expect(acceptsEncoding('gzip, deflate, br, zstd', 'br')).toBe(true);
    expect(acceptsEncoding('gzip;q=0, br', 'gzip')).toBe(false);
    expect(acceptsEncoding('gzip;q=0.5', 'gzip')).toBe(true);
    expect(acceptsEncoding('', 'gzip')).toBe(false);
    expect(simulatorUrlOf('http://127.0.0.1:3001')).toBe('http://127.0.0.1:3001');
    expect(simulatorUrlOf('http://localhost:3001/')).toBe('http://localhost:3001');
    expect(simulatorUrlOf('https://api.line.me')).toBeUndefined();
    expect(simulatorUrlOf('http://10.0.0.5:3001')).toBeUndefined();
  });
});

describe('colour contrast of the stylesheet (WCAG AA: text ≥ 4.5:1, input borders ≥ 3:1)', () => {
  const css = readFileSync(new URL('../liff/web/src/style.css', import.meta.url), 'utf8');
  const v = (name: string) => /#[0-9a-f]{6}/i.exec(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css)?.[1] ?? '')?.[0] ?? '';
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a: string, b: string) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  it.each([
    ['fg', 'card', 4.5], ['fg', 'bg', 4.5], ['muted', 'card', 4.5], ['muted', 'bg', 4.5], ['muted', 'ok-bg', 4.5],
    ['primary', 'card', 4.5], ['primary', 'bg', 4.5], ['danger', 'card', 4.5], ['line', 'card', 3], ['focus', 'card', 3],
  ] as const)('%s on %s', (fg, bg, min) => {
    const [a, b] = [v(fg), v(bg)];
    expect(a, `--${fg}`).toMatch(/^#/);
    expect(b, `--${bg}`).toMatch(/^#/);
    expect(ratio(a, b)).toBeGreaterThanOrEqual(min);
  });
  it('white text on the primary and danger buttons', () => {
    expect(ratio('#ffffff', v('primary'))).toBeGreaterThanOrEqual(4.5);
    expect(ratio('#ffffff', v('danger'))).toBeGreaterThanOrEqual(4.5);
  });
});
