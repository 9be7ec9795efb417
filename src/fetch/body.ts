// Read a response body, decompressing it ourselves and counting *decoded* bytes: undici's own limit counts bytes on
// the wire, so a 50 KB gzip bomb would pass a 1 MiB cap. Stops at the cap and destroys the stream.
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { PermanentError } from '../errors.js';

export async function readCapped(body: Readable, encoding: string | undefined, maxBytes: number, url: string): Promise<Buffer> {
  const enc = (encoding ?? '').trim().toLowerCase();
  const decoder =
    enc === 'gzip' || enc === 'x-gzip' ? zlib.createGunzip()
    : enc === 'br' ? zlib.createBrotliDecompress()
    : enc === 'deflate' ? zlib.createInflate()
    : undefined;
  const source: Readable = decoder ? body.pipe(decoder) : body;
  if (decoder) body.on('error', (err) => decoder.destroy(err));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        throw new PermanentError('too_large', `fetch: body exceeds ${maxBytes} bytes decoded (${url})`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    body.destroy();
    decoder?.destroy();
    throw err;
  }
  return Buffer.concat(chunks, total);
}
