// Light, inflection-only stemmers for en, de, fr, ru, uk, working on folded keys (see tokenize.fold).
// Why not Porter/Snowball: they also strip derivational suffixes ("wellness" → "well", "generalization" →
// "general"), which is exactly the over-matching users complain about (issue 3). These strip only case and
// number endings (активи / активів / активами → актив; Garantien / Garantie → garanti; garanties → garanti),
// once, longest ending first, and never below a minimum stem length. Both the term and the text are stemmed.

export const STEM_LANGS = ['en', 'de', 'fr', 'ru', 'uk'] as const;
export type StemLang = (typeof STEM_LANGS)[number];

export function hasStemmer(lang: string): lang is StemLang {
  return (STEM_LANGS as readonly string[]).includes(lang);
}

function stripLongest(w: string, endings: string[], minStem: number): string {
  for (const e of endings) {
    if (w.length - e.length >= minStem && w.endsWith(e)) return w.slice(0, w.length - e.length);
  }
  return w;
}

const byLength = (a: string, b: string) => b.length - a.length;

// Russian noun/adjective/participle endings (ё folded to е).
const RU = [
  'иями', 'ями', 'ами', 'иях', 'ией', 'ием', 'иям', 'ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ях', 'ах', 'ов', 'ев', 'ей',
  'ам', 'ям', 'ом', 'ем', 'ой', 'ий', 'ый', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ых', 'их', 'ую', 'юю', 'ия', 'ии',
  'ию', 'ью', 'ым', 'им', 'а', 'я', 'о', 'е', 'ы', 'и', 'у', 'ю', 'ь', 'й',
].sort(byLength);

// Ukrainian noun/adjective endings; the "і-" forms first so гарантії / гарантій / гарантіями agree.
const UK = [
  'іями', 'ями', 'ами', 'іях', 'ією', 'іям', 'им', 'ього', 'ьому', 'ого', 'ому', 'ими', 'іми', 'ові', 'еві', 'єві', 'ії', 'ій',
  'ія', 'ію', 'ів', 'їв', 'ям', 'ам', 'ах', 'ях', 'ом', 'ем', 'єм', 'ою', 'ею', 'єю', 'ий', 'ої', 'их', 'іх', 'ім',
  'ая', 'яя', 'ої', 'і', 'а', 'я', 'о', 'е', 'є', 'и', 'ї', 'у', 'ю', 'ь', 'й',
].sort(byLength);

// -ene/-enen/… : participles used as adjectives (eingefroren, eingefrorene, eingefrorenen); -ens: Abkommens.
const DE = ['enen', 'enes', 'ener', 'enem', 'ene', 'ens', 'ern', 'em', 'en', 'er', 'es', 'e', 'n', 's'].sort(byLength);

function stemDe(w: string): string {
  // -nis nouns keep their s (Bündnis, Bündnisse, Bündnissen, Bündnisses → bundnis).
  const k = w.lastIndexOf('nis');
  if (k >= 3 && (k + 3 === w.length || (k + 4 <= w.length && w[k + 3] === 's' && w.length - k <= 6))) return w.slice(0, k + 3);
  return stripLongest(w, DE, 4);
}

function stemEn(w: string): string {
  const n = w.length;
  // Only plurals: a word that does not end in "s" is returned at once (the common case).
  if (n <= 3 || w.charCodeAt(n - 1) !== 0x73) return w;
  if (w.endsWith('ies') && n > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes') || w.endsWith('zzes')) return w.slice(0, -2);
  const p = w.charCodeAt(n - 2);
  if (p === 0x73 || p === 0x75 || p === 0x69 || p === 0x27) return w; // -ss, -us, -is, -'s
  return w.slice(0, -1);
}

function stemFr(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('aux') && w.length > 4) return w.slice(0, -3) + 'al';
  if (w.endsWith('s') || w.endsWith('x')) w = w.slice(0, -1);
  // Feminine past participles (alliée, gelée, immobilisée) lose both e's, like the masculine (allié, gelé).
  if (w.endsWith('ee') && w.length > 5) return w.slice(0, -2);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Stem a folded token in the given language (tokens that contain digits are returned as they are). */
export function stem(lang: StemLang, w: string): string {
  const c0 = w.charCodeAt(0);
  if (c0 >= 0x30 && c0 <= 0x39) return w; // numbers ("7.62", "2025") are not inflected
  switch (lang) {
    case 'en':
      return stemEn(w);
    case 'fr':
      return stemFr(w);
    case 'de':
      return stemDe(w);
    case 'ru':
      return stripLongest(w, RU, 3);
    case 'uk':
      return stripLongest(w, UK, 3);
  }
}

/** Which stemmers make sense for a token's script (0 Latin, 1 Cyrillic). */
export function langsForScript(script: number): readonly StemLang[] {
  return script === 1 ? CYR : LAT;
}
const CYR: readonly StemLang[] = ['ru', 'uk'];
const LAT: readonly StemLang[] = ['en', 'de', 'fr'];
