// The process-assembly boundaries, read from the import statements under src/: only the CLI entry point reaches
// into commands/, only the role starter (runtime/roles.ts) into the BullMQ consumers in workers/, and ops/ (metrics
// and health) never imports http/ (http serves ops, not the other way round).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import/export-from target of every file under src/, as paths relative to the repository root. */
function imports(): { file: string; target: string }[] {
  return sources(SRC).flatMap((f) => {
    const text = fs.readFileSync(f, 'utf8');
    return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => ({
      file: path.relative(path.resolve('.'), f),
      target: path.relative(path.resolve('.'), path.resolve(path.dirname(f), m[1])),
    }));
  });
}

describe('process assembly imports', () => {
  const all = imports();

  it('reads the imports it checks (the role starter imports every worker)', () => {
    const workers = all.filter((i) => i.file === 'src/runtime/roles.ts' && i.target.startsWith('workers/')).map((i) => i.target).sort();
    const shells = fs.readdirSync(path.resolve('workers')).filter((f) => f.endsWith('.ts')).map((f) => `workers/${f.replace(/\.ts$/, '.js')}`).sort();
    expect(shells).toEqual(expect.arrayContaining(['workers/article.js', 'workers/digest.js', 'workers/maintenance.js', 'workers/poll.js']));
    expect(workers).toEqual(shells);
  });

  it('only src/cli.ts imports commands/ from outside it', () => {
    const offenders = all.filter((i) => i.target.startsWith('src/commands/') && !i.file.startsWith('src/commands/') && i.file !== 'src/cli.ts');
    expect(offenders).toEqual([]);
  });

  it('only runtime/roles.ts imports workers/', () => {
    expect(all.filter((i) => i.target.startsWith('workers/') && i.file !== 'src/runtime/roles.ts')).toEqual([]);
  });

  it('ops/ does not import http/', () => {
    expect(all.filter((i) => i.file.startsWith('src/ops/') && i.target.startsWith('src/http/'))).toEqual([]);
  });
});
