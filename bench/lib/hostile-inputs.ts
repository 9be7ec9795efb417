// The C1/C2 hostile inputs of SECURITY-TESTS.md, generated (no fixtures to keep in sync), shared by
// tests/security/hostile-input.test.ts and bench/hostile.ts.

/** C1 pages: unterminated tags that once made the pre-cut quadratic, and DOMs built to make jsdom/Readability slow. */
export function hostilePages(): { name: string; html: string }[] {
  const nested = 5_000; // ~55 KB of nested divs
  return [
    { name: "'<nav ' x 20000", html: '<nav '.repeat(20_000) },
    { name: "'<a ' x 20000 page", html: `<html><body><p>${'<a '.repeat(20_000)}</p></body></html>` },
    { name: "'<div>' x 100000", html: '<div>'.repeat(100_000) },
    { name: '50 KB nested divs', html: `<html><body>${'<div>'.repeat(nested)}<p>deep text</p>${'</div>'.repeat(nested)}</body></html>` },
  ];
}

/** C2: a feed item description of 20,000 unterminated `<a ` (the sanitizer's quadratic case), as an RSS body. */
export function anchorFloodFeed(): string {
  const desc = '<a '.repeat(20_000);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Flood</title><link>https://example.org/</link>
<item><title>One</title><link>https://example.org/one</link><guid>one</guid><description><![CDATA[${desc}]]></description></item>
</channel></rss>`;
}

export const ANCHOR_FLOOD = '<a '.repeat(20_000);

/** C2: 512 KB of HTML for autodiscovery, full of unterminated `<!--` and `<link` (was ~1 min on the main thread). */
export function discoveryFlood(): string {
  const unit = '<link <!-- ';
  return `<html><head>${unit.repeat(Math.ceil((512 * 1024) / unit.length))}`.slice(0, 512 * 1024);
}
