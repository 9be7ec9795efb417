// loadConfig(): reads config/wirewatch.yml, its feeds file and topics file, applies environment (config/env.ts) and
// command-line overrides, validates everything and returns one frozen Config — or throws ConfigError listing every problem at
// once, each named by file, line and key. Nothing here touches the store or Redis.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { FeedSource } from '../model.js';
import { ROOT } from '../paths.js';
import { loadTopics, type LoadedTopics } from '../classify/load.js';
import type { SecondOpinion } from '../classify/model/possible.js';
import { parseModel } from '../classify/model/types.js';
import { parseOpml } from '../feeds/opml.js';
import { ConfigSchema, FeedEntrySchema, type FeedEntry, type RawConfig } from './schema.js';
import { keyOf, parseYaml, readYamlFile, type YamlSource } from '../yaml/source.js';
import { feedIdFor } from '../feeds/feed-id.js';
import { applyEnv, envConfigPath } from './env.js';

export interface Overrides {
  /** --config / WIREWATCH_CONFIG */
  configPath?: string;
  /** --feeds FILE: OPML or YAML list of feed URLs, replacing the configured feeds. */
  feedsFile?: string;
  /** --data-dir DIR */
  dataDir?: string;
  /** --allow-private-networks: private addresses and any port on loopback (fetch.allow_private_networks + allow_loopback_any_port). */
  allowPrivateNetworks?: boolean;
}

export interface Config extends Omit<RawConfig, 'feeds' | 'feeds_file'> {
  /** The config file read, absolute. */
  file: string;
  /** data_dir resolved against the working directory. */
  dataDir: string;
  outputDir: string;
  feeds: FeedSource[];
  /** Where `feeds add/import` write (the configured feeds file, absolute), if any. */
  feedsFile?: string;
  topicsFile: string;
  topics: LoadedTopics;
  /** classify.model.file, absolute. */
  modelFile: string;
  /** The second-opinion model when `classify.model.enabled` and its file exists; else undefined. */
  secondOpinion?: SecondOpinion;
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = envConfigPath(env);
  if (fromEnv) return path.resolve(fromEnv);
  const local = path.resolve('config/wirewatch.yml');
  return fs.existsSync(local) ? local : path.join(ROOT, 'config', 'wirewatch.yml');
}

/** Load and validate. Throws ConfigError with every issue. */
export function loadConfig(over: Overrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const file = path.resolve(over.configPath ?? defaultConfigPath(env));
  const issues: ConfigIssue[] = [];
  const { source, issues: yamlIssues } = readYamlFile(file);
  issues.push(...yamlIssues);
  if (!source) throw new ConfigError(issues);

  const parsed = ConfigSchema.safeParse(source.value ?? {});
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, source));
    throw new ConfigError(issues);
  }
  const raw = parsed.data;
  const dir = path.dirname(file);

  // The environment overrides the file; command-line flags override both.
  applyEnv(raw, env, issues);
  // The local-test switch: private addresses, and any port on loopback (a test site listens where it got a port).
  // The config key alone lifts the address check only; ports stay fetch.allowed_ports.
  if (over.allowPrivateNetworks) {
    raw.fetch.allow_private_networks = true;
    raw.fetch.allow_loopback_any_port = true;
  }
  const dataDir = path.resolve(over.dataDir ?? raw.data_dir);
  const outputDir = over.dataDir || !raw.output_dir ? path.join(dataDir, 'digests') : path.resolve(raw.output_dir);
  const { feeds, feedsFile } = readFeeds(raw, over, dir, file, issues);
  const topicsFile = path.resolve(dir, raw.topics_file);
  const topics = readTopics(topicsFile, issues);
  checkDigestTopics(raw, topics, source, issues);
  const modelFile = path.resolve(dir, raw.classify.model.file);
  const secondOpinion = readSecondOpinion(raw, modelFile, issues);

  if (issues.length || !topics) throw new ConfigError(issues);
  const { feeds: _f, feeds_file: _ff, ...rest } = raw;
  const cfg: Config = { ...rest, file, dataDir, outputDir, feeds, feedsFile, topicsFile, topics, modelFile, ...(secondOpinion ? { secondOpinion } : {}) };
  return deepFreeze(cfg);
}

/** Feeds: --feeds replaces everything; otherwise the inline feeds plus the feeds file. */
function readFeeds(raw: RawConfig, over: Overrides, dir: string, file: string, issues: ConfigIssue[]): { feeds: FeedSource[]; feedsFile?: string } {
  const feeds: FeedSource[] = [];
  let feedsFile: string | undefined;
  if (over.feedsFile) {
    feeds.push(...readFeedsOverride(path.resolve(over.feedsFile), issues));
  } else {
    if (raw.feeds) feeds.push(...toSources(raw.feeds));
    if (raw.feeds_file) {
      feedsFile = path.resolve(dir, raw.feeds_file);
      feeds.push(...readFeedsFile(feedsFile, issues));
    }
  }
  checkUniqueFeeds(feeds, issues, over.feedsFile ?? feedsFile ?? file);
  return { feeds, feedsFile };
}

