// The digest's "Possibly relevant" section: articles the topic rules missed that the second-opinion model scored
// high (issue 14), per topic, best first, each with the model's reason. Never counted in `counts` or in a topic's
// stories. Pure.
import type { PossibleEntry } from '../model.js';
import { safeUrl } from './escape.js';
import type { PossiblyRelevantTopic } from './types.js';

/** Group possible entries by topic (in `topics` order), one per item and topic, at most `maxItems` per topic. */
export function buildPossiblyRelevant(topics: { id: string; title: string }[], entries: readonly PossibleEntry[], maxItems: number): PossiblyRelevantTopic[] {
  const out: PossiblyRelevantTopic[] = [];
  for (const t of topics) {
    const seen = new Set<string>();
    const list = entries
      .filter((e) => e.topicId === t.id)
      .sort((a, b) => b.score - a.score || b.storedAt.localeCompare(a.storedAt) || a.itemId.localeCompare(b.itemId))
      .filter((e) => !seen.has(e.itemId) && seen.add(e.itemId));
    if (!list.length) continue;
    out.push({
      id: t.id,
      title: t.title,
      articles: list.slice(0, maxItems).map((e) => ({
        itemId: e.itemId, url: safeUrl(e.url) ?? '', title: e.title, source: e.source, published: e.published ?? e.storedAt,
        score: e.score, reasons: e.reasons,
      })),
      omitted: Math.max(0, list.length - maxItems),
    });
  }
  return out;
}

/** "model 0.91: guarantees, security, bilateral" — the reason shown to people. */
export function possibleWhy(a: { score: number; reasons: { word: string }[] }): string {
  const words = a.reasons.map((r) => r.word).join(', ');
  return `model ${a.score.toFixed(2)}${words ? `: ${words}` : ''}`;
}
