// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from `now`, or undefined.

/** Parse a Retry-After value. Negative/past values become 0; nonsense becomes undefined; capped at one day. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, 86_400_000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.min(Math.max(0, t - now), 86_400_000);
}