function readTopics(topicsFile: string, issues: ConfigIssue[]): LoadedTopics | undefined {
  try {
    const topics = loadTopics(fs.readFileSync(topicsFile, 'utf8'), rel(topicsFile));
    issues.push(...topics.issues);
    return topics;
  } catch (err) {
    issues.push({ file: rel(topicsFile), key: '(file)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return undefined;
  }
}

/** Digests and alerts must name known topics (unchecked when the topics file could not be read: that is reported already). */
function checkDigestTopics(raw: RawConfig, topics: LoadedTopics | undefined, source: YamlSource, issues: ConfigIssue[]): void {
  if (!topics) return;
  const known = new Set(topics.list.map((t) => t.id));
  for (const section of ['digests', 'alerts'] as const) {
    raw[section].forEach((d, i) => {
      (d.topics ?? []).forEach((t: string, j: number) => {
        if (!known.has(t)) {
          issues.push({ file: rel(source.file), line: source.lineOf([section, i, 'topics', j]), key: `${section}[${i}].topics[${j}]`, message: `unknown topic "${t}"` });
        }
      });
    });
  }
}

/**
 * The second-opinion model: read only when enabled; a missing file means none (the service logs it), a broken one
 * is a configuration error.
 */
function readSecondOpinion(raw: RawConfig, modelFile: string, issues: ConfigIssue[]): SecondOpinion | undefined {
  if (!raw.classify.model.enabled || !fs.existsSync(modelFile)) return undefined;
  try {
    const model = parseModel(fs.readFileSync(modelFile, 'utf8'));
    return { model, threshold: raw.classify.model.threshold, maxReasons: raw.classify.model.max_reasons };
  } catch (err) {
    issues.push({ file: rel(modelFile), key: '(file)', message: `not a usable model: ${(err as Error).message} (re-run \`wirewatch topics train\`)` });
    return undefined;
  }
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

function zodIssues(err: z.ZodError, src: YamlSource): ConfigIssue[] {
  return err.issues.flatMap((i) => {
    const p = i.path.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
    // One issue per unknown key, named by its own path, so a typo points at its line.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ file: rel(src.file), line: src.lineOf([...p, k]), key: keyOf([...p, k]), message: 'unknown key' }));
    }
    return [{ file: rel(src.file), line: src.lineOf(p), key: keyOf(p), message: i.message }];
  });
}

function toSources(entries: FeedEntry[]): FeedSource[] {
  return entries.map((e) => ({ ...e, id: e.id ?? feedIdFor(e.url) }));
}

/** config/feeds.yml: `feeds: [{url, id?, title?, lang?, interval_s?, tz?}]`. */
function readFeedsFile(file: string, issues: ConfigIssue[]): FeedSource[] {
  const { source, issues: yi } = readYamlFile(file);
  issues.push(...yi.map((i) => ({ ...i, file: rel(i.file) })));
  if (!source) return [];
  return feedsFromYaml(source, issues);
}

function feedsFromYaml(source: YamlSource, issues: ConfigIssue[]): FeedSource[] {
  const v = source.value as unknown;
  const list = Array.isArray(v) ? v : (v as { feeds?: unknown } | null)?.feeds;
  const base: (string | number)[] = Array.isArray(v) ? [] : ['feeds'];
  if (!Array.isArray(list)) {
    issues.push({ file: rel(source.file), line: source.lineOf([]), key: 'feeds', message: 'must be a list of feeds (or a top-level list of URLs)' });
    return [];
  }
  const out: FeedSource[] = [];
  list.forEach((entry, i) => {
    const r = FeedEntrySchema.safeParse(typeof entry === 'string' ? { url: entry } : entry);
    if (r.success) out.push(...toSources([r.data]));
    else
      for (const zi of r.error.issues) {
        const p = [...base, i, ...zi.path.filter((x): x is string | number => typeof x !== 'symbol')];
        issues.push({ file: rel(source.file), line: source.lineOf(p), key: keyOf(p), message: zi.message });
      }
  });
  return out;
}

/**
 * Every problem `config check` would report for a feeds file with this text (schema of each entry, duplicate ids),
 * named by file, line and key. Used by `feeds add/import` before they write.
 */
export function feedsTextIssues(text: string, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { source, issues: yi } = parseYaml(text, file);
  issues.push(...yi.map((i) => ({ ...i, file: rel(i.file) })));
  if (!source) return issues;
  checkUniqueFeeds(feedsFromYaml(source, issues), issues, file);
  return issues;
}

/** --feeds FILE: an OPML file (by content) or a YAML list. */
function readFeedsOverride(file: string, issues: ConfigIssue[]): FeedSource[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    issues.push({ file: rel(file), key: '(file)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return [];
  }
  if (/^\s*(<\?xml[^>]*>\s*)?<opml[\s>]/i.test(text)) {
    try {
      return parseOpml(text).map((f: FeedSource) => ({ ...f, id: f.id || feedIdFor(f.url) }));
    } catch (err) {
      issues.push({ file: rel(file), key: '(opml)', message: (err as Error).message });
      return [];
    }
  }
  return readFeedsFile(file, issues);
}

function checkUniqueFeeds(feeds: FeedSource[], issues: ConfigIssue[], file: string): void {
  const seen = new Map<string, string>();
  for (const f of feeds) {
    const prev = seen.get(f.id);
    if (prev) issues.push({ file: rel(file), key: `feeds.${f.id}`, message: `duplicate feed id "${f.id}" (${prev} and ${f.url})` });
    seen.set(f.id, f.url);
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    // The compiled matcher is an opaque object owned by classify/; freeze only plain config data.
    if (Object.getPrototypeOf(o) !== Object.prototype && !Array.isArray(o)) return o;
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
