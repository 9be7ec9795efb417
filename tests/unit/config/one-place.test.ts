// "One way in": only config loading reads the environment, and only the plain-YAML reader uses js-yaml. Checked by
// reading the sources, so a new `process.env` read elsewhere fails here rather than in production.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Files under src/ and workers/ whose code (comments removed) matches `re`. */
function using(re: RegExp): string[] {
  return [...sources('src'), ...sources('workers')]
    .filter((f) => re.test(fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

describe('one place for', () => {
  it('environment reads: config/ only', () => {
    const readers = using(/process\.env\b/);
    expect(readers).toContain('src/config/env.ts');
    expect(readers.filter((f) => !f.startsWith('src/config/'))).toEqual([]);
  });

  it('js-yaml: the plain-YAML reader only', () => {
    expect(using(/from ['"]js-yaml['"]/)).toEqual(['src/yaml/plain.ts']);
  });
});
