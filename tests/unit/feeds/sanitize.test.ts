import { describe, expect, it } from 'vitest';
import { htmlToText, safeUrl, sanitizeHtml } from '../../../src/feeds/sanitize.js';

describe('sanitizeHtml', () => {
  it.each([
    ['<p onclick="x()">a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href=" JaVa\tScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['<img src="/i.png" onerror="alert(1)">', '<img src="https://base.example/i.png">'],
    ['<img src="data:image/png;base64,xx">', ''],
    ['<svg onload="alert(1)"><circle/></svg>ok', 'ok'],
    ['<iframe src="https://evil/"></iframe><b>bold</b>', '<b>bold</b>'],
    ['<style>p{}</style><p>x</p>', '<p>x</p>'],
    ['a < b &amp; c', 'a &lt; b &amp; c'],
    ['<p>unclosed <em>em', '<p>unclosed <em>em</em></p>'],
    ['<div><span>x</div>', '<div><span>x</span></div>'],
    ['<a href="page.html" target="_blank" rel="nofollow">p</a>', '<a href="https://base.example/dir/page.html" rel="nofollow">p</a>'],
    ['<!-- c --><p>x</p><?php echo 1 ?>', '<p>x</p>'],
  ])('%s', (input, out) => {
    expect(sanitizeHtml(input, 'https://base.example/dir/')).toBe(out);
  });

  it('is linear on pathological input', () => {
    const t0 = performance.now();
    sanitizeHtml(`<a ${'b '.repeat(50_000)}`);
    sanitizeHtml('<'.repeat(200_000));
    htmlToText(`<p x="${'"'.repeat(50_000)}`);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});

describe('htmlToText / safeUrl', () => {
  it('flattens markup and decodes entities once', () => {
    expect(htmlToText('<p>Caf&eacute; &amp;amp; <b>bar</b></p><script>x</script>')).toBe('Café &amp; bar');
    expect(htmlToText('AT&T')).toBe('AT&T');
  });

  it('keeps only absolute http(s) URLs', () => {
    expect(safeUrl('/x', 'https://a.example/b/')).toBe('https://a.example/x');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('java\nscript:alert(1)', 'https://a.example/')).toBeUndefined();
    expect(safeUrl('file:///etc/passwd')).toBeUndefined();
    expect(safeUrl('relative')).toBeUndefined();
  });
});
