import { decodeHtmlEntities } from './html-entities.js';
import { type SentimentLabel, sentimentLabel } from './label.js';
import { DISTANCE_WEIGHT } from './modifiers.js';
import {
  applyIdioms, butWeightedSum, emphasis, endsClause, leastNegation, modifierScalar, negation, noNegation, normalize, postBoost,
  punctuationEmphasis,
} from './rules.js';
import { TokenBuffer, tokenize } from './tokenizer.js';

export interface SentimentScore {
  /** VADER's compound score: the normalised valence sum, in [-1, 1]. */
  readonly score: number;
  readonly label: SentimentLabel;
}

const NEUTRAL: SentimentScore = Object.freeze({ score: 0, label: 'neutral' });
const tokens = new TokenBuffer();

/**
 * Scores a text as social media writes it (negation, boosters and dampeners, ALL CAPS, "!", "but",
 * emoticons and emoji, elongated words, slang) with VADER's lexicon and rules. Synchronous and
 * pure apart from the reused token buffer; never throws, and any string (empty, 1 MB, lone
 * surrogates) gets a finite score.
 */
export function scoreSentiment(text: string): SentimentScore {
  if (typeof text !== 'string' || text.length === 0) return NEUTRAL;
  tokenize(decodeHtmlEntities(text), tokens);
  const n = tokens.count;
  if (n === 0) return NEUTRAL;
  const capsDifferential = tokens.capsCount > 0 && tokens.capsCount < tokens.wordCount;
  for (let i = 0; i < n; i++) tokens.valences[i] = wordValence(i, capsDifferential);
  applyIdioms(tokens);
  let sum = butWeightedSum(tokens);
  if (sum !== 0) {
    const punctuation = punctuationEmphasis(tokens);
    sum += sum > 0 ? punctuation : -punctuation;
  }
  const score = normalize(sum);
  return { score, label: sentimentLabel(score) };
}

function wordValence(i: number, capsDifferential: boolean): number {
  const entry = tokens.entries[i];
  if (entry === undefined || entry.boost !== 0 || entry.valence === 0) return 0;
  const w = tokens.words;
  // "kind of" is a dampener, not kindness; "no" before a rated word negates it instead of counting.
  if (w[i] === 'kind' && w[i + 1] === 'of') return 0;
  if (w[i] === 'no' && i + 1 < tokens.count && !endsClause(tokens, i) && w[i + 1] !== 'no' && tokens.entries[i + 1]?.rated === true && tokens.entries[i + 1]!.valence !== 0) return 0;
  let valence = emphasis(tokens, i, entry.valence, capsDifferential);
  // A negation's scope ends at the first sentiment word after it: in "don't care don't care" each
  // "care" is negated once, not again by the "don't" before the previous one.
  let negationInScope = true;
  for (let distance = 0; distance < 3 && distance < i; distance++) {
    const j = i - distance - 1;
    if (endsClause(tokens, j)) break;
    if (tokens.entries[j]?.rated === true) {
      negationInScope = false;
      continue;
    }
    valence += modifierScalar(tokens, j, valence, capsDifferential) * DISTANCE_WEIGHT[distance]!;
    if (negationInScope) valence = negation(tokens, i, distance, valence);
  }
  valence = noNegation(tokens, i, valence);
  valence = leastNegation(tokens, i, valence);
  return postBoost(tokens, i, valence);
}
