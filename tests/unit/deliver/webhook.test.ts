import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookChannel, signWebhook } from '../../../src/deliver/webhook.js';
import { slackBody } from '../../../src/deliver/slack.js';
import { webhookChannelSchema } from '../../../src/digest/config.js';
import { PermanentError, TransientError } from '../../../src/errors.js';
import { fixtureDigest } from '../digest/helpers.js';

type Call = { url: string; headers: Record<string, string>; body: string };

function fakeFetch(statuses: (number | Error)[], headers: Record<string, string> = {}) {
  const calls: Call[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
    const s = statuses.shift() ?? 200;
    if (s instanceof Error) throw s;
    return new Response(s === 204 ? null : 'x', { status: s, headers });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

const cfg = (over: object = {}) => webhookChannelSchema.parse({ type: 'webhook', url: 'https://hooks.example.org/in', secret: 'plain-secret-123', ...over });
const sleeps: number[] = [];
const sleep = async (ms: number) => void sleeps.push(ms);

describe('webhook channel', () => {
  it('signs id.timestamp.body and keeps webhook-id across retries (500, network error, then 204)', async () => {
    const f = fakeFetch([500, new Error('ECONNRESET'), 204]);
    const ch = webhookChannel('webhook:x', cfg(), { fetch: f.fn, sleep, now: () => new Date('2026-11-26T05:00:00Z') });
    const r = await ch.send(fixtureDigest(), 'k1');
    expect(r).toMatchObject({ webhookId: 'msg_k1', status: 204, attempts: 3 });
    expect(new Set(f.calls.map((c) => c.headers['webhook-id']))).toEqual(new Set(['msg_k1']));
    const c = f.calls[2];
    const mac = createHmac('sha256', 'plain-secret-123').update(`msg_k1.${c.headers['webhook-timestamp']}.${c.body}`).digest('base64');
    expect(c.headers['webhook-signature']).toBe(`v1,${mac}`);
    expect(c.headers['webhook-timestamp']).toBe(String(Date.parse('2026-11-26T05:00:00Z') / 1000));
    expect(JSON.parse(c.body)).toMatchObject({ type: 'digest.published', digest_id: 'morning', period: '2026-11-26' });
  });

  it('says alert.published for an alert message (digest id alert:<rule>)', async () => {
    const f = fakeFetch([204]);
    const ch = webhookChannel('webhook:x', cfg(), { fetch: f.fn, sleep, now: () => new Date('2026-11-26T05:00:00Z') });
    await ch.send({ ...fixtureDigest(), digestId: 'alert:desk' }, 'k2');
    expect(JSON.parse(f.calls[0].body)).toMatchObject({ type: 'alert.published', digest_id: 'alert:desk' });
  });

  it('4xx is permanent; exhausted retries are transient, honouring Retry-After', async () => {
    await expect(webhookChannel('w', cfg(), { fetch: fakeFetch([404]).fn, sleep }).send(fixtureDigest(), 'k')).rejects.toBeInstanceOf(PermanentError);
    sleeps.length = 0;
    const f = fakeFetch([429, 429], { 'retry-after': '7' });
    await expect(webhookChannel('w', cfg({ attempts: 2 }), { fetch: f.fn, sleep }).send(fixtureDigest(), 'k')).rejects.toBeInstanceOf(TransientError);
    expect(sleeps).toEqual([7000]);
  });

  it('no secret, no signature header; whsec_ secrets are base64', async () => {
    const f = fakeFetch([200]);
    await webhookChannel('w', cfg({ secret: undefined }), { fetch: f.fn, sleep }).send(fixtureDigest(), 'k');
    expect(f.calls[0].headers).not.toHaveProperty('webhook-signature');
    expect(f.calls[0].headers['webhook-id']).toBe('msg_k');
    expect(signWebhook('whsec_' + Buffer.from('key').toString('base64'), 'id', 1, 'b')).toBe(`v1,${createHmac('sha256', 'key').update('id.1.b').digest('base64')}`);
  });

  it('Slack body escapes &, <, > and links only http(s)', () => {
    const b = slackBody(fixtureDigest(), 'https://ww.example.org');
    const text = JSON.stringify(b.blocks);
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).not.toContain('javascript:');
    expect(text).toContain('<https://www.reuters.com/world/europe/strikes-power-2026-11-25/|Russian strikes hit Ukraine power grid, blackouts in Kyiv>');
    expect(text).toContain('<https://ww.example.org/digests/morning/2026-11-26|Open in wirewatch>');
  });
});
