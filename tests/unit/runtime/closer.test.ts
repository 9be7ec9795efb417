// The Closer behind start-up and shutdown: every step runs, newest first, even when one throws or hangs; each
// failure is logged by step name; a start that throws half-way closes what it had registered and rethrows.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createCloser, openWithCloser } from '../../../src/runtime/closer.js';

function capturingLog() {
  const lines: { msg: string; step?: string; err?: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

describe('createCloser', () => {
  it('runs every step newest first, past one that throws and one that rejects, and logs each failure by name', async () => {
    const { log, lines } = capturingLog();
    const closer = createCloser(log);
    const ran: string[] = [];
    closer.add('redis', () => ran.push('redis'));
    closer.add('store', () => Promise.reject(new Error('store would not close')));
    closer.add('threads', () => {
      ran.push('threads');
      throw new Error('threads would not stop');
    });
    closer.add('workers', async () => void ran.push('workers'));
    await closer.close();
    expect(ran).toEqual(['workers', 'threads', 'redis']);
    const failed = lines.filter((l) => l.msg === 'shutdown step failed');
    expect(failed.map((l) => [l.step, l.err])).toEqual([
      ['threads', 'threads would not stop'],
      ['store', 'store would not close'],
    ]);
  });

  it('gives up on a step that never settles and still runs the ones after it', async () => {
    const { log, lines } = capturingLog();
    const closer = createCloser(log);
    const ran: string[] = [];
    closer.add('first opened', () => ran.push('first opened'));
    closer.add('hangs', () => new Promise(() => undefined));
    await closer.close(1000);
    expect(ran).toEqual(['first opened']);
    expect(lines.find((l) => l.step === 'hangs')?.err).toMatch(/timed out/);
  });

  it('closes once: a second close() is the first one, and a step added after closing runs at once', async () => {
    const { log } = capturingLog();
    const closer = createCloser(log);
    let n = 0;
    closer.add('counted', () => n++);
    const a = closer.close();
    const b = closer.close();
    expect(b).toBe(a);
    await a;
    let late = false;
    closer.add('late', () => {
      late = true;
    });
    await closer.close();
    await new Promise((r) => setImmediate(r));
    expect(n).toBe(1);
    expect(late).toBe(true);
  });
});

describe('openWithCloser', () => {
  it('a start that fails half-way closes what it opened, newest first, and rethrows its error', async () => {
    const { log } = capturingLog();
    const closed: string[] = [];
    const boom = new Error('store: cannot open');
    const start = openWithCloser(log, async (closer) => {
      closer.add('redis', () => closed.push('redis'));
      closer.add('queues', () => closed.push('queues'));
      throw boom;
    });
    await expect(start).rejects.toBe(boom);
    expect(closed).toEqual(['queues', 'redis']);
  });

  it('a start that succeeds closes nothing until asked', async () => {
    const { log } = capturingLog();
    const closed: string[] = [];
    const closer = await openWithCloser(log, async (c) => {
      c.add('redis', () => closed.push('redis'));
      return c;
    });
    expect(closed).toEqual([]);
    await closer.close();
    expect(closed).toEqual(['redis']);
  });
});
