// A small WebSub hub on loopback for the tests and bench:latency: takes subscription requests (form POST), verifies
// intent with a GET to the callback (challenge echoed?), and publishes bodies to verified subscribers signed with
// their hub.secret. Knobs: refuse new requests (a hub that stops renewing), grant a given lease.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { signBody } from '../../src/websub/signature.js';

export interface HubSubscription { callback: string; topic: string; secret: string; leaseS: number; verified: boolean; requests: number }

export async function startLoopbackHub(o: { leaseS?: number } = {}) {
  const subs = new Map<string, HubSubscription>();
  const state = { refuse: false, leaseS: o.leaseS, requests: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.refuse) return void res.writeHead(500).end('hub out of order');
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const callback = form.get('hub.callback') ?? '';
      const topic = form.get('hub.topic') ?? '';
      if (form.get('hub.mode') !== 'subscribe' || !callback || !topic) return void res.writeHead(400).end('bad request');
      const leaseS = state.leaseS ?? Number(form.get('hub.lease_seconds') ?? 864_000);
      const prev = subs.get(callback);
      const sub: HubSubscription = { callback, topic, secret: form.get('hub.secret') ?? '', leaseS, verified: prev?.verified ?? false, requests: (prev?.requests ?? 0) + 1 };
      subs.set(callback, sub);
      res.writeHead(202).end();
      // Verification of intent, after answering (§5.3).
      const challenge = randomBytes(12).toString('hex');
      const u = new URL(callback);
      u.searchParams.set('hub.mode', 'subscribe');
      u.searchParams.set('hub.topic', topic);
      u.searchParams.set('hub.challenge', challenge);
      u.searchParams.set('hub.lease_seconds', String(leaseS));
      fetch(u).then(async (r) => { sub.verified = r.status === 200 && (await r.text()) === challenge; }, () => { sub.verified = false; });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    subs,
    state,
    verified: (topic: string) => [...subs.values()].filter((s) => s.topic === topic && s.verified),
    /** Deliver `body` to every verified subscriber of `topic`; `sign` overrides the signature (forgeries). */
    async publish(topic: string, body: string, opts: { sign?: (secret: string, body: string) => string | undefined; contentType?: string } = {}): Promise<number[]> {
      const out: number[] = [];
      for (const s of subs.values()) {
        if (s.topic !== topic || !s.verified) continue;
        const sig = opts.sign ? opts.sign(s.secret, body) : signBody(s.secret, body);
        const r = await fetch(s.callback, { method: 'POST', headers: { 'content-type': opts.contentType ?? 'application/rss+xml', ...(sig ? { 'x-hub-signature': sig } : {}) }, body });
        await r.arrayBuffer();
        out.push(r.status);
      }
      return out;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
