// The one YAML reader: `yaml` parses with source positions, so every validation problem in wirewatch.yml, feeds.yml
// or topics.yml can name its line. Syntax errors come back as issues (file, line), never as exceptions.
import fs from 'node:fs';
import { LineCounter, isCollection, parseDocument, type Document } from 'yaml';
import type { ConfigIssue } from '../errors.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  /** Maps a node's range offsets to lines (for readers that walk the nodes themselves). */
  lineCounter: LineCounter;
  /** The document as plain data (built on first use: readers that walk the nodes never pay for it). */
  readonly value: unknown;
  /** Line (1-based) of the node at `path`, or of its nearest existing parent. */
  lineOf(path: (string | number)[]): number | undefined;
}

/** Parse `text` (from `file`). Duplicate keys are errors; aliases expand at most 100 times (billion laughs). */
export function parseYaml(text: string, file: string): { source?: YamlSource; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const issues: ConfigIssue[] = doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0]?.line,
    key: '(yaml)',
    // The line is the issue's own field; the message need not repeat it.
    message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
  }));
  if (issues.length) return { issues };
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
      if (n === 0 && isCollection(doc.contents) && doc.contents.range) return lineCounter.linePos(doc.contents.range[0]).line;
    }
    return undefined;
  };
  let value: unknown;
  let built = false;
  const source: YamlSource = {
    file,
    doc,
    lineCounter,
    get value() {
      if (!built) (value = doc.toJS({ maxAliasCount: 100 })), (built = true);
      return value;
    },
    lineOf,
  };
  return { source, issues };
}

export function readYamlFile(file: string): { source?: YamlSource; issues: ConfigIssue[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { issues: [{ file, key: '(file)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
  }
  return parseYaml(text, file);
}

/** "feeds[2].url" from a path. */
export function keyOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}
