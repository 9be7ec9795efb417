// The labelled evaluation sets and their roles, from the manifest sets.json beside them (tests/fixtures/classify):
// `tuning` (the rules are fitted to it), `regression` (blind once, tuned on since: guards against losing what was
// fixed) and `blind` (written by someone who never saw the rules, scored once before any rule change). A set that
// is not in the manifest is reported as `unlabelled`, never as blind.
import fs from 'node:fs';
import path from 'node:path';
import { parseEvalSet, type LabelledItem } from './evaluate.js';

export type SetRole = 'tuning' | 'regression' | 'blind' | 'unlabelled';

export interface EvalSetInfo {
  file: string;
  role: SetRole;
  /** Date the set was written (YYYY-MM-DD). */
  written?: string;
  note?: string;
}

export interface EvalSet extends EvalSetInfo {
  /** Path as given / resolved. */
  path: string;
  items: LabelledItem[];
}

const ROLES = new Set<SetRole>(['tuning', 'regression', 'blind']);

/** Entries of `dir`/sets.json ([] when there is none). Throws on a manifest that is not valid JSON or names a bad role. */
export function readManifest(dir: string): EvalSetInfo[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'sets.json'), 'utf8');
  } catch {
    return [];
  }
  const v = JSON.parse(text) as { sets?: EvalSetInfo[] };
  const sets = Array.isArray(v.sets) ? v.sets : [];
  for (const s of sets) {
    if (typeof s.file !== 'string' || !ROLES.has(s.role)) throw new Error(`${path.join(dir, 'sets.json')}: bad entry ${JSON.stringify(s)}`);
  }
  return sets;
}

/** Load sets: the given files (each labelled from the manifest beside it), or every set of the manifest in `dir`. */
export function loadEvalSets(files: string[], dir: string): EvalSet[] {
  const list = files.length ? files : readManifest(dir).map((s) => path.join(dir, s.file));
  const manifests = new Map<string, EvalSetInfo[]>();
  return list.map((p) => {
    const d = path.dirname(path.resolve(p));
    let m = manifests.get(d);
    if (!m) manifests.set(d, (m = readManifest(d)));
    const info = m.find((s) => s.file === path.basename(p)) ?? { file: path.basename(p), role: 'unlabelled' as const };
    return { ...info, path: p, items: parseEvalSet(fs.readFileSync(p, 'utf8')) };
  });
}
