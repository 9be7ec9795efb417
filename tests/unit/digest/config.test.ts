import { describe, expect, it } from 'vitest';
import { digestSchema, digestsSchema } from '../../../src/digest/config.js';

const base = { id: 'morning', title: 'Morning', schedule: { at: '07:00', tz: 'Europe/Kyiv' } };

describe('digest config', () => {
  it('fills defaults: files channel, all topics, min_score 0, max_items 20', () => {
    const d = digestSchema.parse(base);
    expect(d.channels).toEqual([{ type: 'files' }]);
    expect(d.topics).toBeUndefined();
    expect(d).toMatchObject({ min_score: 0, max_items: 20 });
  });

  it('accepts every channel type with its defaults', () => {
    const d = digestSchema.parse({
      ...base,
      channels: [
        { type: 'files' },
        { type: 'email', to: 'a@example.org', from: 'b@example.org', smtp: { host: 'smtp.example.org' }, list_id: 'l.example.org', unsubscribe: 'mailto:u@example.org' },
        { type: 'webhook', url: 'https://hooks.example.org/x', secret: 'whsec_abcdefgh', format: 'slack' },
      ],
    });
    expect(d.channels[1]).toMatchObject({ smtp: { port: 587, secure: false } });
    expect(d.channels[2]).toMatchObject({ attempts: 4, timeout_ms: 10_000 });
  });

  it('reports bad values by path', () => {
    const bad = digestsSchema.safeParse([
      { ...base, id: '../x', schedule: { at: '7am', tz: 'Mars/Olympus' } },
      { ...base, schedule: { cron: 'not a cron', tz: 'UTC' } },
      { ...base, schedule: { at: '07:00', cron: '0 7 * * *', tz: 'UTC' } },
      { ...base, channels: [{ type: 'webhook', url: 'javascript:alert(1)' }, { type: 'pigeon' }] },
      base,
    ]);
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(expect.arrayContaining([
      expect.stringMatching(/^0\.id:/),
      expect.stringMatching(/^0\.schedule\.at: must be "HH:MM"/),
      expect.stringMatching(/^0\.schedule\.tz: is not an IANA time zone/),
      expect.stringMatching(/^1\.schedule\.cron: is not a valid cron pattern/),
      expect.stringMatching(/^2\.schedule: set exactly one/),
      expect.stringMatching(/^3\.channels\.0\.url: must be an http\(s\) URL/),
      expect.stringMatching(/^3\.channels\.1/),
    ]));
    const twice = digestSchema.safeParse({ ...base, channels: [{ type: 'files' }, { type: 'files' }, { type: 'files', name: 'archive' }] });
    expect(twice.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['channels.1: same target as channels[0]; give one a distinct `name`']);
    // Duplicates are only checked once every digest parses.
    const dup = digestsSchema.safeParse([base, base]);
    expect(dup.error!.issues[0]).toMatchObject({ path: [1, 'id'], message: 'duplicate digest id "morning"' });
  });
});
