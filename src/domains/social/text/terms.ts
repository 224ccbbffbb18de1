import { STOP_WORDS } from './stop-words.js';

/** Shorter words are mostly noise ("ok", "tv" is the price); hashtags are kept whatever their length. */
const MIN_TERM_LENGTH = 3;
/** A post longer than this is cut for term extraction: a 1 MB post must not cost a 1 MB scan per detector. */
export const MAX_TERM_TEXT = 4_096;
/** Terms kept per post: the de-duplication is quadratic in them, and a post is about a few things. */
export const MAX_TERMS_PER_POST = 64;

/** Character classes of ASCII: what a word is made of, what may only sit inside one. */
const LETTER = 1;
const DIGIT = 2;
const INNER = 4; // ' _ - inside a word ("don't", "wi-fi", "snake_case")
const ASCII = new Uint8Array(128);
for (let c = 65; c <= 90; c++) ASCII[c] = ASCII[c + 32] = LETTER;
for (let c = 48; c <= 57; c++) ASCII[c] = DIGIT;
for (const c of "'_-") ASCII[c.charCodeAt(0)] = INNER;

/**
 * Beyond ASCII, letters of every script count as letters (the scan does not need to tell them from
 * marks), except typographic punctuation, emoji (surrogates, symbols) and spaces.
 */
function classOf(c: number): number {
  if (c < 128) return ASCII[c]!;
  if (c === 0x2019) return INNER; // ’ as in don’t
  if (c < 0xc0 || (c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xd800 && c <= 0xdfff) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  return LETTER;
}

function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * The words of a post that can trend: lower-cased, split on whitespace, with URLs, `@mentions`,
 * numbers, words shorter than three letters and English stop words dropped, and `#tags` kept as
 * their word ("#Outage" → "outage"), each term once per post. A word is a letter followed by
 * letters, digits, `'`, `_` or `-`, with the punctuation around it stripped; a token with anything
 * else inside (an emoji, a dot: "3.5", "acme.com") is not a term. One pass over the characters, no
 * regular expressions: it runs on every post. Not the sentiment tokenizer: that one looks every word
 * up in the sentiment lexicon and keeps emoticons, neither of which a term needs.
 */
export function extractTerms(text: string): string[] {
  const terms: string[] = [];
  if (typeof text !== 'string' || text.length === 0) return terms;
  const length = Math.min(text.length, MAX_TERM_TEXT);
  let i = 0;
  while (i < length) {
    while (i < length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < length && !isSpace(text.charCodeAt(i))) i++;
    const term = termOf(text, start, i);
    if (term !== undefined && !terms.includes(term) && terms.push(term) === MAX_TERMS_PER_POST) break;
  }
  return terms;
}

function termOf(text: string, start: number, end: number): string | undefined {
  const first = text.charCodeAt(start);
  if (first === 64 /* @ */ || end - start < MIN_TERM_LENGTH) return undefined;
  let from = start;
  let to = end;
  while (from < to && (classOf(text.charCodeAt(from)) & (LETTER | DIGIT)) === 0) {
    if (text.charCodeAt(from) === 64) return undefined; // "(@someone)"
    from++;
  }
  while (to > from && (classOf(text.charCodeAt(to - 1)) & (LETTER | DIGIT)) === 0) to--;
  if (to - from < MIN_TERM_LENGTH || classOf(text.charCodeAt(from)) !== LETTER) return undefined;
  let upper = false;
  let curly = false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    const cls = classOf(c);
    if (cls === 0) return undefined; // "acme.com", "https://…", "3.5", an emoji inside
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 128) upper = true; // other scripts: let toLowerCase decide
    if (c === 0x2019) curly = true;
  }
  let word = text.slice(from, to);
  if (upper) word = word.toLowerCase();
  if (curly) word = word.replaceAll('\u2019', "'");
  return STOP_WORDS.has(word) ? undefined : word;
}
