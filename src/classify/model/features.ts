// Features of the second-opinion model: per distinct word of title + lead + body, its character n-grams (3–5, with
// word-boundary marks, so inflections and compounds share features across en/uk/ru/de/fr) and the word itself.
// Pure and deterministic: the same text gives the same features in the same order.

/** How much of the body is read: the model is a recall aid for the opening of an article, like a reader. */
export const MAX_BODY_CHARS = 4000;
const MIN_N = 3;
const MAX_N = 5;

export interface TextInput {
  title?: string;
  lead?: string;
  text?: string;
}

/** Words of a text: lower-cased letters and digits (any script), apostrophes dropped, Ukrainian ґ/ї kept. */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2019'`ʼ]/g, '')
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && w.length <= 40);
}

/** The n-gram and word features of one word. */
export function wordFeatures(word: string): string[] {
  const out = [`w:${word}`];
  const s = `<${word}>`;
  for (let n = MIN_N; n <= MAX_N; n++) for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
  return out;
}

/** The text the model reads: title, lead and the start of the body. */
export function modelText(x: TextInput): string {
  const body = (x.text ?? '').slice(0, MAX_BODY_CHARS);
  return [x.title ?? '', x.lead ?? '', x.lead && body.startsWith(x.lead) ? body.slice(x.lead.length) : body].join('\n');
}

/**
 * Distinct features of a text, each with the distinct words it came from (for the reason shown to people).
 * Binary presence: a word repeated does not count more.
 */
export function featuresOf(x: TextInput): Map<string, string[]> {
  const feats = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const w of wordsOf(modelText(x))) {
    if (seen.has(w)) continue;
    seen.add(w);
    for (const f of wordFeatures(w)) {
      const l = feats.get(f);
      if (!l) feats.set(f, [w]);
      else if (l[l.length - 1] !== w) l.push(w);
    }
  }
  return feats;
}
