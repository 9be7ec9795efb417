// Feed-parsing conformance: wirewatch's decode + parse + normalise over the Universal Feed Parser test files
// (../shared/data/feedparser-tests, expectations.json) and the hostile feeds (../shared/data/feed-hostile).
// Usage: node dist/bench/conformance-feeds.js [--data DIR] [--hostile DIR] [--engine auto|rss-parser|feedsmith] [--fails N]
// Last line: `conformance: core=<pct> encoding=<pct> crashes=<n>`.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decodeHTML } from 'entities';
import iconv from 'iconv-lite';
import { PermanentError } from '../src/errors.js';
import type { ParsedFeed } from '../src/model.js';
import { ROOT } from '../src/paths.js';
import { parseFeedDate } from '../src/feeds/dates.js';
import { decodeFeedBytes } from '../src/feeds/decode.js';
import { closeFeedParser, parseFeed, parseFeedSync } from '../src/feeds/parse.js';
import { lastEngine, type ParseOptions } from '../src/feeds/parse-sync.js';

interface Leaf { scope: 'feed' | 'entry'; index: number | null; field: string; op: 'eq' | 'absent'; value: unknown; value_parsed?: number[] }
type Check = Leaf | { op: 'and' | 'or'; checks: Check[] } | { op: 'true' };
interface Clause { kind: 'field' | 'bozo' | 'other'; check?: Check; src: string; expect?: boolean }
interface Expectation { path: string; group: string; headers: Record<string, string>; url: string; clauses: Clause[] }

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const DATA = arg('--data') ?? path.join(ROOT, '..', 'shared', 'data', 'feedparser-tests');
const HOSTILE = arg('--hostile') ?? path.join(path.dirname(DATA), 'feed-hostile');
const ENGINE = (arg('--engine') ?? 'auto') as ParseOptions['engine'];
const SHOW_FAILS = Number(arg('--fails') ?? 0);

// ---- comparison, with feedparser's formatting differences normalised ------------------------------------------

/** Tags removed, entities decoded once, whitespace collapsed: titles/summaries are plain text in wirewatch. */
function textNorm(s: string): string {
  const noTags = s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').replace(/<[^>]*>/g, ' ');
  return decodeHTML(noTags).replace(/\s+/g, ' ').trim();
}

/** Text plus the URLs of an HTML fragment: content is compared for what it says and where it links. */
function htmlNorm(s: string): string {
  const urls = [...s.matchAll(/\b(?:href|src)\s*=\s*["']([^"']*)["']/gi)].map((m) => decodeHTML(m[1]));
  return `${textNorm(s)} | ${urls.join(' ')}`;
}

function splitAuthor(s: string | undefined): { name?: string; email?: string } {
  if (!s) return {};
  const t = s.trim();
  let m = /^(.*?)\s*\(([^()]*@[^()]*)\)$/.exec(t);
  if (m) return { name: m[1] || undefined, email: m[2] };
  m = /^([^\s()]+@[^\s()]+)\s*\((.*)\)$/.exec(t);
  if (m) return { name: m[2] || undefined, email: m[1] };
  if (/^[^\s]+@[^\s]+$/.test(t)) return { email: t };
  return { name: t };
}

function tupleIso(v: number[]): string {
  return new Date(Date.UTC(v[0], v[1] - 1, v[2], v[3] ?? 0, v[4] ?? 0, v[5] ?? 0)).toISOString();
}

type View = Record<string, string | undefined>;

function feedView(f: ParsedFeed): View {
  const a = splitAuthor(f.author);
  return {
    title: f.title, link: f.link, id: f.id, summary: f.description, author: f.author, author_name: a.name,
    author_email: a.email, published: f.published, updated: f.updated ?? f.published,
  };
}

