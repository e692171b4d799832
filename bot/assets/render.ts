/**
 * Renders the rich-menu images from their HTML (headless Chromium, the machine's Thai fonts):
 * `node bot/assets/render.ts [file.html …]` (all of them by default). The PNGs are committed; re-run after editing an HTML file and bump
 * the menu's name suffix in bot/richMenu.ts so LINE gets a new menu.
 */
import { readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const dir = new URL('./', import.meta.url);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 2500, height: 843 } });
  const only = process.argv.slice(2);
  for (const f of readdirSync(dir).filter((n) => /^richmenu-.*\.html$/.test(n) && (!only.length || only.includes(n)))) {
    await page.goto(new URL(f, dir).href);
    await page.screenshot({ path: new URL(f.replace(/\.html$/, '.png'), dir).pathname, type: 'png' });
    console.log(`rendered ${f.replace(/\.html$/, '.png')}`);
  }
} finally {
  await browser.close();
}
