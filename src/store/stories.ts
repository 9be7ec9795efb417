// Stories across days (migration 006-stories): the recent stories of a topic a new digest may continue, the links a
// digest day adds, the counts behind "developing since …", and the story page's articles. Every write is an
// idempotent upsert, so two workers linking the same digest (a race, a retry) leave the same rows.
import { sql, type Kysely } from 'kysely';
import type { Database, StoriesTable, StoryArticlesTable } from './schema.js';

export type StoryRow = StoriesTable;
export type StoryArticleRow = StoryArticlesTable;

/** Rows per insert statement (9 columns each: well under SQLite's and PostgreSQL's bound-parameter limits). */
const INSERT_BATCH = 200;

/** item id → story id, for the items already linked to a story of this topic. */
export async function linkedStories(db: Kysely<Database>, topicId: string, itemIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db.selectFrom('story_articles').select(['item_id', 'story_id'])
      .where('topic_id', '=', topicId).where('item_id', 'in', itemIds.slice(i, i + 500)).orderBy('story_id').execute();
    for (const r of rows) if (!out.has(r.item_id)) out.set(r.item_id, r.story_id);
  }
  return out;
}

export interface RecentStoryArticle {
  story_id: string;
  last_day: string;
  item_id: string;
  title: string;
  /** The stored article text, '' when it has been pruned. */
  text: string;
}

/**
 * The articles of the topic's stories last carried on `fromDay` … `toDay` (inclusive), newest first within a story
 * and at most `perStory` of each (a long-running story is recognised by its recent articles).
 */
export async function recentStoryArticles(
  db: Kysely<Database>,
  q: { topicId: string; fromDay: string; toDay: string; perStory: number },
): Promise<RecentStoryArticle[]> {
  const rows = await db
    .selectFrom('stories as s')
    .innerJoin('story_articles as sa', 'sa.story_id', 's.id')
    .leftJoin('articles as a', 'a.item_id', 'sa.item_id')
    .select(['s.id as story_id', 's.last_day', 'sa.item_id', 'sa.title', 'a.text'])
    .where('s.topic_id', '=', q.topicId)
    .where('s.last_day', '>=', q.fromDay)
    .where('s.first_day', '<=', q.toDay)
    .where('sa.day', '<=', q.toDay)
    .orderBy('s.id').orderBy('sa.seen_at', 'desc').orderBy('sa.item_id')
    .execute();
  const kept = new Map<string, number>();
  const out: RecentStoryArticle[] = [];
  for (const r of rows) {
    const n = kept.get(r.story_id) ?? 0;
    if (n >= q.perStory) continue;
    kept.set(r.story_id, n + 1);
    out.push({ ...r, text: r.text ?? '' });
  }
  return out;
}

/**
 * Record a digest day's stories and their articles. A story's first_day and last_day widen to cover `day`; its
 * headline becomes the latest day's lead headline. Links already present are left as they are.
 */
export async function saveStoryLinks(
  db: Kysely<Database>,
  stories: { id: string; topicId: string; headline: string; day: string }[],
  links: StoryArticleRow[],
  now: string,
): Promise<void> {
  for (const s of stories) {
    await db
      .insertInto('stories')
      .values({ id: s.id, topic_id: s.topicId, headline: s.headline, first_day: s.day, last_day: s.day, created_at: now })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          headline: sql`case when excluded.last_day >= stories.last_day then excluded.headline else stories.headline end`,
          first_day: sql`case when excluded.first_day < stories.first_day then excluded.first_day else stories.first_day end`,
          last_day: sql`case when excluded.last_day > stories.last_day then excluded.last_day else stories.last_day end`,
        }),
      )
      .execute();
  }
  for (let i = 0; i < links.length; i += INSERT_BATCH) {
    await db.insertInto('story_articles').values(links.slice(i, i + INSERT_BATCH))
      .onConflict((oc) => oc.columns(['story_id', 'item_id']).doNothing()).execute();
  }
}

export interface ThreadCounts {
  story_id: string;
  first_day: string;
  days: number;
  articles: number;
  outlets: number;
}

/** Per story: its first day, and the days, articles and outlets carried up to and including `uptoDay`. */
export async function threadCounts(db: Kysely<Database>, storyIds: string[], uptoDay: string): Promise<Map<string, ThreadCounts>> {
  const out = new Map<string, ThreadCounts>();
  for (let i = 0; i < storyIds.length; i += 500) {
    const rows = await db
      .selectFrom('story_articles')
      .select((eb) => [
        'story_id',
        eb.fn.min('day').as('first_day'),
        sql<number>`count(distinct day)`.as('days'),
        eb.fn.countAll().as('articles'),
        sql<number>`count(distinct source)`.as('outlets'),
      ])
      .where('story_id', 'in', storyIds.slice(i, i + 500))
      .where('day', '<=', uptoDay)
      .groupBy('story_id')
      .execute();
    for (const r of rows) {
      out.set(r.story_id, { story_id: r.story_id, first_day: String(r.first_day), days: Number(r.days), articles: Number(r.articles), outlets: Number(r.outlets) });
    }
  }
  return out;
}

export async function getStory(db: Kysely<Database>, id: string): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A story's articles, by day (newest day first), earliest article first within a day. */
export async function storyArticles(db: Kysely<Database>, id: string, limit = 2000): Promise<StoryArticleRow[]> {
  return db.selectFrom('story_articles').selectAll().where('story_id', '=', id)
    .orderBy('day', 'desc').orderBy('seen_at').orderBy('item_id').limit(limit).execute();
}
