// `wirewatch extract URL` — fetch through the guarded client, decode, extract, print one JSON object.
// `wirewatch extract --jsonl` — lines {"id","url","path"} on stdin (path = file of raw HTML bytes), one JSON line out
// per input with "id" added; a bad input gives {"id","error"} and the run goes on.
import { readFile } from 'node:fs/promises';
import readline from 'node:readline';
import type { Article } from '../model.js';
import { createFetcher, DEFAULT_FETCH_POLICY, type FetchPolicy } from '../fetch/client.js';
import { decodeHtmlPage } from '../charset/decode.js';
import { createExtractor } from '../extract/pool.js';

/** What the command needs from its caller; accepts the CLI's CommandContext too (fetchPolicy as a function). */
export interface ExtractContext {
  allowPrivateNetworks?: boolean;
  fetchPolicy?: Partial<FetchPolicy> | (() => FetchPolicy);
  flags?: { allowPrivateNetworks?: boolean };
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const USAGE = 'usage: wirewatch extract URL | wirewatch extract --jsonl < lines of {"id","url","path"}';

/** Returns the exit code: 0 ok, 1 extraction/fetch failure (single URL), 2 usage. */
export async function run(argv: string[], ctx: ExtractContext): Promise<number> {
  const stdout = ctx.stdout ?? process.stdout;
  const stderr = ctx.stderr ?? process.stderr;
  const jsonl = argv.includes('--jsonl');
  const urls = argv.filter((a) => !a.startsWith('--'));
  if (jsonl ? urls.length > 0 : urls.length !== 1) {
    stderr.write(`${USAGE}\n`);
    return 2;
  }
  const extractor = createExtractor();
  try {
    if (jsonl) return await runJsonl(ctx.stdin ?? process.stdin, stdout, extractor);
    const fetcher = createFetcher(policyFrom(ctx));
    try {
      const res = await fetcher.fetch({ url: urls[0], kind: 'page' });
      const article = await extractor.extract({ html: decodeHtmlPage(res.body, res.contentType), url: res.url });
      stdout.write(`${JSON.stringify(view(article))}\n`);
      return 0;
    } catch (err) {
      stderr.write(`${(err as Error).message}\n`);
      return 1;
    } finally {
      await fetcher.close();
    }
  } finally {
    await extractor.close();
  }
}

async function runJsonl(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, extractor: ReturnType<typeof createExtractor>): Promise<number> {
  const lines = readline.createInterface({ input: stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let id: unknown = null;
    try {
      const input = JSON.parse(line) as { id?: unknown; url?: unknown; path?: unknown };
      id = input.id ?? null;
      if (typeof input.url !== 'string' || typeof input.path !== 'string') throw new Error('extract: each line needs "url" and "path" strings');
      const bytes = await readFile(input.path).catch((err: Error) => {
        throw new Error(`extract: cannot read ${input.path as string}: ${err.message}`);
      });
      const article = await extractor.extract({ html: decodeHtmlPage(bytes), url: input.url });
      stdout.write(`${JSON.stringify({ id, ...view(article) })}\n`);
    } catch (err) {
      const message = err instanceof SyntaxError ? `extract: not a JSON line (${err.message})` : (err as Error).message;
      stdout.write(`${JSON.stringify({ id, error: message })}\n`);
    }
  }
  return 0;
}

/** The printed fields: the documented six first, then extras. */
function view(a: Article): Record<string, unknown> {
  return {
    url: a.url,
    title: a.title,
    byline: a.byline ?? null,
    published: a.published ?? null,
    lang: a.lang ?? null,
    text: a.text,
    canonicalUrl: a.canonicalUrl,
    siteName: a.siteName ?? null,
    via: a.via,
  };
}

function policyFrom(ctx: ExtractContext): FetchPolicy {
  let base: Partial<FetchPolicy> = {};
  if (typeof ctx.fetchPolicy === 'function') {
    try {
      base = ctx.fetchPolicy();
    } catch {
      // no usable configuration: `extract URL` still works with the defaults
    }
  } else if (ctx.fetchPolicy) base = ctx.fetchPolicy;
  // The flag is the local-test switch (as in loadConfig): private addresses and any port on loopback.
  const flag = ctx.allowPrivateNetworks === true || ctx.flags?.allowPrivateNetworks === true;
  const allowPrivateNetworks = flag || base.allowPrivateNetworks === true;
  return { ...DEFAULT_FETCH_POLICY, ...base, allowPrivateNetworks, allowLoopbackAnyPort: flag || base.allowLoopbackAnyPort === true };
}
