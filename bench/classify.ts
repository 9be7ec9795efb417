// Classifier speed: a fixed generated corpus classified against 10, 100, 1,000 and 10,000 generated topics (20 terms
// each: words, two-word phrases and prefixes, stemming on). Prints one line per size and, last,
// `classify: mb_per_s_1000=<x> ratio_1000_vs_10=<y> build_ms_10000=<z>` (goals: x ≥ 25, y ≤ 2.0, z ≤ 2000).
// build_ms is loadTopics() on the YAML text: parse + validate + compile. Single-threaded; times are CPU time of
// this process, classification the best pass of several. NS=10,1000 runs only those sizes; MS=… sets the time
// spent per size (ms, default 3000).
import { classify } from '../src/classify/classify.js';
import { loadTopics, type Matcher } from '../src/classify/load.js';
import type { ClassifyInput } from '../src/model.js';

// Deterministic PRNG shared with the other benchmarks, so every run sees the same corpus and topics.
import { rng } from './lib/corpus.js';

const SYL = ['ka', 'ri', 'no', 'te', 'sa', 'lo', 'mi', 'du', 'ven', 'tor', 'al', 'es', 'un', 'ber', 'gas', 'pol', 'ia', 'na', 'ro', 'se', 'fi', 'gu', 'hal', 'wet', 'zo', 'pre', 'kon', 'mar', 'lis', 'tu'];
const ENDINGS = ['', '', '', 's', 'es', "'s"];

function vocabulary(n: number, r: () => number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    const k = 1 + Math.floor(r() * 4);
    let w = '';
    for (let i = 0; i < k; i++) w += SYL[Math.floor(r() * SYL.length)];
    out.add(w);
  }
  return [...out];
}

function corpus(vocab: string[], articles: number, r: () => number): ClassifyInput[] {
  // Zipf (s ≈ 1), like word frequencies in news: rank = e^(u · ln N), so low ranks are frequent.
  const lnN = Math.log(vocab.length);
  const pick = () => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(r() * lnN)) - 1)];
  const sentence = (words: number) => {
    const ws: string[] = [];
    for (let i = 0; i < words; i++) ws.push(pick() + ENDINGS[Math.floor(r() * ENDINGS.length)]);
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    return `${ws.join(' ')}.`;
  };
  const out: ClassifyInput[] = [];
  for (let a = 0; a < articles; a++) {
    const paras: string[] = [];
    for (let p = 0; p < 6; p++) {
      const ss: string[] = [];
      for (let s = 0; s < 5; s++) ss.push(sentence(8 + Math.floor(r() * 14)));
      paras.push(ss.join(' '));
    }
    out.push({ id: String(a), title: sentence(9).slice(0, -1), text: paras.join('\n\n'), lang: 'en' });
  }
  return out;
}

function topicsYaml(n: number, vocab: string[], r: () => number): string {
  // Topic terms are content words, not the thousand most frequent words of the language ("the", "said", …).
  const pick = () => vocab[1000 + Math.floor(r() * (vocab.length - 1000))];
  const lines = ['topics:'];
  for (let t = 0; t < n; t++) {
    const terms: string[] = [];
    for (let i = 0; i < 20; i++) {
      const x = r();
      if (x < 0.7) terms.push(pick());
      else if (x < 0.9) terms.push(`${pick()} ${pick()}`);
      else {
        // A stem and its endings, like Україн* or sanction*: a real stem, at least 6 letters.
        let w = pick();
        while (w.length < 6) w = pick();
        terms.push(`${w}*`);
      }
    }
    lines.push(`  - id: t${t}`, '    threshold: 3', '    stem: true', `    terms: {en: [${terms.map((x) => JSON.stringify(x)).join(', ')}]}`);
  }
  return lines.join('\n');
}

function timeClassify(docs: ClassifyInput[], m: Matcher, bytes: number): { mbps: number; msPerPass: number; matches: number } {
  let matches = 0;
  for (const d of docs) matches += classify(d, m).length; // warm-up
  // CPU time of this process (user + system), not wall time: the figure is per core, and stays meaningful on a
  // machine that is busy with other work.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  // Best of several passes (like Python's timeit): the least disturbed by other work on the machine.
  let passes = 0;
  let best = Infinity;
  const t0 = cpuMs();
  while (cpuMs() - t0 < Number(process.env.MS ?? 3000) || passes < 3) {
    const p0 = cpuMs();
    for (const d of docs) classify(d, m);
    best = Math.min(best, cpuMs() - p0);
    passes++;
  }
  const ms = best;
  return { mbps: bytes / 1e6 / (ms / 1000), msPerPass: ms, matches };
}

const r = rng(42);
const vocab = vocabulary(200_000, r);
const docs = corpus(vocab, 400, r);
const bytes = docs.reduce((s, d) => s + Buffer.byteLength(d.title) + Buffer.byteLength(d.text), 0);
console.log(`corpus: ${docs.length} articles, ${(bytes / 1e6).toFixed(2)} MB`);
const res = new Map<number, { mbps: number; msPerPass: number; buildMs: number }>();
for (const n of (process.env.NS ?? "10,100,1000,10000").split(",").map(Number)) {
  const yaml = topicsYaml(n, vocab, rng(n));
  const b0 = process.cpuUsage();
  const loaded = loadTopics(yaml, `bench-${n}.yml`);
  const bu = process.cpuUsage(b0);
  const buildMs = (bu.user + bu.system) / 1000;
  if (loaded.issues.length) throw new Error(`bench: generated topics have issues: ${loaded.issues[0].message}`);
  const t = timeClassify(docs, loaded.matcher, bytes);
  res.set(n, { ...t, buildMs });
  console.log(`topics=${n} terms=${loaded.matcher.terms.length} build_ms=${buildMs.toFixed(0)} ms_per_pass=${t.msPerPass.toFixed(1)} mb_per_s=${t.mbps.toFixed(1)} matches=${t.matches}`);
}
if (!res.has(1000) || !res.has(10) || !res.has(10_000)) process.exit(0);
const x = res.get(1000)!.mbps;
const y = res.get(1000)!.msPerPass / res.get(10)!.msPerPass;
const z = res.get(10_000)!.buildMs;
console.log(`classify: mb_per_s_1000=${x.toFixed(1)} ratio_1000_vs_10=${y.toFixed(2)} build_ms_10000=${z.toFixed(0)}`);
