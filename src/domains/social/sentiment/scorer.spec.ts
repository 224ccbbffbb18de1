import fc from 'fast-check';
import { scoreSentiment } from './scorer.js';

const score = (text: string): number => scoreSentiment(text).score;

/** Each row: the rule, a text, and a text that differs only by what the rule reads, with the expected order. */
const STRONGER: readonly [rule: string, weaker: string, stronger: string][] = [
  ['booster', 'the food was good', 'the food was very good'],
  ['booster two words away', 'the food was good', 'the food was really quite good'],
  ['ALL CAPS among lower case', 'the food was good', 'the food was GOOD'],
  ['ALL CAPS booster', 'the food was very good', 'the food was VERY good'],
  ['"!"', 'the food was good', 'the food was good!'],
  ['"!!!"', 'the food was good!', 'the food was good!!!'],
  ['elongated word', 'the food was good', 'the food was goooood'],
  ['elongated booster', 'the food was so good', 'the food was sooooo good'],
  ['post-intensifier "af"', 'that was cool', 'that was cool af'],
  ['repeated "?"', 'you lost it', 'you lost it???'],
];

const WEAKER_POSITIVE: readonly [rule: string, text: string, weaker: string][] = [
  ['dampener', 'the food was good', 'the food was kinda good'],
  ['"kind of" dampens and is not "kind"', 'the food was good', 'the food was kind of good'],
  ['dampener "slightly"', 'the food was good', 'the food was slightly good'],
];

/** [rule, text, expected label]. */
const LABELS: readonly [rule: string, text: string, label: 'positive' | 'neutral' | 'negative'][] = [
  ['lexicon word', 'what a great day', 'positive'],
  ['negation flips', 'this is not great', 'negative'],
  ['negation "n\'t"', "this isn't great", 'negative'],
  ['negation with a curly apostrophe', 'this isn\u2019t great', 'negative'],
  ['negation in caps', "this ISN'T great", 'negative'],
  ['negation three words back', 'this is not at all a great', 'negative'],
  ['negated negative', 'this is not bad', 'positive'],
  ['negation ends at the clause', 'I did not sleep. Great morning though', 'positive'],
  ['negation ends at the next sentiment word', "don't care, love it", 'positive'],
  ['"no" negates the word after it', 'no fun at all', 'negative'],
  ['"no doubt" is not a negation', 'no doubt', 'neutral'],
  ['"not only" is not a negation', 'not only good but great', 'positive'],
  ['"nothing short of"', 'nothing short of wonderful', 'positive'],
  ['"least"', 'the least fun movie', 'negative'],
  ['"at least" is not a negation', 'at least it was fun', 'positive'],
  ['"but" shifts to what follows', 'the food was great but the service was horrible', 'negative'],
  ['"but" shifts the other way', 'the service was horrible but the food was great', 'positive'],
  ['"BUT" in capitals', 'the service was horrible BUT the food was great', 'positive'],
  ['"But" in a capital letter', 'the service was horrible, But the food was great', 'positive'],
  ['emoji', 'just landed 😍', 'positive'],
  ['emoji with a variation selector', 'new job ❤️', 'positive'],
  ['emoji glued to a word', 'monday😡', 'negative'],
  ['emoji with a skin tone', 'thanks 👍🏽', 'positive'],
  ['negative emoji', 'my flight got cancelled 😭', 'negative'],
  ['emoticon', 'see you tomorrow :)', 'positive'],
  ['emoticon with a nose', 'see you tomorrow :-(', 'negative'],
  ['emoticon with letters', 'see you tomorrow :D', 'positive'],
  ['elongated emoticon', 'see you tomorrow :(((', 'negative'],
  ['anguished "D:" is not the tongue "d:"', 'left my phone at home D:', 'negative'],
  ['anguished "D="', 'left my phone at home D=', 'negative'],
  ['HTML-escaped heart', 'my team &lt;3', 'positive'],
  ['HTML-escaped ">" is not the word "gt"', 'results &gt; expectations', 'neutral'],
  ['elongated word', 'yesssss', 'positive'],
  ['elongated word with a double letter', 'happyyyyy', 'positive'],
  ['slang respelling', 'i luv it', 'positive'],
  ['slang', 'fml', 'negative'],
  ['slang "cringe"', 'that ad was cringe', 'negative'],
  ['"slaying" is a killing, not slang praise', 'police report a slaying', 'neutral'],
  ['laughter', 'hahahaha', 'positive'],
  ['laughter "lolol"', 'lolol', 'positive'],
  ['idiom', 'yeah right', 'negative'],
  ['idiom "can\'t wait"', "can't wait", 'positive'],
  ['hashtag', '#blessed', 'positive'],
  ['no sentiment', 'the train leaves at nine', 'neutral'],
  ['empty', '', 'neutral'],
  ['punctuation only', '!!! ??? ...', 'neutral'],
];

