// One progress line on a terminal (`run --once`, `topics backtest`, `feeds import`): redrawn in place, at most
// every 100 ms, and nothing at all when the stream is not a TTY (cron, CI, pipes get the plain JSON logs only).
export interface Progress {
  /** Redraw the line (throttled; `force` draws now). */
  update(text: string, force?: boolean): void;
  /** Draw the last text and end the line. */
  done(text?: string): void;
  readonly enabled: boolean;
}

export function createProgress(stream: NodeJS.WritableStream, opts: { everyMs?: number; now?: () => number } = {}): Progress {
  const enabled = (stream as NodeJS.WriteStream).isTTY === true;
  const now = opts.now ?? Date.now;
  let last = -Infinity;
  let shown = false;
  let lastText = '';
  const draw = (text: string) => {
    stream.write(`\r\x1b[K${text}`);
    shown = true;
    last = now();
  };
  return {
    enabled,
    update(text, force = false) {
      lastText = text;
      if (enabled && (force || now() - last >= (opts.everyMs ?? 100))) draw(text);
    },
    done(text) {
      if (!enabled) return;
      if (text !== undefined || lastText) draw(text ?? lastText);
      if (shown) stream.write('\n');
    },
  };
}
