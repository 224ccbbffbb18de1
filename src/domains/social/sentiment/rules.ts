import { type TokenBuffer, CAPS, CLAUSE_END, ELONGATED, SENTENCE_END } from './tokenizer.js';
import {
  AFTER_BUT, BEFORE_BUT, BOOST, CAPS_BOOST, DAMPENING_PAIRS, EXCLAMATION_BOOST, IDIOMS, MAX_EXCLAMATIONS,
  NEGATION_CANCELLERS, NEGATION_CANCELLING_PAIRS, NEGATION_SCALAR, NORMALIZE_ALPHA, POST_BOOSTERS, QUESTION_BOOST, QUESTION_CAP,
} from './modifiers.js';

/**
 * VADER's rules, one function each, over a tokenized text. Each reads the token arrays by index and
 * allocates nothing. `valence` is the running valence of the sentiment word at `i`.
 */

/** Emphasis a word gets from being written louder than its text: ALL CAPS among lower case, or elongated. */
export function emphasis(tokens: TokenBuffer, i: number, valence: number, capsDifferential: boolean): number {
  const sign = valence > 0 ? 1 : -1;
  const flags = tokens.flags[i]!;
  let emphasized = valence;
  if (capsDifferential && (flags & CAPS) !== 0) emphasized += sign * CAPS_BOOST;
  if ((flags & ELONGATED) !== 0) emphasized += sign * BOOST;
  return emphasized;
}

/** How much the modifier at `j` (a booster, a dampener, "kind of") adds to the sentiment word's valence. */
export function modifierScalar(tokens: TokenBuffer, j: number, valence: number, capsDifferential: boolean): number {
  const entry = tokens.entries[j];
  let scalar = entry === undefined ? 0 : entry.boost;
  if (scalar === 0 && tokens.words[j] === 'of' && j > 0 && DAMPENING_PAIRS.has(tokens.words[j - 1]!)) scalar = -BOOST;
  if (scalar === 0) return 0;
  if (valence < 0) scalar = -scalar;
  return emphasis(tokens, j, scalar, capsDifferential);
}

function negates(tokens: TokenBuffer, j: number): boolean {
  if (tokens.entries[j]?.negates !== true) return false;
  const next = tokens.words[j + 1]!;
  if (NEGATION_CANCELLERS.has(next)) return false;
  const pair = NEGATION_CANCELLING_PAIRS.get(next);
  return pair === undefined || tokens.words[j + 2] !== pair;
}

function isSoOrThis(word: string | undefined): boolean {
  return word === 'so' || word === 'this';
}

/**
 * VADER's negation check for the word `distance` + 1 places before `i`: a negation flips and
 * dampens; "never so/this good" intensifies instead; "without doubt" or "not only" do not negate.
 */
export function negation(tokens: TokenBuffer, i: number, distance: number, valence: number): number {
  const w = tokens.words;
  if (distance === 0) return negates(tokens, i - 1) ? valence * NEGATION_SCALAR : valence;
  if (distance === 1) {
    if (w[i - 2] === 'never' && isSoOrThis(w[i - 1])) return valence * 1.25;
    return negates(tokens, i - 2) ? valence * NEGATION_SCALAR : valence;
  }
  if ((w[i - 3] === 'never' && isSoOrThis(w[i - 2])) || isSoOrThis(w[i - 1])) return valence * 1.25;
  return negates(tokens, i - 3) ? valence * NEGATION_SCALAR : valence;
}

/**
 * "no" right before a word negates it ("no fun"), and so does "no X or Y"; "no" is a determiner, so
 * unlike "not" it does not reach further ("no idea lol" is not a negated "lol"), nor past a clause.
 */
