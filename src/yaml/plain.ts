// A fast reader for large, plain YAML (thousands of topics), under `yaml`'s judgement of validity.
//
// Measured (npm run bench:classify, build_ms = loadTopics on generated topics, this 2-core box under load):
// with js-yaml reading plain documents, 1,000 topics 319–362 ms and 10,000 topics 1863–1899 ms; with `yaml` alone,
// 648–681 ms and 3315–3446 ms (over the bench's 2000 ms goal). `yaml` keeps source ranges for every node and is
// 5–10× slower to parse, so js-yaml stays, on two conditions that keep `yaml` the judge:
// - js-yaml reads only the plain subset where the two libraries agree: block and flow maps, lists and scalars;
//   a text with tabs, anchors, aliases, tags, directives, document markers or merge keys goes to `yaml`;
// - the caller accepts a fast result only when it finds no problem in it; any problem, and any text js-yaml
//   refuses, is parsed again by `yaml` (yaml/source.ts), whose errors and lines are the ones reported.
import * as jsyaml from 'js-yaml';
import { Document, type Node as YNode } from 'yaml';

/** YAML features outside the plain subset (checked on the raw text: a false alarm only costs the slow path). */
const NOT_PLAIN = /\t|(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|<<\s*:/m;

/**
 * The document as `yaml` nodes without positions, or undefined when the text is not plain or js-yaml refuses it
 * (the caller then parses it with parseYaml). Duplicate keys make js-yaml throw, so they reach `yaml` too.
 */
export function plainYamlRoot(text: string): YNode | null | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  try {
    // CORE_SCHEMA: the same YAML 1.2 types as `yaml` (no timestamps, no yes/no booleans).
    return new Document(jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA })).contents as YNode | null;
  } catch {
    return undefined;
  }
}