function entryView(f: ParsedFeed, i: number): View | undefined {
  const it = f.items[i];
  if (!it) return undefined;
  const a = splitAuthor(it.author);
  return {
    title: it.title || undefined, link: it.url, id: it.guid, summary: it.summary ?? (it.contentHtml ? textNorm(it.contentHtml) : undefined),
    content: it.contentHtml, author: it.author, author_name: a.name, author_email: a.email, published: it.published,
    updated: it.updated ?? it.published,
  };
}

const FIELD_GROUP: Record<string, string> = {
  title: 'title', link: 'link', id: 'id', summary: 'summary', content: 'content', author: 'author',
  author_name: 'author', author_email: 'author', published: 'dates', updated: 'dates', published_parsed: 'dates',
  updated_parsed: 'dates',
};

function leafPasses(feed: ParsedFeed | undefined, l: Leaf): boolean {
  if (!feed) return false;
  const view = l.scope === 'feed' ? feedView(feed) : entryView(feed, l.index ?? 0);
  const field = l.field.replace(/_parsed$/, '');
  const actual = view?.[field];
  if (l.op === 'absent' || l.value === null) return actual === undefined || actual === '';
  if (actual === undefined) return (field === 'title' || field === 'summary') && textNorm(String(l.value)) === '';
  if (l.field.endsWith('_parsed') || l.value_parsed || field === 'published' || field === 'updated') {
    const want = Array.isArray(l.value) ? tupleIso(l.value as number[]) : l.value_parsed ? tupleIso(l.value_parsed) : parseFeedDate(String(l.value));
    return want !== undefined && want === actual;
  }
  const want = String(l.value);
  switch (field) {
    // wirewatch titles/summaries are plain text already: only the expectation (feedparser keeps markup) is flattened.
    // Literal text (type="text") may contain angle brackets: accept the expectation taken literally too.
    case 'title': case 'summary': {
      const a = actual.replace(/\s+/g, ' ').trim();
      return textNorm(want) === a || want.replace(/\s+/g, ' ').trim() === a;
    }
    case 'content': return htmlNorm(want) === htmlNorm(actual);
    case 'link': case 'id': return want.trim() === actual.trim();
    case 'author': {
      const w = splitAuthor(want);
      const a = splitAuthor(actual);
      return (w.name ?? '') === (a.name ?? '') && (w.email === undefined || w.email === a.email);
    }
    case 'author_name': case 'author_email': return textNorm(want) === actual.replace(/\s+/g, ' ').trim();
    default: return false;
  }
}

function evaluate(feed: ParsedFeed | undefined, c: Check, onLeaf: (l: Leaf, ok: boolean) => void): boolean {
  if (c.op === 'true') return true;
  if (c.op === 'and' || c.op === 'or') {
    const results = (c as { checks: Check[] }).checks.map((x) => evaluate(feed, x, onLeaf));
    return c.op === 'and' ? results.every(Boolean) : results.some(Boolean);
  }
  const ok = leafPasses(feed, c as Leaf);
  onLeaf(c as Leaf, ok);
  return ok;
}

// ---- charset names as feedparser reports them ---------------------------------------------------------------

function charsetNorm(s: string): string {
  const n = s.toLowerCase().replace(/^(x-|cs)/, '').replace(/[_\s]/g, '-');
  const alias: Record<string, string> = {
    'iso-8859-1': 'windows-1252', latin1: 'windows-1252', 'us-ascii': 'windows-1252', 'shift-jis': 'shift_jis',
    sjis: 'shift_jis', gb2312: 'gbk', 'euc-cn': 'gbk', 'ucs-2': 'utf-16', 'utf-16le': 'utf-16', 'utf-16be': 'utf-16',
    'utf-32le': 'utf-32', 'utf-32be': 'utf-32', 'tis-620': 'windows-874', 'iso-8859-11': 'windows-874', 'cp874': 'windows-874',
    'iso-8859-9': 'windows-1254',
  };
  return alias[n] ?? n;
}

