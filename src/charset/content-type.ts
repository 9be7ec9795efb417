// The one reader of a Content-Type header value (RFC 9110 §8.3): media type and charset parameter. Parameter values
// may be quoted strings (`charset="utf-8"`, with backslash escapes) or tokens; single quotes are not HTTP syntax but
// are seen in the wild and stripped too. Used by the fetch client's type gate and by every decoder.

export interface ContentType {
  /** Lower-cased `type/subtype`, or undefined when the value has none. */
  mediaType?: string;
  /** The charset parameter, trimmed and unquoted (case kept), or undefined when absent or empty. */
  charset?: string;
}

const PARAM = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"?|'[^']*'?|[^;\s]*)/g;

/** Parse a Content-Type value. Never throws; a missing or malformed value gives an empty result. */
export function parseContentType(value: string | undefined): ContentType {
  if (!value) return {};
  const semi = value.indexOf(';');
  const media = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const out: ContentType = media ? { mediaType: media } : {};
  if (semi < 0) return out;
  for (const m of value.slice(semi).matchAll(PARAM)) {
    if (m[1].toLowerCase() !== 'charset') continue;
    const charset = unquote(m[2].trim()).trim();
    if (charset) out.charset = charset;
    break;
  }
  return out;
}

/** The lower-cased media type of a Content-Type value (`text/html`), if any. */
export function mediaType(value: string | undefined): string | undefined {
  return parseContentType(value).mediaType;
}

/** The charset parameter of a Content-Type value, unquoted, if any. */
export function charsetOf(value: string | undefined): string | undefined {
  return parseContentType(value).charset;
}

function unquote(v: string): string {
  if (v.startsWith('"')) return v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1');
  if (v.startsWith("'")) return v.slice(1, v.endsWith("'") && v.length > 1 ? -1 : undefined);
  return v;
}
