// Worker-thread entry for feeds/parse: decode + parse one feed body. Errors travel back as data (a class does not
// survive the thread boundary), and the caller rebuilds the PermanentError.
import type { ParsedFeed } from '../model.js';
import { parseFeedBytesSync, type ParseOptions } from './parse-sync.js';
import { decodeHtmlPage } from '../charset/decode.js';
import { discoverFeeds } from './discover.js';

export interface ParseTask {
  body: Uint8Array;
  opts: ParseOptions;
}

export type ParseResult = { ok: true; feed: ParsedFeed } | { ok: false; code: string; message: string; permanent: boolean };

export default function parseTask(task: ParseTask): ParseResult {
  try {
    return { ok: true, feed: parseFeedBytesSync(task.body, task.opts) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const permanent = (err as { name?: unknown }).name === 'PermanentError';
    return {
      ok: false,
      code: permanent && typeof code === 'string' ? code : 'parse_error',
      message: err instanceof Error ? err.message : String(err),
      permanent,
    };
  }
}

export interface DiscoverTask {
  body: Uint8Array;
  url: string;
  contentType?: string;
}

/** Decode an HTML page and list the feeds it advertises (feeds/discover), in this thread's time and heap bounds. */
export function discover(task: DiscoverTask): string[] {
  return discoverFeeds(decodeHtmlPage(task.body, task.contentType), task.url);
}
