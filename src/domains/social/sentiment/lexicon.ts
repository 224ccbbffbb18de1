import { EMOJI_VALENCES } from './emoji.js';
import { BOOSTERS, NEGATIONS, SOCIAL_BOOSTERS } from './modifiers.js';
import { laughterWord, SLANG_ALIASES, SLANG_VALENCES } from './slang.js';
import { VADER_LEXICON } from './vader-lexicon.data.js';

/** Everything the scorer needs to know about a word, found with one Map lookup. */
export interface WordEntry {
  /** Human-rated valence on VADER's −4..+4 scale; 0 for modifiers and words without sentiment. */
  readonly valence: number;
  /** Booster (> 0) or dampener (< 0) strength; a modifier carries no valence of its own. */
  readonly boost: number;
  readonly negates: boolean;
  /** A rated sentiment word. VADER applies a preceding word's modifiers only when it is not one. */
  readonly rated: boolean;
}

const NEGATION: WordEntry = { valence: 0, boost: 0, negates: true, rated: false };

function buildWords(): Map<string, WordEntry> {
  const words = new Map<string, WordEntry>();
  for (const [word, valence] of VADER_LEXICON) words.set(word, { valence, boost: 0, negates: false, rated: true });
  for (const [word, valence] of SLANG_VALENCES) if (!words.has(word)) words.set(word, { valence, boost: 0, negates: false, rated: true });
  for (const [alias, word] of SLANG_ALIASES) {
    const entry = words.get(word);
    if (entry !== undefined && !words.has(alias)) words.set(alias, entry);
  }
  // Modifiers win over a rating, as in VADER: "so" or "kinda" before a word modify it.
  for (const [word, boost] of BOOSTERS) words.set(word, { valence: 0, boost, negates: false, rated: false });
  for (const [word, boost] of SOCIAL_BOOSTERS) if (!words.has(word)) words.set(word, { valence: 0, boost, negates: false, rated: false });
  for (const word of NEGATIONS) {
    const rated = words.get(word);
    words.set(word, rated === undefined ? NEGATION : { ...rated, negates: true });
  }
  return words;
}

const WORDS = buildWords();

/** Emoji entries by code point, built once so the tokenizer allocates nothing for them. */
export const EMOJI_ENTRIES: ReadonlyMap<number, WordEntry> = new Map(
  [...EMOJI_VALENCES].map(([codePoint, valence]) => [codePoint, { valence, boost: 0, negates: false, rated: true }]),
);

/**
 * VADER's lexicon file lists its tokens in lower case, which folds the anguished faces "D:" (−2.9)
 * and "D=" (−3.0) onto the tongue faces "d:" (1.2) and "d=" (1.5), and a lookup finds the later,
 * positive line. Written with a capital D they are the anguished faces and keep those ratings.
 */
const CAPITAL_EMOTICONS: ReadonlyMap<string, WordEntry> = new Map([
  ['D:', { valence: -2.9, boost: 0, negates: false, rated: true }],
  ['D=', { valence: -3.0, boost: 0, negates: false, rated: true }],
]);

/** The entry for an emoticon as written, before lower-casing, when its capitals change its meaning. */
export function lookupCasedEmoticon(emoticon: string): WordEntry | undefined {
  return CAPITAL_EMOTICONS.get(emoticon);
}

/** The entry for a lower-case word, or undefined when it carries nothing the scorer uses. */
export function lookupWord(word: string): WordEntry | undefined {
  const entry = WORDS.get(word);
  if (entry !== undefined) return entry;
  if (word.endsWith("n't")) return NEGATION;
  const laughter = laughterWord(word);
  return laughter === undefined ? undefined : WORDS.get(laughter);
}

/**
 * "soooo" → "soo" (keep 2) or "so" (keep 1): every run of three or more of the same character cut
 * to `keep`; shorter runs stay ("happyyyy" → "happy"). For looking up elongated words, called only
 * for words that have such a run and missed.
 */
export function collapseRuns(word: string, keep: number): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    let end = i + 1;
    while (end < word.length && word.charCodeAt(end) === word.charCodeAt(i)) end++;
    out += end - i >= 3 ? word[i]!.repeat(keep) : word.slice(i, end);
    i = end;
  }
  return out;
}
