// Quiet hours and the coalescing window (alerts/window.ts): when an alert message may leave.
import { describe, expect, it } from 'vitest';
import { inQuietHours, quietEnd, sendAt } from '../../../src/alerts/window.js';
import { alertSchema, alertsSchema } from '../../../src/alerts/config.js';
import { decideAlert, outletsWithin } from '../../../src/alerts/decide.js';
import { messageId, parseMessageId } from '../../../src/alerts/message.js';
import type { DigestArticle, DigestStory } from '../../../src/digest/types.js';

const night = { from: '22:00', to: '07:00', tz: 'Europe/Kyiv' };
const iso = (s: string) => new Date(s);

describe('quiet hours in the reader\'s zone', () => {
  it('an overnight span: quiet from 22:00 to 07:00 Kyiv time (UTC+2 in December), not outside it', () => {
    expect(inQuietHours(iso('2026-12-07T19:59:00Z'), night)).toBe(false); // 21:59 Kyiv
    expect(inQuietHours(iso('2026-12-07T20:00:00Z'), night)).toBe(true); // 22:00
    expect(inQuietHours(iso('2026-12-08T02:00:00Z'), night)).toBe(true); // 04:00
    expect(inQuietHours(iso('2026-12-08T05:00:00Z'), night)).toBe(false); // 07:00
  });
  it('the end of quiet hours is the next local 07:00, on the same night from either side of midnight', () => {
    expect(quietEnd(iso('2026-12-07T21:30:00Z'), night).toISOString()).toBe('2026-12-08T05:00:00.000Z');
    expect(quietEnd(iso('2026-12-08T01:00:00Z'), night).toISOString()).toBe('2026-12-08T05:00:00.000Z');
    expect(quietEnd(iso('2026-12-08T12:00:00Z'), night).toISOString()).toBe('2026-12-08T12:00:00.000Z');
    expect(quietEnd(iso('2026-12-08T12:00:00Z'), undefined).toISOString()).toBe('2026-12-08T12:00:00.000Z');
  });
  it('a daytime span and a summer offset (UTC+3)', () => {
    const lunch = { from: '12:00', to: '13:30', tz: 'Europe/Kyiv' };
    expect(inQuietHours(iso('2026-07-01T09:15:00Z'), lunch)).toBe(true); // 12:15 Kyiv
    expect(quietEnd(iso('2026-07-01T09:15:00Z'), lunch).toISOString()).toBe('2026-07-01T10:30:00.000Z');
    expect(inQuietHours(iso('2026-07-01T10:30:00Z'), lunch)).toBe(false);
  });
});

describe('the coalescing window', () => {
  const W = 10 * 60_000;
  it('the first trigger leaves at once; one inside the window waits for its end; one after it leaves at once', () => {
    expect(sendAt(iso('2026-12-07T12:00:00Z'), { coalesceMs: W }).toISOString()).toBe('2026-12-07T12:00:00.000Z');
    const last = iso('2026-12-07T12:00:00Z');
    expect(sendAt(iso('2026-12-07T12:03:00Z'), { lastSentAt: last, coalesceMs: W }).toISOString()).toBe('2026-12-07T12:10:00.000Z');
    expect(sendAt(iso('2026-12-07T12:07:00Z'), { lastSentAt: last, coalesceMs: W }).toISOString()).toBe('2026-12-07T12:10:00.000Z');
    expect(sendAt(iso('2026-12-07T12:20:00Z'), { lastSentAt: last, coalesceMs: W }).toISOString()).toBe('2026-12-07T12:20:00.000Z');
  });
  it('a window ending inside quiet hours moves to their end', () => {
    const at = sendAt(iso('2026-12-07T19:58:00Z'), { lastSentAt: iso('2026-12-07T19:55:00Z'), coalesceMs: W, quiet: night });
    expect(at.toISOString()).toBe('2026-12-08T05:00:00.000Z');
  });
});

const art = (source: string, at: string, score = 1): DigestArticle => ({
  itemId: `${source}-${at}`, url: 'https://x.example/', title: 't', source, published: at, storedAt: at, score, evidence: [], storyId: 's',
});
const story = (score: number) => ({ score, outlets: [] }) as unknown as DigestStory;

describe('the trigger', () => {
  const now = iso('2026-12-07T12:00:00Z');
  it('breaking: counts distinct outlets within the window only', () => {
    const arts = [art('A', '2026-12-07T11:00:00Z'), art('A', '2026-12-07T11:10:00Z'), art('B', '2026-12-07T11:20:00Z'), art('C', '2026-12-07T02:00:00Z')];
    expect(outletsWithin(arts, now, 6 * 3_600_000)).toEqual(['A', 'B']);
    const t = alertSchema.shape.trigger.parse({ breaking: { outlets: 3, within_h: 6 } });
    expect(decideAlert(t, story(1), arts, now)).toBeUndefined();
    expect(decideAlert(t, story(1), [...arts, art('D', '2026-12-07T11:59:00Z')], now)?.breaking?.outlets).toEqual(['A', 'B', 'D']);
  });
  it('score: any article at or above the threshold; `all` needs both conditions', () => {
    const any = alertSchema.shape.trigger.parse({ min_score: 5, breaking: { outlets: 2 } });
    const all = alertSchema.shape.trigger.parse({ min_score: 5, breaking: { outlets: 2 }, combine: 'all' });
    const one = [art('A', '2026-12-07T11:00:00Z', 6)];
    expect(decideAlert(any, story(6), one, now)?.score).toEqual({ value: 6, min: 5 });
    expect(decideAlert(all, story(6), one, now)).toBeUndefined();
    expect(decideAlert(all, story(6), [...one, art('B', '2026-12-07T11:30:00Z', 2)], now)).toMatchObject({ score: { value: 6 }, breaking: { outlets: ['A', 'B'] } });
    expect(decideAlert(any, story(4), [art('A', '2026-12-07T11:00:00Z', 4)], now)).toBeUndefined();
  });
});

describe('alert configuration', () => {
  it('needs a trigger condition, a channel, distinct ids; the files channel is not an alert channel', () => {
    const ch = [{ type: 'webhook', url: 'https://hooks.example/x', format: 'slack' }];
    expect(alertSchema.safeParse({ id: 'a', title: 'A', trigger: {}, channels: ch }).success).toBe(false);
    expect(alertSchema.safeParse({ id: 'a', title: 'A', trigger: { min_score: 3 }, channels: [] }).success).toBe(false);
    expect(alertSchema.safeParse({ id: 'a', title: 'A', trigger: { min_score: 3 }, channels: [{ type: 'files' }] }).success).toBe(false);
    const ok = alertSchema.parse({ id: 'a', title: 'A', trigger: { min_score: 3 }, channels: ch, quiet_hours: { from: '22:00', to: '07:00', tz: 'Europe/Kyiv' } });
    expect(ok.coalesce_minutes).toBe(5);
    const dup = alertsSchema.safeParse([ok, ok]);
    expect(dup.success).toBe(false);
  });
  it('a message id round-trips to its topic and due time', () => {
    const id = messageId('frozen-assets', iso('2026-12-07T12:10:00.250Z'));
    expect(id).toBe('frozen-assets.20261207T121000.250Z');
    expect(parseMessageId(id)).toEqual({ topicId: 'frozen-assets', dueAt: '2026-12-07T12:10:00.250Z' });
  });
});