export function noNegation(tokens: TokenBuffer, i: number, valence: number): number {
  const w = tokens.words;
  if (w[i] === 'no') return valence;
  if (i > 0 && w[i - 1] === 'no' && !endsClause(tokens, i - 1)) return valence * NEGATION_SCALAR;
  if (i > 2 && w[i - 3] === 'no' && (w[i - 2] === 'or' || w[i - 2] === 'nor') && !endsClause(tokens, i - 3) && !endsClause(tokens, i - 2)) {
    return valence * NEGATION_SCALAR;
  }
  return valence;
}

export function endsClause(tokens: TokenBuffer, j: number): boolean {
  return (tokens.flags[j]! & CLAUSE_END) !== 0;
}

/** "least good" is negative; "at least good" and "very least" are not negations. */
export function leastNegation(tokens: TokenBuffer, i: number, valence: number): number {
  const w = tokens.words;
  if (i > 0 && w[i - 1] === 'least' && !endsClause(tokens, i - 1) && (i < 2 || (w[i - 2] !== 'at' && w[i - 2] !== 'very'))) return valence * NEGATION_SCALAR;
  return valence;
}

/** "cool af": an intensifier after the word. */
export function postBoost(tokens: TokenBuffer, i: number, valence: number): number {
  const next = tokens.words[i + 1];
  if (i + 1 < tokens.count && !endsClause(tokens, i) && next !== undefined && POST_BOOSTERS.has(next)) return valence + (valence > 0 ? BOOST : -BOOST);
  return valence;
}

const IDIOMS_BY_LAST_WORD = new Map<string, { words: readonly string[]; valence: number }[]>();
for (const [idiom, valence] of IDIOMS) {
  const words = idiom.split(' ');
  const last = words[words.length - 1]!;
  IDIOMS_BY_LAST_WORD.set(last, [...(IDIOMS_BY_LAST_WORD.get(last) ?? []), { words, valence }]);
}

/** Replaces the valences of fixed expressions ("yeah right", "the bomb") with the expression's own. */
export function applyIdioms(tokens: TokenBuffer): void {
  const w = tokens.words;
  for (let i = 1; i < tokens.count; i++) {
    const candidates = IDIOMS_BY_LAST_WORD.get(w[i]!);
    if (candidates === undefined) continue;
    for (const idiom of candidates) {
      const n = idiom.words.length;
      if (i + 1 < n) continue;
      let match = true;
      for (let k = 0; k < n - 1 && match; k++) match = w[i - n + 1 + k] === idiom.words[k];
      if (!match) continue;
      for (let k = i - n + 1; k < i; k++) tokens.valences[k] = 0;
      tokens.valences[i] = idiom.valence;
      break;
    }
  }
}

/**
 * Sum of the valences with the first contrasting "but" weighting the words before it down and after
 * it up. A "But" that opens a sentence after another one ends links the two sentences rather than
 * contrasting two clauses, the construction VADER's weights were rated on, so it is not the
 * contrasting "but": "Great food. But the service was ok" keeps the first sentence at full weight.
 */
export function butWeightedSum(tokens: TokenBuffer): number {
  let but = -1;
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.words[i] === 'but' && (i === 0 || (tokens.flags[i - 1]! & SENTENCE_END) === 0)) {
      but = i;
      break;
    }
  }
  let sum = 0;
  for (let i = 0; i < tokens.count; i++) {
    const v = tokens.valences[i]!;
    sum += but < 0 || i === but ? v : i < but ? v * BEFORE_BUT : v * AFTER_BUT;
  }
  return sum;
}

/** Emphasis from "!" (up to four) and from two or more "?", added in the direction of the sum. */
export function punctuationEmphasis(tokens: TokenBuffer): number {
  const exclamation = Math.min(tokens.exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_BOOST;
  const q = tokens.questions;
  const question = q > 1 ? (q <= 3 ? q * QUESTION_BOOST : QUESTION_CAP) : 0;
  return exclamation + question;
}

/** Maps an unbounded valence sum into (-1, 1). */
export function normalize(sum: number): number {
  const score = sum / Math.sqrt(sum * sum + NORMALIZE_ALPHA);
  return score < -1 ? -1 : score > 1 ? 1 : score;
}
