// The configuration in force in a running service. Topics, feeds and digests change on reload (SIGHUP or a file
// change); workers and web routes read them through these accessors per job or request, so a swap reaches them all
// at once without restarting anything.
import type { Config } from '../config/load.js';
import type { DigestConfig } from '../digest/config.js';
import type { FeedSource } from '../model.js';

export interface LiveConfig {
  current(): Config;
  feed(id: string): FeedSource | undefined;
  digest(id: string): DigestConfig | undefined;
  /** The tracked topics' ids and titles, as digests and pages show them. */
  topics(): { id: string; title: string }[];
  /** Make `next` the configuration in force. */
  swap(next: Config): void;
}

/** The topics' ids and titles: what digests and pages need of a topic. */
export function topicTitles(cfg: Config): { id: string; title: string }[] {
  return cfg.topics.list.map((t) => ({ id: t.id, title: t.title }));
}

export function createLiveConfig(cfg: Config): LiveConfig {
  let current = cfg;
  let feeds = new Map(cfg.feeds.map((f) => [f.id, f]));
  let digests = new Map(cfg.digests.map((d) => [d.id, d]));
  return {
    current: () => current,
    feed: (id) => feeds.get(id),
    digest: (id) => digests.get(id),
    topics: () => topicTitles(current),
    swap(next) {
      current = next;
      feeds = new Map(next.feeds.map((f) => [f.id, f]));
      digests = new Map(next.digests.map((d) => [d.id, d]));
    },
  };
}
