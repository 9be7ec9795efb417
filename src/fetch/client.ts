// The one guarded HTTP client for feeds and pages: SSRF policy on every hop (URL literal, DNS answer, connected peer),
// port/scheme/userinfo rules, manual redirects, decoded-size cap, connect/headers/total deadlines, content-type gate.
import dns from 'node:dns';
import type { Readable } from 'node:stream';
import { Agent, buildConnector, request } from 'undici';
import { PermanentError, TransientError } from '../errors.js';
import { addressAllowed, checkUrl, isLoopbackHost } from './address.js';
import { readCapped, formatBytes } from './body.js';
import { parseRetryAfter } from './retry-after.js';
import { FETCH_DEFAULTS } from './defaults.js';
import { mediaType } from '../charset/content-type.js';

export interface FetchPolicy {
  allowPrivateNetworks: boolean;
  /** Hosts, IPs or CIDRs allowed even if private. */
  allowHosts?: string[];
  allowedPorts: number[];
  /** Any port on a loopback address or `localhost` (local test sites); the connected peer must be loopback. */
  allowLoopbackAnyPort?: boolean;
  /** Decoded-byte cap. */
  maxBytes: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  feedContentTypes?: string[];
  pageContentTypes?: string[];
  /** Injectable resolver (tests: DNS rebinding). Default: the system resolver, all addresses. */
  lookup?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  /** Per-host etiquette gate, injected by the caller. Resolves to a release function. */
  hostGate?: (host: string) => Promise<() => void>;
  /** Test hook: treat these addresses as public (allow 127.0.0.1, keep 127.0.0.2 and ::1 private). */
  treatAsPublic?: string[];
}

export interface FetchRequest {
  url: string;
  /** 'hub': a WebSub hub request (POST `form`; any answer type; issue 16). */
  kind: 'feed' | 'page' | 'hub';
  /** Sent as application/x-www-form-urlencoded with POST. */
  form?: Record<string, string>;
  etag?: string;
  lastModified?: string;
  signal?: AbortSignal;
  /**
   * Feeds only: a body over the byte cap is cut at the cap and returned with `truncated: true` instead of failing
   * too_large, so a huge feed still yields its first items (C6). Ignored for pages: their cap stays a refusal.
   */
  truncateAtCap?: boolean;
}

export interface FetchResult {
  /** Final URL, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  notModified: boolean;
  contentType?: string;
  /** The body was cut at the byte cap (only with truncateAtCap). */
  truncated?: boolean;
}

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

export const DEFAULT_FEED_TYPES = [
  'application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml',
  'application/feed+json', 'application/json', 'text/html', 'text/plain', 'application/x-rss+xml',
];
export const DEFAULT_PAGE_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain'];

/** FETCH_DEFAULTS as a policy, with the content types each kind of request accepts. */
export const DEFAULT_FETCH_POLICY: FetchPolicy = Object.freeze({
  allowPrivateNetworks: FETCH_DEFAULTS.allowPrivateNetworks,
  allowedPorts: [...FETCH_DEFAULTS.allowedPorts],
  maxBytes: FETCH_DEFAULTS.maxBytes,
  connectTimeoutMs: FETCH_DEFAULTS.connectTimeoutMs,
  headersTimeoutMs: FETCH_DEFAULTS.headersTimeoutMs,
  totalTimeoutMs: FETCH_DEFAULTS.totalTimeoutMs,
  maxRedirects: FETCH_DEFAULTS.maxRedirects,
  userAgent: FETCH_DEFAULTS.userAgent,
  feedContentTypes: DEFAULT_FEED_TYPES,
  pageContentTypes: DEFAULT_PAGE_TYPES,
}) as FetchPolicy;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type LookupCallback = (err: Error | null, address?: string | { address: string; family: number }[], family?: number) => void;

/**
 * Create a fetcher. `fetch` resolves for 2xx and 304 (notModified, empty body) and throws:
 * PermanentError bad_url, bad_scheme, userinfo, bad_port, ssrf_blocked, too_many_redirects, too_large, wrong_type,
 * bad_encoding, http_404, http_410, http_4xx; TransientError timeout, headers_timeout, connect_timeout, connection,
 * http_5xx, http_429/http_503 (with retryAfterMs). Errors from an HTTP status carry it as `status`. Every message
 * starts with "fetch:" and names the URL.
 */
