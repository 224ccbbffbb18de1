import type { Random } from '../../../simulate/random.js';
import type { SocialEntity } from './social.entities.js';
import { ANGRY, ELONGATE, EMOJI, MILD_NEGATIVE, NEUTRAL, OPENERS, OTHER_LANGUAGES, POSITIVE, SHOUT } from './social.phrases.js';

export type Mood = 'positive' | 'neutral' | 'negative' | 'angry';

const SENTENCES: Readonly<Record<Mood, readonly string[]>> = { positive: POSITIVE, neutral: NEUTRAL, negative: MILD_NEGATIVE, angry: ANGRY };
const EMOJI_BY_MOOD: Readonly<Record<Mood, readonly string[]>> = {
  positive: EMOJI.positive,
  neutral: EMOJI.neutral,
  negative: EMOJI.negative,
  angry: EMOJI.angry,
};
/** Chance of an emoji, of stretching a word, of shouting one, of "!" — per mood. */
const STYLE: Readonly<Record<Mood, { emoji: number; elongate: number; shout: number; bang: number }>> = {
  positive: { emoji: 0.35, elongate: 0.15, shout: 0.1, bang: 0.3 },
  neutral: { emoji: 0.12, elongate: 0, shout: 0, bang: 0.05 },
  negative: { emoji: 0.25, elongate: 0.1, shout: 0.05, bang: 0.1 },
  angry: { emoji: 0.5, elongate: 0.25, shout: 0.4, bang: 0.5 },
};
const OTHER_LANGUAGE_CODES = Object.keys(OTHER_LANGUAGES);

export interface PostText {
  readonly text: string;
  readonly lang: string;
  /** The entity's account when the sentence names it as '@account'. */
  readonly mentionsEntity: boolean;
}

/** Writes a post's sentence about an entity in a mood, styled the way people type. */
export class PostWriter {
  constructor(private readonly random: Random) {}

  /** An English sentence in `mood`, or (with chance `otherLanguageShare`, never when angry) another language. */
  write(entity: SocialEntity, mood: Mood, otherLanguageShare: number): PostText {
    const random = this.random;
    const product = random.pick(entity.products);
    const mentionsEntity = random.chance(0.2);
    const name = mentionsEntity ? `@${entity.account}` : entity.name;
    if (mood !== 'angry' && otherLanguageShare > 0 && random.chance(otherLanguageShare)) {
      const lang = random.pick(OTHER_LANGUAGE_CODES);
      return { text: fill(random.pick(OTHER_LANGUAGES[lang]!), name, product), lang, mentionsEntity };
    }
    const style = STYLE[mood];
    let text = fill(random.pick(SENTENCES[mood]), name, product);
    if (random.chance(style.elongate)) text = stretchOne(text, random);
    if (random.chance(style.shout)) text = shoutOne(text, random);
    if (random.chance(0.12)) text = `${random.pick(OPENERS)} ${text}`;
    if (random.chance(style.bang) && !/[?!]$/.test(text)) text += random.chance(0.5) ? '!' : '!!!';
    if (random.chance(style.emoji)) text += ` ${random.pick(EMOJI_BY_MOOD[mood])}`;
    return { text, lang: 'en', mentionsEntity };
  }
}

function fill(sentence: string, name: string, product: string): string {
  return sentence.replace('{e}', name).replace('{p}', product);
}

function stretchOne(text: string, random: Random): string {
  const words = text.split(' ');
  const candidates = words.flatMap((word, i) => (ELONGATE[word.toLowerCase()] === undefined ? [] : [i]));
  if (candidates.length === 0) return text;
  const i = random.pick(candidates);
  words[i] = ELONGATE[words[i]!.toLowerCase()]!;
  return words.join(' ');
}

function shoutOne(text: string, random: Random): string {
  const words = text.split(' ');
  const candidates = words.flatMap((word, i) => (SHOUT.includes(word.replace(/[^a-z]/gi, '').toLowerCase()) ? [i] : []));
  if (candidates.length === 0) return text;
  const i = random.pick(candidates);
  words[i] = words[i]!.toUpperCase();
  return words.join(' ');
}
