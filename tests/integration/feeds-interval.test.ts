// Adaptive polling is visible (issue 16): the feed health page shows each feed's interval and why, escaped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/http/app.js';
import { recordPoll, upsertFeeds } from '../../src/store/feeds.js';
import { sqliteStore, type TestStore } from '../support/stores.js';

describe('/feeds: interval and why', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await sqliteStore();
  });
  afterEach(async () => store.cleanup());

  it('shows the learned interval with its reason', async () => {
    const db = store.handle.db;
    const now = new Date().toISOString();
    await upsertFeeds(db, [{ id: 'wire', url: 'https://wire.example/rss', title: 'Wire' }], now);
    await recordPoll(db, 'wire', { lastPollAt: now, success: true, consecutiveFailures: 0, nextPollAt: now, intervalS: 1_200,
      intervalWhy: 'learned: items every 1 h (median of 9 gaps), polled at 33 % of it <b>' });
    const html = await (await createWebApp({ db, digests: [], topics: [] }).request('/feeds')).text();
    expect(html).toContain('20 min');
    expect(html).toContain('learned: items every 1 h (median of 9 gaps), polled at 33 % of it &lt;b&gt;');
  });
});
