// The web app on a loopback port with the shared web-store fixture, and Debian's Chromium driven by playwright-core:
// what every browser test starts from. Tests skip when /usr/bin/chromium is absent (.ci/run installs it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createWebApp, startWebServer, type WebServer } from '../../src/http/app.js';
import { setupWebStore } from '../unit/digest/web-store.js';
import type { DbHandle } from '../../src/store/db.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
/** Screenshots go here, for a human look. */
export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

export interface ChromiumSite {
  browser: Browser;
  server: WebServer;
  /** The fixture store behind the server (a test may add rows before it opens a page). */
  db: DbHandle['db'];
  close(): Promise<void>;
}

/** Serve the fixture store and launch Chromium with the flags this closed network needs (no background traffic). */
export async function openChromiumSite(): Promise<ChromiumSite> {
  const s = await setupWebStore();
  const server = await startWebServer(createWebApp(s.deps), { port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    server,
    db: s.h.db,
    async close() {
      await browser.close();
      await server.close();
      await s.h.db.destroy();
      fs.rmSync(s.dir, { recursive: true, force: true });
    },
  };
}
