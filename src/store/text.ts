// Text bound for the store: PostgreSQL text columns reject U+0000 (SQLite keeps it), and feeds and pages from
// strangers can contain it. Strip it at the store's edge so both dialects store the same thing.
export function noNul<T extends string | undefined | null>(s: T): T {
  return (typeof s === 'string' && s.includes('\u0000') ? s.replace(/\u0000/g, '') : s) as T;
}
