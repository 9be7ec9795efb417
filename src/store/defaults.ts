// Defaults of the store that the config schema shares (kept apart from db.ts so config does not load the drivers).

/** PostgreSQL connection pool size. */
export const DEFAULT_POOL_MAX = 10;