export function createFetcher(policyIn: Partial<FetchPolicy> & Pick<FetchPolicy, 'allowPrivateNetworks'>): Fetcher {
  const policy: FetchPolicy = { ...DEFAULT_FETCH_POLICY, ...policyIn };
  const agent = guardedAgent(policy);

  async function fetchOnce(req: FetchRequest): Promise<FetchResult> {
    const types = req.kind === 'feed' ? policy.feedContentTypes ?? DEFAULT_FEED_TYPES : req.kind === 'hub' ? [] : policy.pageContentTypes ?? DEFAULT_PAGE_TYPES;
    let url = checkUrl(req.url, policy);
    // The total deadline starts once the host gate first lets us through: waiting for our turn is not the server's time.
    let deadline: AbortSignal | undefined;
    let signal: AbortSignal | undefined;
    for (let hop = 0; ; hop++) {
      const release = policy.hostGate ? await policy.hostGate(url.host) : undefined;
      deadline ??= AbortSignal.timeout(policy.totalTimeoutMs);
      signal ??= req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
      try {
        const res = await send(agent, policy.userAgent, url, req, signal, deadline);
        const headers = flatten(res.headers);
        const location = headers.location;
        if (REDIRECTS.has(res.statusCode) && location) {
          await discard(res.body);
          if (hop >= policy.maxRedirects) {
            throw new PermanentError('too_many_redirects', `fetch: more than ${policy.maxRedirects} redirects (${req.url})`);
          }
          url = checkUrl(new URL(location, url).toString(), policy, ` from ${url}`);
          continue;
        }
        return await finish(policy.maxBytes, url, req, { status: res.statusCode, headers, body: res.body }, types);
      } catch (err) {
        throw mapError(err, url.toString(), deadline, req.signal);
      } finally {
        release?.();
      }
    }
  }

  return {
    fetch: fetchOnce,
    async close() {
      await agent.close();
    },
  };
}

/**
 * The connection pool with the SSRF checks inside it. The address a hostname resolves to is checked in the
 * connection attempt itself, so there is no gap between check and use (DNS rebinding); the peer address of the open
 * socket is checked again, and so is its port.
 */
function guardedAgent(policy: FetchPolicy): Agent {
  const resolve = policy.lookup ?? systemLookup;
  const lookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (answers) => {
        if (answers.length === 0) return callback(new TransientError('dns', `fetch: no address for ${hostname}`));
        const blocked = answers.find((a) => !addressAllowed(a.address, policy, hostname));
        if (blocked) {
          return callback(new PermanentError('ssrf_blocked', `fetch: ${hostname} resolves to blocked address ${blocked.address}`));
        }
        if (options.all) callback(null, answers.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, answers[0].address, answers[0].family);
      },
      (err: Error) => callback(new TransientError('dns', `fetch: cannot resolve ${hostname}: ${err.message}`, { cause: err })),
    );
  };
  const baseConnect = buildConnector({ timeout: policy.connectTimeoutMs, lookup } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (opts, callback) =>
    baseConnect(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const peer = socket.remoteAddress;
      if (!peer || !addressAllowed(peer, policy, opts.hostname)) {
        socket.destroy();
        return callback(new PermanentError('ssrf_blocked', `fetch: connected peer ${peer} is a blocked address (${opts.hostname})`), null);
      }
      // A port outside allowedPorts passed checkUrl only as a loopback name: the peer must really be loopback.
      const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
      if (!policy.allowedPorts.includes(port) && !(policy.allowLoopbackAnyPort && isLoopbackHost(peer))) {
        socket.destroy();
        return callback(new PermanentError('bad_port', `fetch: port ${port} not allowed (${opts.hostname}, peer ${peer})`), null);
      }
      callback(null, socket);
    });
  return new Agent({ connect, headersTimeout: policy.headersTimeoutMs, bodyTimeout: policy.totalTimeoutMs, connections: 8 });
}

async function send(agent: Agent, userAgent: string, url: URL, req: FetchRequest, signal: AbortSignal, deadline: AbortSignal) {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept: req.kind === 'feed'
      ? 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5'
      : 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (req.etag) headers['if-none-match'] = req.etag;
  if (req.lastModified) headers['if-modified-since'] = req.lastModified;
  if (deadline.aborted) throw deadline.reason;
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return request(url, { method: 'POST', headers, body: new URLSearchParams(req.form).toString(), signal, dispatcher: agent });
  }
  return request(url, { method: 'GET', headers, signal, dispatcher: agent });
}

