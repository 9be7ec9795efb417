// Every default of feed polling and parsing, once: the poll policy and the parser fall back to these, and
// config/schema.ts uses them as the defaults of the `poll:` keys.
//
// Two values were written twice and disagreed; the documented config won both (config/wirewatch.yml and the README
// tell users these numbers, and the service always passed the config values):
// - defaultIntervalS 900 (the poll policy's own default was 3600);
// - maxItems 200 (the parser's own default was 500).

/** The poll policy: 5 min … 24 h, 15 min when nothing is known, errors back off to 24 h, an unconditional GET daily. */
export const POLL_DEFAULTS = Object.freeze({
  minIntervalS: 300,
  maxIntervalS: 86_400,
  defaultIntervalS: 900,
  maxBackoffS: 86_400,
  unconditionalAfterS: 86_400,
});

/** Items taken from one feed fetch. */
export const DEFAULT_MAX_ITEMS = 200;

/** Threads of the feed-parse pool (it is also capped at this: parsing is bursty and short). */
export const DEFAULT_PARSE_THREADS = 2;
