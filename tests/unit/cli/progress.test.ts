// The terminal progress line: drawn in place and throttled on a TTY, nothing at all otherwise (cron, pipes).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/commands/progress.js';

function stream(tty: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (tty) s.isTTY = true;
  let text = '';
  s.on('data', (c) => (text += c));
  return { s, text: () => text };
}

describe('progress line', () => {
  it('redraws one line on a terminal, at most every 100 ms, and ends it', () => {
    const { s, text } = stream(true);
    let t = 0;
    const p = createProgress(s, { now: () => t });
    p.update('feeds polled 1/3');
    t = 50;
    p.update('feeds polled 2/3');
    t = 200;
    p.update('feeds polled 3/3 · articles processed 0/5');
    p.done();
    expect(text()).toBe('\r\x1b[Kfeeds polled 1/3\r\x1b[Kfeeds polled 3/3 · articles processed 0/5\r\x1b[Kfeeds polled 3/3 · articles processed 0/5\n');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const { s, text } = stream(false);
    const p = createProgress(s);
    p.update('feeds polled 1/3', true);
    p.done('done');
    expect(p.enabled).toBe(false);
    expect(text()).toBe('');
  });
});
