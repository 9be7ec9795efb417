// Readers' relevance feedback: one label per (article, topic, reader), the latest wins; and the export of the
// labels in the classifier's evaluation-set format.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type FeedbackLabel = 'relevant' | 'not_relevant';
export const FEEDBACK_LABELS: readonly FeedbackLabel[] = ['relevant', 'not_relevant'];

export async function recordFeedback(db: Kysely<Database>, f: { itemId: string; topicId: string; user: string; label: FeedbackLabel; at: string }): Promise<void> {
  await db
    .insertInto('feedback')
    .values({ item_id: f.itemId, topic_id: f.topicId, user_name: f.user, label: f.label, created_at: f.at })
    .onConflict((oc) => oc.columns(['item_id', 'topic_id', 'user_name']).doUpdateSet({ label: f.label, created_at: f.at }))
    .execute();
}

/** This reader's labels on one article: topic id → label. */
export async function feedbackFor(db: Kysely<Database>, itemIds: string[], user: string): Promise<Map<string, FeedbackLabel>> {
  if (!itemIds.length) return new Map();
  const rows = await db.selectFrom('feedback').select(['item_id', 'topic_id', 'label']).where('item_id', 'in', itemIds).where('user_name', '=', user).execute();
  return new Map(rows.map((r) => [`${r.item_id} ${r.topic_id}`, r.label as FeedbackLabel]));
}

/** One line of the evaluation set (tests/fixtures/classify/README.md). */
export interface EvalItem {
  id: string;
  lang: string;
  title: string;
  lead?: string;
  text: string;
  topics: string[];
}

/**
 * Every labelled article as an evaluation item: `topics` holds the topics whose latest label (any reader) is
 * "relevant"; topics labelled "not relevant" are left out, so they count as negatives. Oldest label first.
 */
export async function* exportFeedback(db: Kysely<Database>, pageSize = 500): AsyncGenerator<EvalItem> {
  let after = '';
  for (let guard = 0; guard < 1_000_000; guard++) {
    const ids = await db.selectFrom('feedback').select('item_id').distinct().where('item_id', '>', after).orderBy('item_id').limit(pageSize).execute();
    if (!ids.length) return;
    const keys = ids.map((r) => r.item_id);
    const [arts, labels] = await Promise.all([
      db.selectFrom('articles').select(['item_id', 'title', 'text', 'lang']).where('item_id', 'in', keys).execute(),
      db.selectFrom('feedback').select(['item_id', 'topic_id', 'label', 'created_at']).where('item_id', 'in', keys).orderBy('created_at').execute(),
    ]);
    const latest = new Map<string, string>();
    for (const l of labels) latest.set(`${l.item_id} ${l.topic_id}`, l.label);
    const byId = new Map(arts.map((a) => [a.item_id, a]));
    for (const id of keys) {
      const a = byId.get(id);
      if (!a) continue; // the article was deleted after it was labelled
      const topics = [...latest].filter(([k, v]) => k.startsWith(`${id} `) && v === 'relevant').map(([k]) => k.slice(id.length + 1)).sort();
      const [lead, ...rest] = a.text.split(/\n{2,}/);
      yield { id, lang: a.lang ?? '', title: a.title, ...(rest.length ? { lead } : {}), text: a.text, topics };
    }
    after = keys[keys.length - 1];
  }
}
