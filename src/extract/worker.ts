// The worker-thread side of the extraction pool: one task = one page. Loaded from dist/ by pool.ts.
import { parentPort, threadId } from 'node:worker_threads';
import type { Article, FeedItem } from '../model.js';
import { extractArticle } from './extract.js';
import type { ComplexityLimits } from './complexity.js';

export interface ExtractTask {
  html: string;
  url: string;
  feedItem?: FeedItem;
  /**
   * Posted back as { extractStarted: startedId } on the thread's own port the moment this worker starts the page,
   * so the pool's time budget excludes queueing and worker start-up (one shared port: a MessageChannel per page cost
   * the main thread ~0.1 ms a page).
   */
  startedId?: number;
  limits?: ComplexityLimits;
}

/** A page refused before parsing: the error travels as data (a class does not survive the thread boundary). */
export interface ExtractRefusal {
  refused: { code: string; message: string };
}

// This thread has loaded everything (jsdom included): from now on it may be terminated safely (pool.ts close()).
parentPort?.postMessage({ extractThreadLoaded: threadId });

export default function extractTask(task: ExtractTask): Article | ExtractRefusal {
  if (task.startedId !== undefined) parentPort?.postMessage({ extractStarted: task.startedId });
  try {
    return extractArticle(task.html, task.url, task.feedItem, task.limits);
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    if (e.name === 'PermanentError' && typeof e.code === 'string') return { refused: { code: e.code, message: String(e.message) } };
    throw err;
  }
}
