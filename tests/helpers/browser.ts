/**
 * The browser tests' common setup: Debian's Chromium through playwright-core, pages that record what
 * they throw or log as errors (a test ends with `expect(web.errors).toEqual([])`), the phone-sized
 * LIFF page signed in through the simulator, and screenshots under artifacts/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const SHOTS = new URL('../../artifacts/screenshots/', import.meta.url);

/** Where a file saved by a test goes (a screenshot under another name, a PDF). */
export const screenshotPath = (file: string): string => new URL(file, SHOTS).pathname;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What LINE's in-app browser gives the mini-app on a common phone. */
export const PHONE = { width: 390, height: 844 };

export interface PageOptions {
  viewport?: { width: number; height: number };
  timezoneId?: string;
  geolocation?: { latitude: number; longitude: number };
  /** Which console errors count as page errors: all of them (default), none, or those `keep` returns true for. */
  consoleErrors?: 'all' | 'none' | ((text: string) => boolean);
}

export interface Browsing {
  browser: Browser;
  /** Everything the pages threw, and the console errors they were told to count. */
  errors: string[];
  /** A new page in its own context (its own cookies), Thai locale, phone-sized unless told otherwise. */
  page(opts?: PageOptions): Promise<Page>;
  /** The LIFF mini-app at `route` (e.g. `#/officer`), on a phone, signed in through the simulator as `user`. */
  liff(user: { userId: string }, route: string, opts?: PageOptions): Promise<Page>;
  /** Waits for a LIFF page to say it has drawn (`<html data-ready="name">`). */
  ready(page: Page, name: string): Promise<unknown>;
  /** Saves `<prefix>-<name>.png` under artifacts/screenshots/: the whole page, or one element. */
  shot(target: Page | Locator, name: string, fullPage?: boolean): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Starts Chromium; start it alongside the stack (Promise.all). `base` gives the web process's URL once
 * the stack is up; `prefix` names this file's screenshots; `wait` is how long a page may take to draw.
 */
export async function openBrowser(opts: { base: () => string; prefix: string; wait?: number }): Promise<Browsing> {
  const [browser] = await Promise.all([
    chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }),
    mkdir(SHOTS, { recursive: true }),
  ]);
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const wait = opts.wait ?? 20_000;

  const page = async (o: PageOptions = {}): Promise<Page> => {
    const context = await browser.newContext({
      viewport: o.viewport ?? PHONE,
      locale: 'th-TH',
      ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}),
      ...(o.geolocation ? { geolocation: o.geolocation, permissions: ['geolocation'] } : {}),
    });
    contexts.push(context);
    const p = await context.newPage();
    p.on('pageerror', (err) => errors.push(err.message));
    const counts = o.consoleErrors ?? 'all';
    if (counts !== 'none') {
      p.on('console', (msg) => { if (msg.type() === 'error' && (counts === 'all' || counts(msg.text()))) errors.push(msg.text()); });
    }
    return p;
  };

  return {
    browser,
    errors,
    page,
    async liff(user, route, o) {
      const p = await page(o);
      await p.goto(`${opts.base()}/liff/?user=${user.userId}${route}`);
      return p;
    },
    ready: (p, name) => p.waitForSelector(`html[data-ready="${name}"]`, { timeout: wait }),
    shot: (target, name, fullPage = true) => {
      const path = new URL(`${opts.prefix}-${name}.png`, SHOTS).pathname;
      return 'goto' in target ? target.screenshot({ path, fullPage }) : target.screenshot({ path });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}
