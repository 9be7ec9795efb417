// The digest web pages in headless Chromium: rendered without console errors, without dialogs (no script runs
// from hostile titles), and screenshotted to tests/.tmp/ for a human look. Skips when /usr/bin/chromium is absent.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp, startWebServer, type WebServer } from '../../src/http/app.js';
import type { DbHandle } from '../../src/store/db.js';
import { setupWebStore } from '../unit/digest/web-store.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

if (!HAVE_CHROMIUM) {
  console.warn(`web-chromium: skipped — ${CHROMIUM} not found (apt-get install chromium)`);
}

describe.skipIf(!HAVE_CHROMIUM)('digest pages in headless Chromium', () => {
  let browser: Browser;
  let server: WebServer;
  let h: DbHandle;
  let dir: string;

  beforeAll(async () => {
    const s = await setupWebStore();
    ({ h, dir } = s);
    server = await startWebServer(createWebApp(s.deps), { port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    fs.mkdirSync(OUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.db.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, url] of [
    ['digest', '/digests/morning/2026-11-26'],
    ['archive', '/'],
    ['topic', '/topics/ukraine-energy'],
    ['article-hostile', '/articles/x1'],
  ] as const) {
    it(`${name} page renders with no console errors and no script`, async () => {
      const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(`http://127.0.0.1:${server.port}/`)) problems.push(`request left the server: ${r.url()}`);
      });
      const res = await page.goto(`http://127.0.0.1:${server.port}${url}`, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      expect(await page.evaluate(() => document.querySelectorAll('script, img, iframe').length)).toBe(0);
      // The only SVG is our own server-rendered trend charts (issue 17); none from the stored content, none scriptable.
      expect(await page.evaluate(() => [...document.querySelectorAll('svg')].filter((e) => e.getAttribute('role') !== 'img' || [...e.querySelectorAll('*')].some((n) => [...n.attributes].some((a) => a.name.startsWith('on')))).length)).toBe(0);
      await page.screenshot({ path: path.join(OUT, `web-${name}.png`), fullPage: true });
      await page.close();
      expect(problems).toEqual([]);
    });
  }
});