describe('scoreSentiment', () => {
  it.each(STRONGER)('%s makes the score stronger', (_rule, weaker, stronger) => {
    expect(Math.abs(score(stronger))).toBeGreaterThan(Math.abs(score(weaker)));
    expect(Math.sign(score(stronger))).toBe(Math.sign(score(weaker)));
  });

  it.each(WEAKER_POSITIVE)('%s makes the score weaker but still positive', (_rule, text, weaker) => {
    expect(score(weaker)).toBeLessThan(score(text));
    expect(score(weaker)).toBeGreaterThan(0);
  });

  it.each(LABELS)('%s: "%s" is %s', (_rule, text, label) => {
    expect(scoreSentiment(text).label).toBe(label);
  });

  it('negation flips and dampens: "not good" is negative and weaker than "good"', () => {
    expect(score('not good')).toBeLessThan(0);
    expect(Math.abs(score('not good'))).toBeLessThan(score('good'));
  });

  it('a "But" opening a sentence does not discount the sentence before it, a "but" in the sentence does', () => {
    const contrast = score('The food was great, but the service was bad');
    expect(contrast).toBeLessThan(0);
    expect(score('The food was great. But the service was bad')).toBeGreaterThan(contrast);
    expect(score('The food was great. But the service was bad')).toBeCloseTo(score('The food was great. The service was bad'), 10);
    // A later "but" inside a sentence still contrasts.
    expect(score('Nice day. But the food was great, but the service was bad')).toBeLessThan(score('Nice day. The food was great. The service was bad'));
  });

  it('ALL CAPS does not boost when the whole text is in caps', () => {
    expect(score('THE FOOD WAS GOOD')).toBeCloseTo(score('the food was good'), 10);
  });

  it('an emoji adds to the words around it', () => {
    expect(score('great game 🎉')).toBeGreaterThan(score('great game'));
    expect(score('lost again 😭')).toBeLessThan(score('lost again'));
  });

  it('labels at the VADER thresholds', () => {
    for (const text of ['good', 'bad', 'table', 'okay', 'meh']) {
      const { score: s, label } = scoreSentiment(text);
      expect(label).toBe(s > 0.05 ? 'positive' : s < -0.05 ? 'negative' : 'neutral');
    }
  });

  it('is the same on a second call (the reused buffer keeps nothing between texts)', () => {
    const first = score('not bad at all :) but the service was slow');
    score('GREAT!!! sooooo good 😍😍😍 '.repeat(5000));
    expect(score('not bad at all :) but the service was slow')).toBe(first);
  });

  it('does not read words left over from a longer earlier text', () => {
    const alone = score('so kind');
    expect(alone).toBeGreaterThan(0);
    score('so kind of cool, nothing short of great');
    expect(score('so kind')).toBe(alone);
    const negated = score('not short');
    score('not short of great');
    expect(score('not short')).toBe(negated);
  });

  it('gives any string a finite score in [-1, 1] and never throws', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(fc.constantFrom('not', 'very', 'GOOD', 'bad', 'but', '!!!', ':)', '😍', '😡', 'soooo', 'no', 'least', 'kind', 'of', '&lt;3', '\u2019', '\ud83d', ' ', '\n', ',', 'af', 'yeah', 'right'), { maxLength: 60 }).map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const { score: s, label } = scoreSentiment(text);
        expect(Number.isFinite(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(-1);
        expect(s).toBeLessThanOrEqual(1);
        expect(['positive', 'neutral', 'negative']).toContain(label);
      }),
      { numRuns: 500 },
    );
  });

  it('scores a 1 MB text quickly and within range', () => {
    const text = 'terrible awful not good but GREAT!!! 😍 '.repeat(26_000);
    expect(text.length).toBeGreaterThan(1_000_000);
    const start = performance.now();
    const { score: s } = scoreSentiment(text);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(Number.isFinite(s)).toBe(true);
    expect(Math.abs(s)).toBeLessThanOrEqual(1);
    expect(scoreSentiment('x'.repeat(1_000_000)).score).toBe(0);
  });

  it('returns neutral for a non-string given by an untyped caller', () => {
    expect(scoreSentiment(undefined as unknown as string)).toEqual({ score: 0, label: 'neutral' });
  });
});
