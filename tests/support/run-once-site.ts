// The setup of the `run --once` end-to-end tests: a local news site on 127.0.0.1 serving the fixture articles, a
// feeds file listing its feeds, and a wirewatch.yml on the real Redis under the test's own prefix, with one digest
// (files channel) and no web server; `args` are the CLI flags that point at them.
import fs from 'node:fs';
import path from 'node:path';
import { startNewsSite, type NewsSite } from '../../bench/lib/news-site.js';
import { ARTICLES, FEEDS } from './site-fixture.js';
import { dropRedisPrefix } from './cli.js';
import { tempDir } from './stores.js';

export interface RunOnceSite {
  site: NewsSite;
  dir: string;
  args: string[];
  /** Stop the site and delete the prefix's Redis keys. */
  close(): Promise<void>;
}

/** `digestAt`: the e2e digest's daily time (UTC), which decides the period a run builds. */
export async function startRunOnceSite(o: { prefix: string; tmpPrefix: string; digestAt: string }): Promise<RunOnceSite> {
  const site = await startNewsSite({ articles: ARTICLES, feeds: FEEDS });
  const dir = tempDir(o.tmpPrefix);
  fs.writeFileSync(path.join(dir, 'feeds.yml'), FEEDS.map((f) => `- ${site.url}${f.path}`).join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'wirewatch.yml'),
    [
      `redis: { url: "redis://127.0.0.1:6379", prefix: ${o.prefix}, start_private: false }`,
      `topics_file: ${path.resolve('config/topics.yml')}`,
      `fetch: { allowed_ports: [80, 443, ${site.port}], per_host_concurrency: 4, per_host_min_gap_ms: 0 }`,
      'digests:',
      `  - { id: e2e, title: "E2E digest", schedule: { at: "${o.digestAt}", tz: UTC }, channels: [{ type: files }] }`,
      'http: { enabled: false }',
    ].join('\n') + '\n',
  );
  const args = ['--config', path.join(dir, 'wirewatch.yml'), '--feeds', path.join(dir, 'feeds.yml'), '--data-dir', path.join(dir, 'data'), '--allow-private-networks'];
  return {
    site,
    dir,
    args,
    close: async () => {
      await site.close();
      await dropRedisPrefix(o.prefix);
    },
  };
}
