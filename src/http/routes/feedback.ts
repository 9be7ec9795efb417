// POST /feedback: record a reader's "relevant" / "not relevant" label for an article and topic, then redirect
// back (303) to the page the form was on. Needs the form's CSRF token; labels only known topics and articles.
import type { Context, Hono } from 'hono';
import type { Digest } from '../../digest/types.js';
import { getArticle } from '../../store/articles.js';
import { FEEDBACK_LABELS, feedbackFor, recordFeedback, type FeedbackLabel } from '../../store/feedback.js';
import type { WebDeps } from '../deps.js';
import { checkCsrfToken, csrfToken, feedbackForm, readerOf, safeBack } from '../feedback.js';
import { META } from '../layout.js';

export function registerFeedbackRoutes(app: Hono, deps: WebDeps): void {
  app.post('/feedback', async (c) => {
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const user = readerOf(c);
    if (!(await checkCsrfToken(deps.db, user, str('token')))) return c.text('feedback: the form has expired or did not come from this site; reload the page and try again\n', 403);
    const label = str('label') as FeedbackLabel;
    const topicId = str('topic');
    const itemId = str('item');
    if (!FEEDBACK_LABELS.includes(label) || !deps.topics.some((t) => t.id === topicId)) return c.text('feedback: unknown label or topic\n', 400);
    if (!(await getArticle(deps.db, itemId))) return c.text('feedback: no such article\n', 404);
    await recordFeedback(deps.db, { itemId, topicId, user, label, at: new Date().toISOString() });
    deps.log?.info({ item_id: itemId, topic_id: topicId, label, user }, 'feedback: recorded');
    return c.redirect(safeBack(str('back')) ?? `/articles/${encodeURIComponent(itemId)}`, 303);
  });
}

/** The article page's feedback section: one form per configured topic, this reader's labels shown. */
export async function articleFeedback(c: Context, deps: WebDeps, itemId: string): Promise<string> {
  if (!deps.topics.length) return '';
  const user = readerOf(c);
  const [token, labels] = await Promise.all([csrfToken(deps.db, user), feedbackFor(deps.db, [itemId], user)]);
  const back = `/articles/${encodeURIComponent(itemId)}`;
  return (
    `<section id="feedback" aria-label="Feedback"><h2 style="font-size:17px;">Is it relevant?</h2>` +
    `<p style="${META}">Your labels train and test the topics (<code>wirewatch feedback export</code>).</p>` +
    deps.topics.map((t) => feedbackForm({ itemId, topicId: t.id, topicTitle: t.title, token, back, current: labels.get(`${itemId} ${t.id}`) })).join('') +
    '</section>'
  );
}

/** For a digest page: a story → its topic's feedback form (renderHtml's storyExtra). */
export async function digestFeedback(c: Context, deps: WebDeps, d: Digest, back: string): Promise<(itemId: string, topicId: string) => string> {
  const user = readerOf(c);
  const ids = d.topics.flatMap((t) => t.stories.map((s) => s.itemId));
  const [token, labels] = await Promise.all([csrfToken(deps.db, user), feedbackFor(deps.db, ids, user)]);
  const titles = new Map([...d.topics.map((t) => [t.id, t.title] as const), ...deps.topics.map((t) => [t.id, t.title] as const)]);
  return (itemId, topicId) => feedbackForm({ itemId, topicId, topicTitle: titles.get(topicId) ?? topicId, token, back, current: labels.get(`${itemId} ${topicId}`) });
}
