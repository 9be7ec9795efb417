#!/usr/bin/env node
// The `wirewatch` command: global flags, then one subcommand from the table below. Each subcommand lives in
// src/commands/<name>.ts and returns its exit code. Configuration errors print every problem and exit 2.
import { parseArgs } from 'node:util';
import { ConfigError } from './errors.js';
import { createContext, type CommandContext, type GlobalFlags } from './commands/context.js';

type Run = (argv: string[], ctx: CommandContext) => Promise<number>;

interface CommandSpec {
  summary: string;
  example: string;
  load: () => Promise<{ run: Run }>;
}

const COMMANDS: Record<string, CommandSpec> = {
  run: { summary: 'scheduler + workers + web server in one process; --once polls every feed once, drains, builds digests, exits', example: 'wirewatch run --once --feeds site.opml --data-dir /tmp/ww', load: () => import('./commands/run.js') },
  scheduler: { summary: 'register feed and digest schedules and keep them in sync (one per deployment)', example: 'wirewatch scheduler', load: () => import('./commands/roles.js').then((m) => ({ run: m.runScheduler })) },
  worker: { summary: 'consume queues: --queues poll,article,digest,maintenance --concurrency N', example: 'wirewatch worker --queues article --concurrency 4', load: () => import('./commands/roles.js').then((m) => ({ run: m.runWorker })) },
  serve: { summary: 'web server: digest archive, per-topic pages, Atom feeds, health and metrics', example: 'wirewatch serve', load: () => import('./commands/serve.js') },
  config: { summary: 'config check: validate configuration, print every error with file, line and key, or "ok"', example: 'wirewatch config check --config config/wirewatch.yml', load: () => import('./commands/config.js') },
  classify: { summary: 'classify JSON Lines {"id","title","text","lang"?} from stdin against the topics; --explain for people', example: 'echo \'{"id":"1","title":"NATO summit","text":"…"}\' | wirewatch classify --explain', load: () => import('./commands/classify.js') },
  topics: { summary: 'topics test (run the examples in topics.yml) | topics backtest [--since 7d] [--apply] [--model FILE] | topics train [--out FILE] [--set FILE] | topics report [--set FILE…] [--json]', example: 'wirewatch topics test', load: () => import('./commands/topics.js') },
  extract: { summary: 'extract URL (through the guarded client) | extract --jsonl (lines {"id","url","path"} on stdin)', example: 'wirewatch extract https://example.org/news/1', load: () => import('./commands/extract.js') },
  digest: { summary: 'print a digest: [--date YYYY-MM-DD] [--topic ID] [--digest ID] [--format md|html|json]', example: 'wirewatch digest --format json --date 2026-11-26', load: () => import('./commands/digest.js') },
  deliveries: { summary: 'deliveries [list] [--state failed,unknown] [--digest ID] [--json] | retry --digest ID --period P [--channel NAME]', example: 'wirewatch deliveries retry --digest morning --period 2026-11-26 --channel email', load: () => import('./commands/deliveries.js') },
  search: { summary: 'search stored articles: QUERY [--topic ID] [--since 7d] [--until DATE] [--lang L] [--feed ID] [--limit N] [--json] | --rebuild', example: 'wirewatch search \'"reparations loan" -ECB\' --lang de --since 7d', load: () => import('./commands/search.js') },
  feedback: { summary: 'feedback export [--out FILE]: readers\' relevance labels as JSON Lines in the evaluation-set format', example: 'wirewatch feedback export --out labels.jsonl', load: () => import('./commands/feedback.js') },
  feeds: { summary: 'feeds list [--json] | add URL | import FILE.opml | export', example: 'wirewatch feeds add https://kyivindependent.com/', load: () => import('./commands/feeds.js') },
};

const GLOBAL_HELP = `Global options (every command):
  --config PATH              configuration file (default config/wirewatch.yml, or $WIREWATCH_CONFIG)
  --feeds FILE               OPML file or YAML list of feed URLs, replacing the configured feeds
  --data-dir DIR             where the store, digests and any private Redis live (default ./data)
  --allow-private-networks   let the fetcher reach private addresses, any port on loopback (local test sites)
  --log-level LEVEL          trace|debug|info|warn|error (default info)
  -h, --help                 this help
Environment: REDIS_URL and DATABASE_URL override the configuration; WIREWATCH_CONFIG selects the file.`;

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  e.g. ${c.example}`);
  return `wirewatch — self-hosted news monitoring\n\nUsage: wirewatch <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n${GLOBAL_HELP}\n`;
}

/** Split global flags (anywhere on the line) from the command's own arguments. */
export function splitArgs(argv: string[]): { flags: GlobalFlags; help: boolean; command?: string; rest: string[] } {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: {
      config: { type: 'string' },
      feeds: { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-private-networks': { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const globalNames = new Set(['config', 'feeds', 'data-dir', 'allow-private-networks', 'log-level', 'help', 'h']);
  const rest: string[] = [];
  let command: string | undefined;
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && globalNames.has(t.name)) continue;
    if (t.kind === 'positional' && command === undefined) {
      command = t.value;
      continue;
    }
    if (t.kind === 'option') {
      if (t.inlineValue) rest.push(`${t.rawName}=${t.value}`);
      else rest.push(t.rawName, ...(t.value !== undefined ? [t.value] : []));
    } else if (t.kind === 'positional') rest.push(t.value);
    else rest.push('--');
  }
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return {
    flags: { configPath: s('config'), feedsFile: s('feeds'), dataDir: s('data-dir'), allowPrivateNetworks: values['allow-private-networks'] === true, logLevel: s('log-level') },
    help: values.help === true,
    command,
    rest,
  };
}

export async function main(argv: string[]): Promise<number> {
  const { flags, help, command, rest } = splitArgs(argv);
  if (!command || (help && !command)) {
    process.stdout.write(usage());
    return command || help ? 0 : 1;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    process.stderr.write(`wirewatch: unknown command "${command}"\n\n${usage()}`);
    return 1;
  }
  if (help) {
    process.stdout.write(`wirewatch ${command} — ${spec.summary}\n  e.g. ${spec.example}\n\n${GLOBAL_HELP}\n`);
    return 0;
  }
  const ctx = createContext(flags);
  try {
    const mod = await spec.load();
    return await mod.run(rest, ctx);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`wirewatch: configuration is invalid:\n${err.message}\n`);
      return 2;
    }
    ctx.log.fatal({ err }, `${command} failed`);
    process.stderr.write(`wirewatch ${command}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    ctx.log.flush?.();
  }
}

const isMain = process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`wirewatch: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
