// The import direction written down in docs/architecture.md, checked by reading every import under src/.
// A folder (or top-level file) may import only what stands below it in LAYERS; a new folder must be placed here
// before it can import anything, so the order stays a decision rather than an accident.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../../src');

/** Lowest first. Keep in step with the table in docs/architecture.md. */
export const LAYERS: readonly string[] = [
  'model', 'errors', 'paths',
  'log', 'deadline', 'yaml', 'markup', 'url', 'charset',
  'fetch', 'feeds', 'extract', 'classify', 'digest', 'search',
  'store', 'alerts', 'websub', 'config', 'queue', 'deliver', 'pipeline', 'scheduler',
  'ops', 'http', 'runtime', 'commands', 'cli',
];

/** Files that may import the BullMQ worker shells in workers/: the CLI and the one role starter. */
const MAY_IMPORT_WORKERS = new Set(['cli.ts', 'runtime/roles.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Top-level unit a path under src/ belongs to: its first folder, or the file's name without extension. */
function unitOf(relPath: string): string {
  const parts = relPath.split('/');
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.(ts|js)$/, '');
}

interface Edge { file: string; from: string; to: string; spec: string }

/** Every relative import, re-export and dynamic import() in src/, as unit → unit edges (same-unit edges dropped). */
function importEdges(): { edges: Edge[]; outside: Edge[] } {
  const edges: Edge[] = [];
  const outside: Edge[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const abs of sourceFiles(SRC)) {
    const file = relative(SRC, abs);
    const text = readFileSync(abs, 'utf8');
    for (const m of text.matchAll(re)) {
      const target = relative(SRC, resolve(dirname(abs), m[1]!));
      const edge = { file, from: unitOf(file), to: unitOf(target), spec: m[1]! };
      if (target.startsWith('..')) outside.push(edge);
      else if (edge.from !== edge.to) edges.push(edge);
    }
  }
  return { edges, outside };
}

describe('architecture: import layers', () => {
  const { edges, outside } = importEdges();

  it('finds the imports it checks (the scanner itself works)', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'cli' && e.to === 'commands')).toBe(true);
  });

  it('places every folder under src/ in the layer table', () => {
    const units = new Set(sourceFiles(SRC).map((f) => unitOf(relative(SRC, f))));
    const unplaced = [...units].filter((u) => !LAYERS.includes(u));
    expect(unplaced, 'add these to LAYERS and docs/architecture.md').toEqual([]);
  });

  it('imports only downwards', () => {
    const upward = edges
      .filter((e) => LAYERS.indexOf(e.to) >= LAYERS.indexOf(e.from))
      .map((e) => `${e.file} imports ${e.spec} (${e.from} → ${e.to})`);
    expect(upward).toEqual([]);
  });

  it('has no two folders importing each other', () => {
    const pairs = new Set(edges.map((e) => `${e.from}>${e.to}`));
    const cycles = [...pairs].filter((p) => {
      const [a, b] = p.split('>');
      return a! < b! && pairs.has(`${b}>${a}`);
    });
    expect(cycles).toEqual([]);
  });

  it('reaches workers/ only from the CLI and the role starter, and nothing else outside src/', () => {
    const bad = outside
      .filter((e) => !(e.spec.includes('/workers/') && MAY_IMPORT_WORKERS.has(e.file)))
      .map((e) => `${e.file} imports ${e.spec}`);
    expect(bad).toEqual([]);
  });
});
