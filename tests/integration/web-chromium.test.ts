// The digest web pages in headless Chromium: rendered without console errors, without dialogs (no script runs
// from hostile titles), and screenshotted to tests/.tmp/ for a human look. Skips when /usr/bin/chromium is absent.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../src/http/app.js';
import { CHROMIUM, HAVE_CHROMIUM, SCREENSHOTS as OUT, openChromiumSite, type ChromiumSite } from '../support/chromium-site.js';


if (!HAVE_CHROMIUM) {
  console.warn(`web-chromium: skipped — ${CHROMIUM} not found (apt-get install chromium)`);
}

describe.skipIf(!HAVE_CHROMIUM)('digest pages in headless Chromium', () => {
  let site: ChromiumSite;
  let browser: Browser;
  let server: WebServer;

  beforeAll(async () => {
    site = await openChromiumSite();
    ({ browser, server } = site);
  });

  afterAll(async () => {
    await site?.close();
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
