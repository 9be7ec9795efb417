// X-Hub-Signature (W3C WebSub §8): "<method>=<hex HMAC of the raw body with hub.secret>", method sha1, sha256, sha384
// or sha512. Compared in constant time; anything malformed is a mismatch.
import { createHmac, timingSafeEqual } from 'node:crypto';

const METHODS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);

export function signBody(secret: string, body: Buffer | string, method = 'sha256'): string {
  return `${method}=${createHmac(method, secret).update(body).digest('hex')}`;
}

/** True only for a well-formed header whose HMAC of `body` under `secret` matches. */
export function verifySignature(header: string | undefined, secret: string, body: Buffer): boolean {
  const m = /^\s*(sha1|sha256|sha384|sha512)=([0-9a-f]+)\s*$/i.exec(header ?? '');
  if (!m || !METHODS.has(m[1].toLowerCase())) return false;
  const want = createHmac(m[1].toLowerCase(), secret).update(body).digest();
  const got = Buffer.from(m[2], 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
