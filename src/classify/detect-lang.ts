// detectLang(tokens): the language of an article that arrives without one (feed and page both silent), from
// stop words and script-specific letters of its first tokens. Only the five languages the shipped lists use
// (en, de, fr, uk, ru); anything else, or a text too short to tell, gives "" (every list applies, as before).
// Measured on the labelled sets with `lang` removed: see tests/fixtures/classify/README.md.
import type { Tokens } from './tokenize.js';

export const DETECT_LANGS = ['en', 'de', 'fr', 'uk', 'ru'] as const;

// Folded keys (accents removed, ё → е). Words shared by two of the languages ("in", "des", "an", "die"…) are left
// out: a stop word counts only when it points to one language.
const WORDS: Record<(typeof DETECT_LANGS)[number], string> = {
  en: 'the and of to is for on with that as by at from it are be has have will said after its this which would not but or over were been their who they than new into about',
  de: 'der das und ist nicht mit den dem ein eine einen einer zu auf fur von im sich auch als wie nach bei aus wird hat sind werden uber noch dass zum zur sei vor soll sollen hatte wurde wurden kann mehr gegen',
  fr: 'le la les et est du un une pour dans que qui sur par au aux pas ne se ce avec sont ont il elle plus apres selon ete mais ou leur cette ces entre son sa ses lors sera doit contre',
  uk: 'і й та що це для від про його її але він вона також після під через або ще які який яка буде може має щодо із зі є як з ми їх цього цей ця було були',
  ru: 'и что это для от о его ее но он она также после под через или еще которые который которая будет может из был была были так уже при только с к по как мы их этого этот эта ли',
};

/** Every function word of the five languages, shared ones included (for n-gram mining in topics report). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...Object.values(WORDS).flatMap((w) => w.split(' ')),
  ...'a an in des die en von на не в до о за по а у с к i де ще'.split(' '),
]);

const TABLE = new Map<string, number>();
DETECT_LANGS.forEach((l, i) => {
  for (const w of WORDS[l].split(' ')) {
    // A word listed for two languages (Cyrillic "на", "не", "до"…) says nothing: drop it.
    if (TABLE.has(w) && TABLE.get(w) !== i) TABLE.set(w, -1);
    else TABLE.set(w, i);
  }
});
for (const [w, i] of [...TABLE]) if (i < 0) TABLE.delete(w);

const UK = 3;
const RU = 4;
/** Tokens read at most: enough for title and lead, and a fixed cost per article. */
const MAX_TOKENS = 160;

/** Detected language of the fields, in order (title first), or "" when the evidence is weak or split. */
export function detectLang(fields: Tokens[]): string {
  const score = [0, 0, 0, 0, 0];
  let seen = 0;
  for (const t of fields) {
    for (let j = 0; j < t.n && seen < MAX_TOKENS; j++, seen++) {
      const k = t.key[j];
      const i = TABLE.get(k);
      if (i !== undefined) score[i]++;
      else if (k.charCodeAt(0) >= 0x430) {
        // Letters only one of the two Cyrillic languages has: і ї є (uk), ы э ъ (ru).
        for (let c = 0; c < k.length; c++) {
          const ch = k.charCodeAt(c);
          if (ch === 0x456 || ch === 0x457 || ch === 0x454) {
            score[UK]++;
            break;
          }
          if (ch === 0x44b || ch === 0x44d || ch === 0x44a) {
            score[RU]++;
            break;
          }
        }
      }
    }
    if (seen >= MAX_TOKENS) break;
  }
  let best = 0;
  for (let i = 1; i < 5; i++) if (score[i] > score[best]) best = i;
  let second = 0;
  for (let i = 0; i < 5; i++) if (i !== best && score[i] > second) second = score[i];
  // Two signals and a clear lead, or one signal and nothing against it (a short headline).
  if (score[best] >= 2 && score[best] >= 2 * second) return DETECT_LANGS[best];
  if (score[best] === 1 && second === 0) return DETECT_LANGS[best];
  return '';
}
