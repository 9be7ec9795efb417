// The worker-thread side of the extraction pool: one task = one page. Loaded from dist/ by pool.ts.
import type { Article, FeedItem } from '../model.js';
import { extractArticle } from './extract.js';

export interface ExtractTask {
  html: string;
  url: string;
  feedItem?: FeedItem;
}

export default function extractTask(task: ExtractTask): Article {
  return extractArticle(task.html, task.url, task.feedItem);
}
