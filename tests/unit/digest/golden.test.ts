// Golden outputs beside the fixture (STYLE habit 5): entries.json → entries.expected.md / .txt. When a change to
// the rendering is intended, regenerate with UPDATE_GOLDEN=1 and review the diff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/build.js';
import { renderAtom, renderHtml, renderMarkdown, renderText } from '../../../src/digest/render.js';
import type { DigestEntry } from '../../../src/model.js';
import { FIXTURES, fixtureDigest } from './helpers.js';

describe('golden files', () => {
  for (const [ext, render] of [['md', renderMarkdown], ['txt', renderText]] as const) {
    it(`entries.expected.${ext}`, () => {
      const file = path.join(FIXTURES, `entries.expected.${ext}`);
      const got = render(fixtureDigest());
      if (process.env.UPDATE_GOLDEN || !fs.existsSync(file)) fs.writeFileSync(file, got);
      expect(got).toBe(fs.readFileSync(file, 'utf8'));
    });
  }
});

/** Deterministic pseudo-random generator, so a failure reproduces. */
function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('any entries in, no throw', () => {
  it('builds and renders 300 random digests of hostile strings', () => {
    const r = rng(42);
    const alphabet = ['<', '>', '&', '"', "'", '`', '*', '_', '[', ']', '(', ')', '\n', '\u0000', '\u2028', 'é', '😀', 'javascript:', 'http://x/', ' ', 'kyiv', 'grid'];
    const str = (n: number) => Array.from({ length: Math.floor(r() * n) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    for (let i = 0; i < 300; i++) {
      const entries: DigestEntry[] = Array.from({ length: Math.floor(r() * 8) }, (_, j) => ({
        itemId: `i${j}`, url: r() < 0.5 ? `https://e.example/${j}` : str(10), title: str(20), source: str(6),
        published: r() < 0.3 ? str(5) : new Date(1_700_000_000_000 + r() * 1e10).toISOString(), storedAt: new Date(1_700_000_000_000 + r() * 1e10).toISOString(),
        text: str(200), topicId: r() < 0.8 ? 't' : 'u', score: r() * 10,
        evidence: [{ rule: 'r', term: str(4), field: 'body', start: 0, end: 3, matched: str(4), weight: 1 }],
      }));
      const d = buildDigest({ digestId: 'x', title: str(10), period: '2026-01-01', start: '2025-12-31T00:00:00Z', end: '2026-01-01T00:00:00Z', tz: 'UTC', topics: [{ id: 't', title: str(5) }, { id: 'u', title: 'U' }], entries, feedsInTrouble: [] });
      const html = renderHtml(d);
      expect(html).not.toMatch(/<(script|img)\b/i);
      renderMarkdown(d);
      renderText(d);
      renderAtom(d, { id: 'urn:x', title: str(5) });
    }
  });
});
