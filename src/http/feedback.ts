// Relevance feedback on the web pages: who the reader is (from the web auth), the per-form CSRF token, and the
// "relevant / not relevant" form. The form is a plain POST that redirects back, so it works without JavaScript.
// The token is an HMAC of the reader and a timestamp under a secret kept in the store's `meta` table (so every
// `serve` process behind a load balancer accepts it); a page from another site cannot read it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { escapeHtml as esc } from '../digest/escape.js';
import type { FeedbackLabel } from '../store/feedback.js';
import type { Database } from '../store/schema.js';

/** How long a rendered form stays valid. */
export const CSRF_TOKEN_TTL_MS = 24 * 3_600_000;
const SECRET_KEY = 'csrf_secret';
const secrets = new WeakMap<object, Promise<string>>();

async function loadSecret(db: Kysely<Database>): Promise<string> {
  await db.insertInto('meta').values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url') }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', SECRET_KEY).executeTakeFirstOrThrow();
  return row.value;
}

function secretFor(db: Kysely<Database>): Promise<string> {
  let p = secrets.get(db);
  if (!p) {
    p = loadSecret(db);
    p.catch(() => secrets.delete(db));
    secrets.set(db, p);
  }
  return p;
}

/** The reader: the Basic user name, "token" for a Bearer token, "anonymous" without auth. The auth middleware has already checked the credentials. */
export function readerOf(c: Context): string {
  const [scheme, value = ''] = (c.req.header('authorization') ?? '').split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return (i >= 0 ? decoded.slice(0, i) : decoded).slice(0, 200) || 'anonymous';
  }
  if (/^bearer$/i.test(scheme)) return 'token';
  return 'anonymous';
}

const mac = (secret: string, user: string, ts: string) => createHmac('sha256', secret).update(`feedback\n${user}\n${ts}`).digest('base64url');

export async function csrfToken(db: Kysely<Database>, user: string, now = Date.now()): Promise<string> {
  const ts = String(now);
  return `${ts}.${mac(await secretFor(db), user, ts)}`;
}

/** True when the token was made for this reader by this deployment less than CSRF_TOKEN_TTL_MS ago. */
export async function checkCsrfToken(db: Kysely<Database>, user: string, token: string, now = Date.now()): Promise<boolean> {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return false;
  const age = now - Number(m[1]);
  if (age < -300_000 || age > CSRF_TOKEN_TTL_MS) return false;
  const want = Buffer.from(mac(await secretFor(db), user, m[1]));
  const got = Buffer.from(m[2]);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** A local path to return to: starts with one "/", no scheme, host or backslash; else undefined. */
export function safeBack(back: string | undefined): string | undefined {
  return back && back.length < 1000 && /^\/(?![/\\])[^\s\\]*$/.test(back) ? back : undefined;
}

const BTN = 'font:inherit;font-size:12px;padding:2px 8px;border:1px solid #71717a;background:#fff;color:#18181b;border-radius:3px;cursor:pointer;';
const ON = 'font:inherit;font-size:12px;padding:2px 8px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;border-radius:3px;cursor:pointer;';

/** One topic's form: two submit buttons, the current label pressed. All values escaped. */
export function feedbackForm(f: { itemId: string; topicId: string; topicTitle: string; token: string; back: string; current?: FeedbackLabel }): string {
  const hidden = (n: string, v: string) => `<input type="hidden" name="${n}" value="${esc(v)}">`;
  const button = (label: FeedbackLabel, text: string) =>
    `<button type="submit" name="label" value="${label}" aria-pressed="${f.current === label}" style="${f.current === label ? ON : BTN}">${text}</button>`;
  return (
    `<form method="post" action="/feedback" class="feedback" style="margin:4px 0;font-size:12px;">` +
    hidden('item', f.itemId) + hidden('topic', f.topicId) + hidden('token', f.token) + hidden('back', f.back) +
    `<fieldset style="border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:6px;align-items:center;"><legend style="float:left;padding:0 6px 0 0;color:#3f3f46;">${esc(f.topicTitle)}:</legend>` +
    `${button('relevant', 'Relevant')} ${button('not_relevant', 'Not relevant')}</fieldset></form>`
  );
}
