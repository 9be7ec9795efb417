// Escaping for every output format. Every string from a feed or article is untrusted (X4, X5): it goes through
// one of these on its way out, and links are http(s) only.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value for HTML and XML (Atom). Also drops C0 controls that XML 1.0 forbids. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => HTML[c]);
}

export const escapeXml = escapeHtml;

/** The URL, normalised, when it is absolute http(s) without credentials; otherwise undefined (X5). */
export function safeUrl(u: string | undefined | null): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * Markdown inline text: raw HTML becomes entities (`<script>` renders as text in any Markdown renderer), the
 * characters that start inline markup are backslash-escaped (`[` and `]` included, so no link or image can form),
 * and so is whatever would start a block at the beginning of the text (heading, list, quote, numbered list).
 */
export function escapeMarkdown(s: unknown): string {
  return String(s ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A URL inside Markdown link parentheses: only safe URLs, with parentheses and spaces percent-encoded. */
export function markdownUrl(u: string | undefined): string | undefined {
  const safe = safeUrl(u);
  return safe?.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
