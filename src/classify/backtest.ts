// What re-running the topics over a stored article would change: pure helpers for `wirewatch topics backtest`.
import type { TopicMatch } from '../model.js';

export interface MatchDiff {
  added: TopicMatch[];
  dropped: TopicMatch[];
  /** Still matched, with a different score. */
  rescored: { before: TopicMatch; after: TopicMatch }[];
}

/** Compare stored matches with fresh ones, by topic id. */
export function diffMatches(before: TopicMatch[], after: TopicMatch[]): MatchDiff {
  const b = new Map(before.map((m) => [m.topicId, m]));
  const a = new Map(after.map((m) => [m.topicId, m]));
  return {
    added: after.filter((m) => !b.has(m.topicId)),
    dropped: before.filter((m) => !a.has(m.topicId)),
    rescored: after.filter((m) => b.has(m.topicId) && Math.abs(b.get(m.topicId)!.score - m.score) > 1e-9).map((m) => ({ before: b.get(m.topicId)!, after: m })),
  };
}

export function isEmptyDiff(d: MatchDiff): boolean {
  return d.added.length === 0 && d.dropped.length === 0 && d.rescored.length === 0;
}

/** "7d", "24h", "90m", "2w" or an ISO date/time → ISO time that many units before `now`. Undefined if unparseable. */
export function sinceToIso(since: string, now: Date): string | undefined {
  const m = /^(\d+)\s*([mhdw])$/.exec(since.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(m[1]) * unit).toISOString();
  }
  const t = Date.parse(since);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
