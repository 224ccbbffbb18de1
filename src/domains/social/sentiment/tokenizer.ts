import { isEmoji, isEmojiModifier } from './emoji.js';
import { collapseRuns, EMOJI_ENTRIES, lookupCasedEmoticon, lookupWord, type WordEntry } from './lexicon.js';

export const CAPS = 1;
export const ELONGATED = 2;
export const EMOJI = 4;
/** The word ends a clause (".", ",", "!", "?", ";", ":" after it): negation and boosters do not reach past it. */
export const CLAUSE_END = 8;
/** The word ends a sentence (".", "!", "?", "…" after it); always with CLAUSE_END. */
export const SENTENCE_END = 16;

/** Elongated words are looked up with their long runs cut to two letters, then to one. */
const ELONGATION_KEEPS: readonly number[] = [2, 1];

/** ASCII punctuation (Python's string.punctuation) and the typographic quotes and ellipsis. */
const PUNCTUATION = new Uint8Array(128);
for (const c of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') PUNCTUATION[c.charCodeAt(0)] = 1;

function isPunctuation(c: number): boolean {
  if (c < 128) return PUNCTUATION[c] === 1;
  return c === 0x2018 || c === 0x2019 || c === 0x201c || c === 0x201d || c === 0x2026 || c === 0xab || c === 0xbb;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The tokens of one text, in reusable arrays: the scorer runs one text at a time, so one buffer
 * serves every call and scoring allocates no arrays. Only `count` entries are meaningful.
 */
export class TokenBuffer {
  count = 0;
  /** Tokens that are words, not emoji: the base of VADER's "some but not all words in caps". */
  wordCount = 0;
  capsCount = 0;
  exclamations = 0;
  questions = 0;
  words: string[] = [];
  entries: (WordEntry | undefined)[] = [];
  flags = new Uint8Array(64);
  valences = new Float64Array(64);

  reset(): void {
    // A buffer grown by one huge text would keep that text's words alive: start small again.
    if (this.flags.length > 4096) {
      this.words = [];
      this.entries = [];
      this.flags = new Uint8Array(64);
      this.valences = new Float64Array(64);
    }
    this.count = 0;
    this.wordCount = 0;
    this.capsCount = 0;
    this.exclamations = 0;
    this.questions = 0;
  }

  /**
   * Rules look one or two words ahead ("kind of", "short of"): past the last token they must see
   * nothing, not a word left over from a longer earlier text.
   */
  endWithSentinels(): void {
    for (let k = this.count; k < this.count + 2; k++) {
      this.words[k] = '';
      this.entries[k] = undefined;
    }
  }

  push(word: string, entry: WordEntry | undefined, flags: number): void {
    if (this.count === this.flags.length) {
      const flagsGrown = new Uint8Array(this.count * 2);
      flagsGrown.set(this.flags);
      this.flags = flagsGrown;
      this.valences = new Float64Array(this.count * 2);
    }
    this.words[this.count] = word;
    this.entries[this.count] = entry;
    this.flags[this.count] = flags;
    this.count++;
    if ((flags & EMOJI) === 0) {
      this.wordCount++;
      if ((flags & CAPS) !== 0) this.capsCount++;
    }
  }
}

/** Per-token facts gathered while scanning, so finishing a token needs no second look at its letters. */
interface Scan {
  upper: boolean;
  lower: boolean;
  lowerCaseNeeded: boolean;
  elongated: boolean;
  curlyApostrophe: boolean;
}

const scan: Scan = { upper: false, lower: false, lowerCaseNeeded: false, elongated: false, curlyApostrophe: false };

/**
 * Splits `text` in one pass into VADER's tokens: whitespace-separated words with leading and
 * trailing punctuation stripped (unless the token is an emoticon such as ":)" or ":D"), words of
 * one letter dropped, each emoji a token of its own, and counts of "!" and "?".
 */
export function tokenize(text: string, out: TokenBuffer): void {
  out.reset();
  let start = -1;
  let run = 0;
  let previous = -1;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i);
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (c >= 0x2000 && (isEmojiModifier(c) || isEmoji(c))) {
      if (start >= 0) finishToken(text, start, i, out);
      start = -1;
      if (!isEmojiModifier(c)) out.push('', EMOJI_ENTRIES.get(c), EMOJI);
      i += width - 1;
      continue;
    }
    if (isSpace(c)) {
      if (start >= 0) finishToken(text, start, i, out);
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      scan.upper = scan.lower = scan.lowerCaseNeeded = scan.elongated = scan.curlyApostrophe = false;
      run = 0;
      previous = -1;
    }
    if (c >= 65 && c <= 90) scan.upper = scan.lowerCaseNeeded = true;
    else if (c >= 97 && c <= 122) scan.lower = true;
    else if (c === 33) out.exclamations++;
    else if (c === 63) out.questions++;
    else if (c === 0x2019) scan.curlyApostrophe = true;
    else if (c >= 128) scan.lowerCaseNeeded = true;
    if ((c | 32) === previous) {
      if (++run === 3 && c >= 65) scan.elongated = true;
    } else {
      run = 1;
      previous = c | 32;
    }
    i += width - 1;
  }
  if (start >= 0) finishToken(text, start, length, out);
  out.endWithSentinels();
}

function finishToken(text: string, start: number, end: number, out: TokenBuffer): void {
  let from = start;
  let to = end;
  while (from < to && isPunctuation(text.charCodeAt(from))) from++;
  while (to > from && isPunctuation(text.charCodeAt(to - 1))) to--;
  const caps = scan.upper && !scan.lower ? CAPS : 0;
  if (to - from <= 2 && (from !== start || to !== end)) {
    // Possibly an emoticon whose letters are not the word: ":D", "<3", ":-(".
    const written = text.slice(start, end);
    const cased = scan.upper ? lookupCasedEmoticon(written) : undefined;
    if (cased !== undefined) {
      out.push(written.toLowerCase(), cased, caps);
      return;
    }
    const raw = scan.upper ? written.toLowerCase() : written;
    const entry = lookupWord(raw);
    if (entry !== undefined && entry.rated) {
      out.push(raw, entry, caps);
      return;
    }
    // ":)))" and ":-((" are the emoticon said louder.
    const collapsed = collapseRuns(raw, 1);
    const louder = collapsed === raw ? undefined : lookupWord(collapsed);
    if (louder !== undefined && louder.rated) {
      out.push(collapsed, louder, caps | ELONGATED);
      return;
    }
  }
  if (to - from < 2) return;
  const flags = caps | clauseEndFlags(text, to, end);
  let word = text.slice(from, to);
  if (scan.lowerCaseNeeded) word = word.toLowerCase();
  if (scan.curlyApostrophe) word = word.replaceAll('\u2019', "'");
  let entry = lookupWord(word);
  if (entry === undefined && scan.elongated) {
    for (const keep of ELONGATION_KEEPS) {
      const collapsed = collapseRuns(word, keep);
      entry = lookupWord(collapsed);
      if (entry !== undefined) {
        out.push(collapsed, entry, flags | ELONGATED);
        return;
      }
    }
  }
  out.push(word, entry, flags);
}

/** CLAUSE_END and SENTENCE_END for the punctuation stripped after a word (`from` to `to`). */
function clauseEndFlags(text: string, from: number, to: number): number {
  let flags = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 33 || c === 63 || c === 0x2026) return CLAUSE_END | SENTENCE_END;
    if (c === 44 || c === 59 || c === 58) flags = CLAUSE_END;
  }
  return flags;
}
