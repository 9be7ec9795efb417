// Where compiled files live. Worker threads and sandboxed processors must load JavaScript, so code that spawns
// them resolves the compiled sibling under dist/ even when it is itself running from TypeScript (under vitest).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root (the folder holding package.json), from src/ or dist/src/. */
export const ROOT = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.includes(`${path.sep}dist${path.sep}`) || here.endsWith(`${path.sep}dist`)
    ? path.resolve(here, '..', '..')
    : path.resolve(here, '..');
})();

/**
 * Absolute path of the compiled JS for a source file given relative to the repository root,
 * e.g. compiled('src/extract/worker.ts') → <root>/dist/src/extract/worker.js. `npm run build` must have run.
 */
export function compiled(sourceRel: string): string {
  return path.join(ROOT, 'dist', sourceRel.replace(/\.ts$/, '.js'));
}
