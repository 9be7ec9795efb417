// The jsdom window extraction parses pages in: one per thread, reused, replaced every RECYCLE_AFTER pages.
// Creating a jsdom window costs ~13 ms (it installs every DOM interface), as much as parsing a typical page; a page
// parsed with the window's DOMParser gets its own Document (scripting disabled, nothing fetched) and no window.
import { JSDOM, VirtualConsole } from 'jsdom';
import { makeSanitizer } from './sanitize.js';

/**
 * A fresh window every so often: jsdom's selector engine (used by Readability and DOMPurify) caches per window and
 * keeps ~1 MB of each page alive until the window closes.
 */
const RECYCLE_AFTER = 20;

interface Shared {
  dom: JSDOM;
  sanitize: (dirty: Node | string) => string;
  pages: number;
}

let shared: Shared | undefined;

/**
 * Parse `html` as a document whose URL is `url` (for relative links) and hand it to `use` with the window's
 * sanitiser. No runScripts and no resources: jsdom runs no script and fetches nothing, and a silent VirtualConsole
 * keeps CSS/HTML parse errors off stderr. Never JSDOM.fromURL: pages come from the guarded fetch client.
 */
export function withDocument<T>(html: string, url: string, use: (doc: Document, sanitize: (dirty: Node | string) => string) => T): T {
  if (!shared || shared.pages >= RECYCLE_AFTER) {
    // window.close() frees the old window's timers and listeners; its memory goes when the event loop turns.
    shared?.dom.window.close();
    const dom = new JSDOM('<!doctype html><title></title>', { url, virtualConsole: new VirtualConsole() });
    shared = { dom, sanitize: makeSanitizer(dom.window), pages: 0 };
  }
  shared.pages++;
  shared.dom.reconfigure({ url });
  const doc = new shared.dom.window.DOMParser().parseFromString(html, 'text/html') as Document;
  try {
    return use(doc, shared.sanitize);
  } finally {
    // The window keeps every Document it parsed alive until it closes (measured: ~4 MB a page); a document
    // emptied of its tree costs next to nothing.
    while (doc.firstChild) doc.removeChild(doc.firstChild);
  }
}
