// `wirewatch extract`: URL mode through the guarded client, and --jsonl with one output line per input line.
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/commands/extract.js';
import { ROOT } from '../../../src/paths.js';
import { serve, type TestServer } from '../../security/helpers.js';

const PAGES = path.join(ROOT, 'tests', 'fixtures', 'pages');
let srv: TestServer;

beforeAll(async () => {
  srv = await serve((_q, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<html lang="uk"><head><title>Новина</title></head><body><article>${'<p>Київ: засідання ради тривало до пізнього вечора, депутати ухвалили бюджет.</p>'.repeat(8)}</article></body></html>`);
  });
});
afterAll(() => srv.close());

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let buf = '';
  stream.on('data', (c: Buffer) => (buf += c.toString()));
  return { stream, text: () => buf };
}

describe('wirewatch extract', () => {
  it('URL: fetches through the guarded client and prints the article JSON', async () => {
    const out = capture();
    const code = await run([srv.url('/news')], {
      allowPrivateNetworks: false,
      fetchPolicy: { treatAsPublic: ['127.0.0.1'], allowedPorts: [80, 443, srv.port] },
      stdout: out.stream,
      stderr: capture().stream,
    });
    expect(code).toBe(0);
    const a = JSON.parse(out.text()) as Record<string, unknown>;
    expect(Object.keys(a).slice(0, 6)).toEqual(['url', 'title', 'byline', 'published', 'lang', 'text']);
    expect(a.lang).toBe('uk');
    expect(a.text).toContain('ухвалили бюджет');
  });

  it('URL: a private address is refused (exit 1, message on stderr)', async () => {
    const err = capture();
    const code = await run([srv.url('/news', '127.0.0.2')], {
      allowPrivateNetworks: false,
      fetchPolicy: { allowedPorts: [80, 443, srv.port] },
      stdout: capture().stream,
      stderr: err.stream,
    });
    expect(code).toBe(1);
    expect(err.text()).toMatch(/^fetch: /);
    expect(srv.connections).toBe(1); // only the first test's connection
  });

  it('--jsonl: one line per input, errors as {"id","error"}', async () => {
    const input = [
      JSON.stringify({ id: 'a', url: 'https://www.sciencealert.com/x', path: path.join(PAGES, 'sciencealert-titan.html') }),
      'not json',
      JSON.stringify({ id: 'b', url: 'https://example.com/missing', path: path.join(PAGES, 'missing.html') }),
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 'd', url: 'http://www.wday.ru/x', path: path.join(PAGES, 'wday-ru-cp1251.html') }),
    ].join('\n');
    const out = capture();
    const code = await run(['--jsonl'], { allowPrivateNetworks: false, stdin: Readable.from([input]), stdout: out.stream, stderr: capture().stream });
    expect(code).toBe(0);
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'b', 'c', 'd']);
    expect(lines[0].title).toContain('Titan');
    expect(lines[1].error).toMatch(/not a JSON line/);
    expect(lines[2].error).toMatch(/ENOENT/);
    expect(lines[3].error).toMatch(/"url" and "path"/);
    expect(lines[4].lang).toBe('ru');
    expect(lines[4].text).toMatch(/[а-я]{5}/);
  });

  it('usage errors exit 2', async () => {
    expect(await run([], { allowPrivateNetworks: false, stderr: capture().stream })).toBe(2);
  });
});
