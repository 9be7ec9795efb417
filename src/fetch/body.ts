// Reading a response body under a cap on *decoded* bytes. undici's maxResponseSize counts compressed bytes, so a
// 100 KB gzip bomb would pass a 5 MiB cap (SECURITY-TESTS L1): we decompress ourselves and count what comes out.
import zlib from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import { PermanentError } from '../errors.js';

const MiB = 1024 * 1024;

/** The decoders for a Content-Encoding header, in the order to apply them (codings are listed in applied order). */
function decoders(contentEncoding: string | undefined, url: string): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  return codings.reverse().map((c) => {
    if (c === 'gzip' || c === 'x-gzip') return zlib.createGunzip();
    if (c === 'deflate') return zlib.createUnzip();
    if (c === 'br') return zlib.createBrotliDecompress();
    throw new PermanentError('bad_encoding', `fetch: unsupported content-encoding ${c} (${url})`);
  });
}

/**
 * Read `body` fully, decoding `contentEncoding`, and stop with PermanentError('too_large') as soon as more than
 * `maxBytes` decoded bytes have come out (the source and decoders are destroyed). Errors of the stream propagate.
 * With `onCap`, reaching the cap is not an error: the first `maxBytes` bytes are returned and `onCap` is called.
 */
export async function readCapped(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  url: string,
  onCap?: () => void,
): Promise<Buffer> {
  const chain = decoders(contentEncoding, url);
  let out: Readable = body;
  for (const d of chain) {
    out.on('error', (err) => d.destroy(err));
    out = out.pipe(d);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of out as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        if (!onCap) throw new PermanentError('too_large', `fetch: body exceeds ${formatBytes(maxBytes)} (${url})`);
        const keep = chunk.length - (total - maxBytes);
        chunks.push(chunk.subarray(0, keep));
        total = maxBytes;
        onCap();
        break;
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    if (isZlibError(err)) throw new PermanentError('bad_encoding', `fetch: corrupt ${contentEncoding} body (${url})`, { cause: err });
    throw err;
  } finally {
    // Destroying errors the streams (undici: UND_ERR_ABORTED); swallow that, the outcome is already decided.
    for (const s of [body, ...chain]) {
      s.on('error', () => undefined);
      s.destroy();
    }
  }
  return Buffer.concat(chunks, total);
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1';
}

export function formatBytes(n: number): string {
  return n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}