function sameText(bytes: Uint8Array, charset: string, ours: string): boolean {
  try {
    if (!iconv.encodingExists(charset)) return false;
    return iconv.decode(Buffer.from(bytes), charset).replace(/^\ufeff/, '') === ours;
  } catch {
    return false;
  }
}

// ---- run ----------------------------------------------------------------------------------------------------

interface Tally { pass: number; total: number }
const tally = (): Tally => ({ pass: 0, total: 0 });

function feedUrl(e: Expectation): string {
  const loc = Object.entries(e.headers).find(([k]) => k.toLowerCase() === 'content-location')?.[1];
  if (loc) {
    try {
      const u = new URL(loc, e.url);
      if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
    } catch { /* unsafe or malformed Content-Location: keep the document URL */ }
  }
  return e.url;
}

async function main(): Promise<void> {
  const expectations = JSON.parse(readFileSync(path.join(DATA, 'expectations.json'), 'utf8')) as Expectation[];
  const fields = new Map<string, Tally>();
  const core = tally();
  const coreWithEncoding = tally();
  const encoding = tally();
  const sanitizeSafety = tally();
  let crashes = 0;
  let thrown = 0;
  const engines = new Map<string, number>();
  const fails: string[] = [];
  const started = performance.now();

  for (const e of expectations) {
    const bytes = readFileSync(path.join(DATA, e.path));
    const contentType = Object.entries(e.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    let feed: ParsedFeed | undefined;
    let charset = '';
    let text = '';
    let error = '';
    try {
      const decoded = decodeFeedBytes(bytes, contentType);
      charset = decoded.charset;
      text = decoded.text;
      feed = parseFeedSync(decoded.text, { url: feedUrl(e), contentType, engine: ENGINE });
      engines.set(lastEngine ?? '?', (engines.get(lastEngine ?? '?') ?? 0) + 1);
    } catch (err) {
      if (err instanceof PermanentError) {
        thrown++;
        error = err.message;
      } else {
        crashes++;
        error = `CRASH ${(err as Error).stack ?? err}`;
        console.error(`crash: ${e.path}: ${error}`);
      }
    }
    const fieldClauses = e.clauses.filter((c) => c.kind === 'field' && c.check);
    let filePass = true;
    for (const c of fieldClauses) {
      const ok = evaluate(feed, c.check!, (l, leafOk) => {
        if (e.group === 'wellformed/sanitize') return;
        const g = FIELD_GROUP[l.field] ?? l.field;
        const t = fields.get(g) ?? tally();
        t.total++;
        if (leafOk) t.pass++;
        fields.set(g, t);
      });
      if (!ok) filePass = false;
    }
    const isEncoding = e.group.startsWith('encoding');
    if (isEncoding && !text) text = decodeFeedBytes(bytes, contentType).text;
    const isSanitize = e.group === 'wellformed/sanitize';
    if (isSanitize) {
      // Our contract differs (plain-text summaries, allow-list HTML): check the safety property instead (X4).
      if (feed) {
        sanitizeSafety.total++;
        const out = JSON.stringify(feed);
        if (!/<script|<iframe|<object|<embed|\son\w+\s*=|javascript:|vbscript:|<style/i.test(out)) sanitizeSafety.pass++;
      }
      continue;
    }
    if (isEncoding) {
      const encClauses = e.clauses.filter((c) => c.kind === 'other' && /^encoding == '/.test(c.src));
      if (fieldClauses.length === 0 && encClauses.length === 0) continue;
      let ok = filePass;
      for (const c of encClauses) {
        const want = /^encoding == '([^']*)'/.exec(c.src)![1];
        // Agreement = same charset, or (ASCII bodies, supersets) the same decoded text.
        if (charsetNorm(want) !== charsetNorm(charset) && !sameText(bytes, want, text)) ok = false;
      }
      encoding.total++;
      if (ok) encoding.pass++;
      else if (fails.length < SHOW_FAILS) fails.push(`enc  ${e.path} [${charset}] ${error} :: ${e.clauses.map((c) => c.src).join(' & ')}`);
    }
    if (fieldClauses.length > 0) {
      coreWithEncoding.total++;
      if (filePass) coreWithEncoding.pass++;
    }
    if (fieldClauses.length > 0 && !isEncoding) {
      core.total++;
      if (filePass) core.pass++;
      else if (fails.length < SHOW_FAILS) fails.push(`core ${e.path} ${error} :: ${fieldClauses.map((c) => c.src).join(' & ')} :: ${JSON.stringify(feed)?.slice(0, 400)}`);
    }
  }
  const parseMs = performance.now() - started;

  // Hostile files, through the real bounded path (worker thread, time budget).
  const hostile: Array<{ file: string; ms: number; outcome: string; ok: boolean }> = [];
  let hostileFiles: string[] = [];
  try {
    hostileFiles = readdirSync(HOSTILE).filter((f) => !f.startsWith('README')).sort();
  } catch {
    console.log(`hostile: ${HOSTILE} not found, skipped`);
  }
  for (const file of hostileFiles) {
    const bytes = readFileSync(path.join(HOSTILE, file));
    const budgetMs = file.includes('billion_laughs') || file.includes('xxe') ? 50 : 5_000;
    const contentType = /1251_header/.test(file) ? 'application/rss+xml; charset=windows-1251' : undefined;
    const t0 = performance.now();
    let outcome: string;
    let ok = true;
    try {
      const f = await parseFeed(bytes, { url: `http://example.com/${file}`, contentType, timeoutMs: 5_000 });
      outcome = `ok ${f.items.length} items`;
    } catch (err) {
      if (err instanceof PermanentError) outcome = `${err.code}: ${err.message.slice(0, 70)}`;
      else {
        outcome = `CRASH ${(err as Error).message}`;
        ok = false;
        crashes++;
      }
    }
    const ms = performance.now() - t0;
    // The first task also pays for the thread start: budget the warm path, with start-up slack on the first file.
    if (ms > budgetMs + (hostile.length === 0 ? 300 : 20)) {
      ok = false;
      crashes++;
    }
    hostile.push({ file, ms, outcome, ok });
  }
  await closeFeedParser();

  const pct = (t: Tally): string => (t.total ? ((100 * t.pass) / t.total).toFixed(1) : 'n/a');
  console.log(`data: ${DATA}  engine: ${ENGINE}  files: ${expectations.length}  parse time: ${parseMs.toFixed(0)} ms`);
  console.log(`engines used: ${[...engines].map(([k, v]) => `${k}=${v}`).join(' ')}  thrown (PermanentError): ${thrown}`);
  console.log('');
  console.log('| field | clauses | agree | % |');
  console.log('|---|---|---|---|');
  for (const g of ['title', 'link', 'id', 'dates', 'author', 'summary', 'content']) {
    const t = fields.get(g) ?? tally();
    console.log(`| ${g} | ${t.total} | ${t.pass} | ${pct(t)} |`);
  }
  console.log('');
  console.log(`core files (field checks, excluding sanitize/encoding groups): ${core.pass}/${core.total} = ${pct(core)} %`);
  console.log(`core + encoding-group field checks: ${coreWithEncoding.pass}/${coreWithEncoding.total} = ${pct(coreWithEncoding)} %`);
  console.log(`encoding files (field + charset checks): ${encoding.pass}/${encoding.total} = ${pct(encoding)} %`);
  console.log(`sanitize files with no script/handler/javascript: in output: ${sanitizeSafety.pass}/${sanitizeSafety.total}`);
  console.log('');
  for (const h of hostile) console.log(`hostile ${h.ok ? 'ok  ' : 'FAIL'} ${h.file.padEnd(32)} ${h.ms.toFixed(1).padStart(8)} ms  ${h.outcome}`);
  for (const f of fails) console.log(f);
  console.log(`conformance: core=${pct(core)} encoding=${pct(encoding)} crashes=${crashes}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
