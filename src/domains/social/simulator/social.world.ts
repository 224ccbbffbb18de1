import { cumulativeWeights, hashUnit, pickCumulative } from '../../../simulate/random.js';

// Bound once: called per event (see random.ts).
const { floor, log, exp, min } = Math;

/**
 * The simulated population: authors with heavy-tailed activity, and hashtags with a long tail.
 * Nothing is stored per author: a handle is a pure function of (seed, index).
 */

const FIRST = [
  'ana', 'ben', 'chloe', 'dev', 'emma', 'felix', 'grace', 'hugo', 'ines', 'jon', 'kai', 'lena', 'mia', 'noah', 'omar', 'priya', 'quinn',
  'rosa', 'sam', 'tara', 'umar', 'vera', 'will', 'yara', 'zoe', 'leo', 'nina', 'max', 'ivy', 'raj',
];
const LAST = [
  'lee', 'kim', 'silva', 'smith', 'nowak', 'rossi', 'garcia', 'muller', 'dubois', 'khan', 'jones', 'ito', 'berg', 'costa', 'white',
  'novak', 'reyes', 'walsh', 'moreau', 'park',
];
const SEPARATORS = ['', '_', '.'];

/** Popular hashtags, most used first; none ends in a digit (a viral tag does, so the two never meet). */
const COMMON_TAGS = [
  'news', 'tech', 'travel', 'music', 'food', 'sports', 'gaming', 'fail', 'win', 'customerservice', 'mondaymotivation', 'weekend', 'deals',
  'coffee', 'fitness', 'climate', 'football', 'movies', 'photography', 'startup', 'ai', 'design', 'fashion', 'health', 'books',
  'throwbackthursday', 'fridayfeeling', 'nofilter', 'breaking', 'review', 'unboxing', 'commute', 'outage', 'launch', 'sale', 'fyp',
  'art', 'science', 'space', 'politics', 'family', 'pets', 'summer', 'running', 'cycling', 'diy', 'recipe', 'jobs', 'live', 'tbt',
];
const TAIL_FIRST = [
  'happy', 'lazy', 'rainy', 'sunny', 'late', 'early', 'quiet', 'wild', 'tiny', 'big', 'green', 'urban', 'cozy', 'daily', 'random',
  'little', 'night', 'morning', 'weekend', 'smart', 'slow', 'fresh', 'vintage', 'local', 'budget', 'home', 'indie', 'retro', 'solo', 'team',
];
const TAIL_SECOND = [
  'vibes', 'life', 'thoughts', 'goals', 'wins', 'moments', 'finds', 'eats', 'walks', 'reads', 'beats', 'pics', 'notes', 'hacks',
  'chats', 'rides', 'dreams', 'fixes', 'picks', 'tales', 'trips', 'mood', 'club', 'squad', 'corner', 'lab', 'diary', 'talk', 'hour', 'show',
];

/** Words of a viral hashtag; it also ends with its incident's number, which no normal tag does. */
const VIRAL_FIRST = ['Glitter', 'Moonwalk', 'Pixel', 'Cosmic', 'Neon', 'Sunset', 'Thunder', 'Velvet', 'Rocket', 'Echo', 'Mango', 'Comet'];
const VIRAL_SECOND = ['Challenge', 'Gate', 'Wave', 'Dance', 'Drop', 'Fest', 'Mode', 'Moment', 'Trend', 'Craze'];

const Salt = { First: 21, Last: 22, Separator: 23 } as const;

export class SocialWorld {
  /** Common tags first, then the long tail (adjective + noun), by popularity rank. */
  private readonly tags: readonly string[];
  private readonly tagCumulative: readonly number[];
  private readonly entityCumulative: readonly number[];
  /** Each entity's share of normal posts. */
  readonly entityShares: readonly number[];

  constructor(
    private readonly seed: number,
    private readonly options: { readonly entities: number; readonly entityZipfExponent: number; readonly authors: number; readonly authorZipfExponent: number },
  ) {
    const tail = TAIL_FIRST.flatMap((first, i) => TAIL_SECOND.map((second, j) => ({ tag: first + second, order: hashUnit(seed, i * 64 + j, 31) })));
    tail.sort((a, b) => a.order - b.order);
    this.tags = [...COMMON_TAGS, ...tail.map((t) => t.tag)];
    this.tagCumulative = cumulativeWeights(this.tags.map((_, rank) => 1 / (rank + 1)));
    const weights = Array.from({ length: options.entities }, (_, rank) => (rank + 1) ** -options.entityZipfExponent);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    this.entityShares = weights.map((weight) => weight / total);
    this.entityCumulative = cumulativeWeights(weights);
  }

  /** `unit` in [0, 1) picks an entity index by Zipf popularity. */
  entityByUnit(unit: number): number {
    return pickCumulative(this.entityCumulative, unit);
  }

  /** `unit` in [0, 1) picks a hashtag (without '#') with Zipf(1) over the common ones and the long tail. */
  tagByUnit(unit: number): string {
    return this.tags[pickCumulative(this.tagCumulative, unit)]!;
  }

  /** Every hashtag normal posts can carry (for checks that a viral tag is new). */
  knownTags(): readonly string[] {
    return this.tags;
  }

  /**
   * `unit` in [0, 1) picks an author index with a bounded continuous Zipf (density ∝ x^-s on
   * [1, authors + 1)), so a few authors write a large share of posts and most write rarely.
   */
  authorByUnit(unit: number): number {
    const n = this.options.authors;
    const s = this.options.authorZipfExponent;
    const x = s === 1 ? exp(unit * log(n + 1)) : ((((n + 1) ** (1 - s) - 1) * unit + 1) ** (1 / (1 - s)));
    return min(n - 1, floor(x) - 1);
  }

  /** A stable handle such as "mia_rossi1234"; unique because names hold no digits. */
  handle(index: number): string {
    const { seed } = this;
    const first = FIRST[floor(hashUnit(seed, index, Salt.First) * FIRST.length)]!;
    const last = LAST[floor(hashUnit(seed, index, Salt.Last) * LAST.length)]!;
    const separator = SEPARATORS[floor(hashUnit(seed, index, Salt.Separator) * SEPARATORS.length)]!;
    return `${first}${separator}${last}${index}`;
  }
}

/** The viral hashtag of incident `number` (1-based), without '#': two words and the number. */
export function viralTag(seed: number, number: number): string {
  const first = VIRAL_FIRST[floor(hashUnit(seed, number, 41) * VIRAL_FIRST.length)]!;
  const second = VIRAL_SECOND[floor(hashUnit(seed, number, 42) * VIRAL_SECOND.length)]!;
  return `${first}${second}${number}`;
}
