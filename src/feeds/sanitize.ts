// HTML in feed fields: a sanitiser running the one policy of markup/policy.ts that rebuilds every tag it keeps (so nothing it did not write gets
// through: no script, no on* handlers, no javascript: URLs — X4/X5), a plain-text flattener for titles and
// summaries, and the URL check every link goes through. Pure, linear-time: one forward pass of tokens, and a tag's
// end is found by a quote-aware scan before its grammar runs on that tag alone (C2).
import { decodeHTML, escapeText, escapeAttribute } from 'entities';
import { tagEnd } from '../markup/tag-end.js';
import { ALLOWED_TAGS, attributeAllowed, DROP_WITH_CONTENT, URL_ATTRIBUTES, URL_SCHEMES } from '../markup/policy.js';

const VOID = new Set(['br', 'hr', 'img', 'source', 'wbr', 'col', 'area', 'input', 'meta', 'link', 'base', 'param']);
const BLOCK = new Set(['p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr',
  'table', 'ul', 'ol', 'dl', 'dt', 'dd', 'section', 'article', 'header', 'footer', 'figure', 'figcaption']);

/**
 * One token: text, a comment, CDATA, a declaration, or the start of a tag (`<name`, `</name`). Where a tag ends is
 * found by tagEnd, not by this regex: a tag pattern that can fail only at the end of the text (`'<a '` × 20,000, no
 * `>`) rescanned the rest of the text from every `<` (3.6 s). A run of `<` that starts nothing is one text token.
 */
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)|[^<]+|<+(?![a-zA-Z!?\/])|</;
/** The grammar of one whole tag (run on that tag's text only): attributes, then an optional self-closing slash. */
const TAG = /^<\/?[a-zA-Z][a-zA-Z0-9:-]*((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>$/;
const ATTR = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

interface Token {
  /** The token's text. */
  text: string;
  /** Markup that is not a tag after all (`<a "x">`, an unterminated tag): shown as text, escaped. */
  literal?: boolean;
  /** CDATA content. */
  cdata?: string;
  /** Tag name, lower-cased, for start and end tags. */
  name?: string;
  closing?: boolean;
  selfClosing?: boolean;
  /** Raw attribute text of a start tag. */
  attrs?: string;
}

/**
 * The tokens of `html`, in order. A tag outside the tag grammar is text, and so is everything from a tag whose `>`
 * never comes. Each character is looked at a bounded number of times: linear in the length.
 */
function* tokens(html: string): Generator<Token> {
  const re = new RegExp(TOKEN.source, 'gy');
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null && m[0].length > 0) {
    if (m[3] === undefined) {
      yield { text: m[0], cdata: m[1], literal: m[0][0] === '<' && m[0][m[0].length - 1] === '<' && /^<+$/.test(m[0]) };
      continue;
    }
    const end = tagEnd(html, re.lastIndex);
    if (end < 0) {
      yield { text: html.slice(m.index), literal: true };
      return;
    }
    const tag = html.slice(m.index, end + 1);
    re.lastIndex = end + 1;
    const t = TAG.exec(tag);
    if (!t) yield { text: tag, literal: true };
    else yield { text: tag, name: m[3].toLowerCase(), closing: m[2] === '/', selfClosing: t[2] === '/', attrs: t[1] };
  }
}

/**
 * An absolute http(s) URL for `raw` resolved against `base`, or undefined for anything else (javascript:, data:,
 * file:, relative without a base, malformed). Entities are expected to be decoded already.
 */
export function safeUrl(raw: string | undefined | null, base?: string): string | undefined {
  if (typeof raw !== 'string') return undefined;
  // Browsers ignore ASCII whitespace and control characters inside schemes ("java\tscript:"): strip them first.
  const cleaned = raw.replace(/[\u0000-\u0020\u007f]+/g, (m) => (/^ +$/.test(m) ? '%20' : '')).replace(/^(%20)+|(%20)+$/g, '');
  if (cleaned === '') return undefined;
  try {
    const u = base ? new URL(cleaned, base) : new URL(cleaned);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.toString();
  } catch {
    return undefined;
  }
}

/** A URL inside content: safeUrl for http(s), the policy's other schemes (mailto:) as written, and fragments. */
function contentUrl(raw: string, base?: string): string | undefined {
  const t = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(t)?.[1].toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https' && URL_SCHEMES.includes(scheme)) return t;
  if (t.startsWith('#')) return t;
  return safeUrl(t, base);
}

function parseAttrs(raw: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of raw.matchAll(ATTR)) out.push([m[1].toLowerCase(), decodeHTML(m[2] ?? m[3] ?? m[4] ?? '')]);
  return out;
}

/**
 * Sanitise an HTML fragment: allow-listed tags and attributes only, URLs resolved against `base` and restricted to
 * http(s)/mailto, text re-escaped. Output is well-formed enough for any HTML parser to find no script or handler.
 */
export function sanitizeHtml(html: string, base?: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let dropping: string | undefined;
  let dropDepth = 0;
  for (const tok of tokens(html)) {
    const name = tok.name;
    if (name === undefined) {
      if (dropping) continue;
      if (tok.cdata !== undefined) out.push(escapeText(tok.cdata));
      else if (tok.literal || tok.text[0] !== '<' || tok.text === '<') out.push(escapeText(decodeHTML(tok.text)));
      continue; // comments, declarations, processing instructions vanish
    }
    const closing = tok.closing;
    if (dropping) {
      if (name === dropping) dropDepth += closing ? -1 : tok.selfClosing ? 0 : 1;
      if (dropDepth <= 0) dropping = undefined;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !tok.selfClosing && !VOID.has(name)) {
        dropping = name;
        dropDepth = 1;
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(name)) continue;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at >= 0) {
        while (open.length > at) out.push(`</${open.pop()}>`);
      }
      continue;
    }
    const attrs: string[] = [];
    for (const [k, v] of parseAttrs(tok.attrs ?? '')) {
      if (!attributeAllowed(name, k)) continue;
      let value = v;
      if (URL_ATTRIBUTES.has(k)) {
        const u = contentUrl(v, base);
        if (!u) continue;
        value = u;
      }
      attrs.push(` ${k}="${escapeAttribute(value)}"`);
    }
    if (name === 'img' && !attrs.some((a) => a.startsWith(' src='))) continue;
    out.push(`<${name}${attrs.join('')}>`);
    if (!VOID.has(name)) open.push(name);
  }
  while (open.length) out.push(`</${open.pop()}>`);
  return out.join('').trim();
}

/**
 * Plain text of an HTML fragment (or of text that merely contains entities): tags removed, script/style content
 * dropped, entities decoded once, whitespace collapsed. Used for titles, summaries and author names.
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  let dropping: string | undefined;
  for (const tok of tokens(html)) {
    const name = tok.name;
    if (name === undefined) {
      if (dropping) continue;
      if (tok.cdata !== undefined) out.push(tok.cdata);
      else if (tok.literal || tok.text[0] !== '<' || tok.text === '<') out.push(decodeHTML(tok.text));
      continue;
    }
    if (dropping) {
      if (name === dropping && tok.closing) dropping = undefined;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name) && !tok.closing && !tok.selfClosing) {
      dropping = name;
      continue;
    }
    if (BLOCK.has(name)) out.push(' ');
  }
  return out.join('').replace(/\s+/g, ' ').trim();
}

/** Text as-is (a text construct that is not HTML): entities already decoded by the XML parser; whitespace tidied. */
export function plainText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
