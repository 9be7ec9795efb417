// The digest's "Possibly relevant" section (issue 14): built from possible matches, shown apart in every
// rendering with the model's reason, never counted, untrusted text escaped.
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/build.js';
import { renderHtml, renderJson, renderMarkdown, renderText } from '../../../src/digest/render.js';
import type { PossibleEntry } from '../../../src/model.js';
import { fixtureDigest, fixtureEntries, TROUBLED } from './helpers.js';

const base = {
  digestId: 'morning', title: 'Morning', period: '2026-11-26', start: '2026-11-25T05:00:00.000Z', end: '2026-11-26T05:00:00.000Z', tz: 'Europe/Kyiv',
  topics: [{ id: 'ukraine-energy', title: 'Ukraine energy' }, { id: 'markets', title: 'Markets' }], entries: fixtureEntries(), feedsInTrouble: TROUBLED,
};

const possible: PossibleEntry[] = [
  { itemId: 'p1', url: 'https://p.example/1', title: 'Grid operator <script>alert(1)</script> warns of *cuts*', source: 'P <b>News</b>', storedAt: '2026-11-25T09:00:00.000Z', topicId: 'ukraine-energy', score: 0.91, reasons: [{ word: 'grid', weight: 0.8 }, { word: 'cuts', weight: 0.4 }] },
  { itemId: 'p2', url: 'javascript:alert(1)', title: 'Second possible', source: 'Q', storedAt: '2026-11-25T10:00:00.000Z', topicId: 'ukraine-energy', score: 0.85, reasons: [{ word: 'power', weight: 0.5 }] },
  { itemId: 'p1', url: 'https://p.example/1', title: 'dup', source: 'P', storedAt: '2026-11-25T09:00:00.000Z', topicId: 'ukraine-energy', score: 0.5, reasons: [] },
  { itemId: 'p3', url: 'https://p.example/3', title: 'Unconfigured topic', source: 'R', storedAt: '2026-11-25T10:00:00.000Z', topicId: 'other', score: 0.99, reasons: [] },
];

describe('Possibly relevant', () => {
  const plain = buildDigest(base);
  const d = buildDigest({ ...base, possible });

  it('groups possible matches by configured topic, best first, one per item, and counts none of them', () => {
    expect(d.possiblyRelevant).toHaveLength(1);
    const t = d.possiblyRelevant![0];
    expect(t).toMatchObject({ id: 'ukraine-energy', title: 'Ukraine energy', omitted: 0 });
    expect(t.articles.map((a) => [a.itemId, a.score])).toEqual([['p1', 0.91], ['p2', 0.85]]);
    expect(t.articles[1].url).toBe('');
    expect(d.counts).toEqual(plain.counts);
    expect(d.topics).toEqual(plain.topics);
    expect(plain.possiblyRelevant).toEqual([]);
  });

  it('keeps at most max_items per topic and says how many more', () => {
    const many = buildDigest({ ...base, maxItems: 1, possible });
    expect(many.possiblyRelevant![0].articles).toHaveLength(1);
    expect(many.possiblyRelevant![0].omitted).toBe(1);
  });

  it('renders a separate section with the reason in Markdown, text, HTML and JSON', () => {
    const md = renderMarkdown(d);
    expect(md).toContain('## Possibly relevant');
    expect(md.indexOf('## Possibly relevant')).toBeGreaterThan(md.indexOf('## Markets'));
    expect(md).toContain('model 0.91: grid, cuts');
    expect(md).toContain('\\*cuts\\*');
    const txt = renderText(d);
    expect(txt).toContain('POSSIBLY RELEVANT');
    expect(txt).toContain('model 0.85: power');
    const html = renderHtml(d, { articleHref: (id) => `/articles/${id}` });
    expect(html).toContain('id="possibly-relevant"');
    expect(html).toContain('model 0.91: grid, cuts');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('href="/articles/p1"');
    const json = JSON.parse(renderJson(d));
    expect(json.possiblyRelevant[0].articles[0]).toMatchObject({ itemId: 'p1', score: 0.91, reasons: [{ word: 'grid', weight: 0.8 }, { word: 'cuts', weight: 0.4 }] });
    // Existing keys are unchanged.
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['date', 'topics', 'feedsInTrouble', 'counts']));
  });

  it('is left out of every rendering when empty (and absent in digests stored before it existed)', () => {
    for (const x of [plain, { ...fixtureDigest(), possiblyRelevant: undefined }]) {
      expect(renderMarkdown(x)).not.toContain('Possibly relevant');
      expect(renderText(x)).not.toContain('POSSIBLY RELEVANT');
      expect(renderHtml(x)).not.toContain('Possibly relevant');
    }
  });
});
