import { STOP_WORDS } from './stop-words.js';

/** Shorter words are mostly noise ("ok", "tv" is the price); hashtags are kept whatever their length. */
const MIN_TERM_LENGTH = 3;
/** A post longer than this is cut for term extraction: a 1 MB post must not cost a 1 MB scan per detector. */
export const MAX_TERM_TEXT = 4_096;
/** Terms kept per post: the de-duplication is quadratic in them, and a post is about a few things. */
export const MAX_TERMS_PER_POST = 64;
/** Letters first, then letters, marks, digits, apostrophes, `_` and `-`. */
const WORD = /^[\p{L}][\p{L}\p{M}\p{N}'_-]*$/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}#]+|[^\p{L}\p{M}\p{N}]+$/gu;

/**
 * The words of a post that can trend: lower-cased, split on whitespace, with URLs, `@mentions`,
 * numbers, words shorter than three letters and English stop words dropped, and `#tags` kept as
 * their word ("#Outage" → "outage"), each term once per post. Not the sentiment tokenizer: that one
 * looks every word up in the sentiment lexicon and keeps emoticons, neither of which a term needs.
 */
export function extractTerms(text: string): string[] {
  const terms: string[] = [];
  if (typeof text !== 'string' || text.length === 0) return terms;
  const words = (text.length > MAX_TERM_TEXT ? text.slice(0, MAX_TERM_TEXT) : text).split(/\s+/u);
  for (const raw of words) {
    if (raw.length === 0 || raw.includes('://') || raw.startsWith('www.') || raw.startsWith('@')) continue;
    let word = raw.replace(EDGE_PUNCTUATION, '').toLowerCase();
    if (word.startsWith('#')) word = word.slice(1);
    word = word.replaceAll('\u2019', "'");
    if (word.length < MIN_TERM_LENGTH || !WORD.test(word) || STOP_WORDS.has(word)) continue;
    if (!terms.includes(word) && terms.push(word) === MAX_TERMS_PER_POST) break;
  }
  return terms;
}