/** A final (non-redirect) response: 304, an error status, the content-type gate, then the body under the cap. */
async function finish(
  maxBytes: number,
  url: URL,
  req: FetchRequest,
  res: { status: number; headers: Record<string, string>; body: Readable },
  types: string[],
): Promise<FetchResult> {
  const { status, headers, body } = res;
  const where = url.toString();
  if (status === 304) {
    await discard(body);
    return { url: where, status, headers, body: Buffer.alloc(0), notModified: true, contentType: headers['content-type'] };
  }
  if (status >= 300 || status < 200) {
    await discard(body);
    throw statusError(status, headers, where);
  }
  const contentType = headers['content-type'];
  const media = mediaType(contentType);
  if (media && req.kind !== 'hub' && !types.includes(media)) {
    drop(body);
    throw new PermanentError('wrong_type', `fetch: content-type ${media} is not a ${req.kind} (${where})`);
  }
  const truncate = req.kind === 'feed' && req.truncateAtCap === true;
  const announced = Number(headers['content-length']);
  if (!truncate && Number.isFinite(announced) && announced > maxBytes) {
    drop(body);
    throw new PermanentError('too_large', `fetch: content-length ${announced} exceeds ${formatBytes(maxBytes)} (${where})`);
  }
  let truncated = false;
  const bytes = await readCapped(body, headers['content-encoding'], maxBytes, where, truncate ? () => (truncated = true) : undefined);
  return { url: where, status, headers, body: bytes, notModified: false, contentType, ...(truncated ? { truncated } : {}) };
}

function statusError(status: number, headers: Record<string, string>, url: string): Error {
  const msg = `fetch: HTTP ${status} (${url})`;
  if (status === 429 || status === 503) {
    return new TransientError(`http_${status}`, msg, { status, retryAfterMs: parseRetryAfter(headers['retry-after']) });
  }
  if (status >= 500) return new TransientError('http_5xx', msg, { status, retryAfterMs: parseRetryAfter(headers['retry-after']) });
  if (status === 404 || status === 410) return new PermanentError(`http_${status}`, msg, { status });
  if (status === 408) return new TransientError('http_408', msg, { status });
  if (status >= 400) return new PermanentError('http_4xx', msg, { status });
  return new PermanentError('http_status', msg, { status });
}

/** Turn undici/zlib/abort errors into PermanentError/TransientError with a "fetch:" message naming the URL. */
function mapError(err: unknown, url: string, deadline: AbortSignal, caller?: AbortSignal): Error {
  if (err instanceof PermanentError || err instanceof TransientError) return err;
  const inner = findCause(err);
  if (inner) return inner;
  const code = (err as { code?: string })?.code ?? '';
  const message = (err as Error)?.message ?? String(err);
  if (deadline.aborted) return new TransientError('timeout', `fetch: total deadline exceeded (${url})`, { cause: err });
  if (caller?.aborted) return new TransientError('aborted', `fetch: aborted by caller (${url})`, { cause: err });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new TransientError('headers_timeout', `fetch: no response headers in time (${url})`, { cause: err });
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new TransientError('connect_timeout', `fetch: connect timed out (${url})`, { cause: err });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new TransientError('timeout', `fetch: body timed out (${url})`, { cause: err });
  return new TransientError('connection', `fetch: ${code ? code + ' ' : ''}${message} (${url})`, { cause: err });
}

function findCause(err: unknown): PermanentError | TransientError | undefined {
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof PermanentError || e instanceof TransientError) return e;
  }
  return undefined;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function discard(body: Readable): Promise<void> {
  // Small bodies (redirects, errors) are drained so the connection can be reused; big ones are cut.
  const dump = (body as Readable & { dump?: (o?: { limit?: number }) => Promise<void> }).dump;
  if (dump) await dump.call(body, { limit: 64 * 1024 }).catch(() => undefined);
  else drop(body);
}

/** Destroy a body we will not read; undici then errors it with UND_ERR_ABORTED, which nobody needs to hear. */
function drop(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function systemLookup(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}
