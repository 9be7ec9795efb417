// The worker-thread side of the extraction pool: one task = one page. Loaded from dist/ by pool.ts.
import type { MessagePort } from 'node:worker_threads';
import type { Article, FeedItem } from '../model.js';
import { extractArticle } from './extract.js';

export interface ExtractTask {
  html: string;
  url: string;
  feedItem?: FeedItem;
  /** Told the moment this worker starts the page, so the pool's time budget excludes queueing and worker start-up. */
  started?: MessagePort;
}

export default function extractTask(task: ExtractTask): Article {
  task.started?.postMessage('started');
  task.started?.close();
  return extractArticle(task.html, task.url, task.feedItem);
}
