// The digest renderers, in one import: Markdown, HTML, plain text, Atom, JSON. All pure.
import type { Digest } from './types.js';

export { renderMarkdown, renderText } from './render-md.js';
export { renderHtml, type HtmlOptions } from './render-html.js';
export { renderAtom, digestAtomEntries, type AtomEntry, type AtomOptions } from './atom.js';

/** The JSON form (`wirewatch digest --format json`, the files channel, the webhook body). */
export function renderJson(d: Digest): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
