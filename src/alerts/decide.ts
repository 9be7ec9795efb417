// Does this story fire this alert rule? Pure: the story as the digest clusters it (digest/build.ts — the same
// "same story" as the digest, no second similarity), its articles, the rule's trigger and the clock in; the reasons
// out. Whether it already fired is the caller's business (the store's alert_items, one row per rule and item).
import type { DigestArticle, DigestStory } from '../digest/types.js';
import type { TriggerConfig } from './config.js';

export interface AlertReason {
  /** Set when the score condition held: the best score and the threshold. */
  score?: { value: number; min: number };
  /** Set when the breaking condition held: the outlets within the window, and the window. */
  breaking?: { outlets: string[]; min: number; withinH: number };
}

/** When an article was first known: its own date when plausible (not after storing), else when it was stored. */
function seenAt(a: Pick<DigestArticle, 'published' | 'storedAt'>): number {
  const p = Date.parse(a.published);
  const s = Date.parse(a.storedAt);
  return !Number.isNaN(p) && (Number.isNaN(s) || p <= s) ? p : s;
}

/** Distinct outlets, in order of first appearance, of the articles seen within `withinMs` before `now`. */
export function outletsWithin(articles: readonly DigestArticle[], now: Date, withinMs: number): string[] {
  const from = now.getTime() - withinMs;
  const out: string[] = [];
  for (const a of [...articles].sort((x, y) => seenAt(x) - seenAt(y))) {
    if (seenAt(a) >= from && !out.includes(a.source)) out.push(a.source);
  }
  return out;
}

/**
 * The reasons `story` fires `trigger` at `now`, or undefined when it does not. `combine: any` needs one condition,
 * `all` needs every configured one.
 */
export function decideAlert(trigger: TriggerConfig, story: DigestStory, articles: readonly DigestArticle[], now: Date): AlertReason | undefined {
  const reason: AlertReason = {};
  const held: boolean[] = [];
  if (trigger.min_score !== undefined) {
    const best = Math.max(story.score, ...articles.map((a) => a.score));
    const ok = best >= trigger.min_score;
    held.push(ok);
    if (ok) reason.score = { value: best, min: trigger.min_score };
  }
  if (trigger.breaking) {
    const outlets = outletsWithin(articles, now, trigger.breaking.within_h * 3_600_000);
    const ok = outlets.length >= trigger.breaking.outlets;
    held.push(ok);
    if (ok) reason.breaking = { outlets, min: trigger.breaking.outlets, withinH: trigger.breaking.within_h };
  }
  const fires = trigger.combine === 'all' ? held.every(Boolean) : held.some(Boolean);
  return fires ? reason : undefined;
}

/** "score 9.10 ≥ 8; breaking: 3 outlets within 6 h (Reuters, AP, Kyiv Independent)" — the message's "why". */
export function reasonText(r: AlertReason): string {
  const parts: string[] = [];
  if (r.score) parts.push(`score ${r.score.value.toFixed(2)} ≥ ${r.score.min}`);
  if (r.breaking) parts.push(`breaking: ${r.breaking.outlets.length} outlets within ${r.breaking.withinH} h (${r.breaking.outlets.join(', ')})`);
  return parts.join('; ');
}
