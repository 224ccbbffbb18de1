import { CAPS, CLAUSE_END, ELONGATED, EMOJI, SENTENCE_END, TokenBuffer, tokenize } from './tokenizer.js';

function tokens(text: string): { words: string[]; flags: number[]; exclamations: number; questions: number } {
  const buffer = new TokenBuffer();
  tokenize(text, buffer);
  return {
    words: buffer.words.slice(0, buffer.count),
    flags: Array.from(buffer.flags.subarray(0, buffer.count)),
    exclamations: buffer.exclamations,
    questions: buffer.questions,
  };
}

describe('tokenize', () => {
  it.each([
    ['splits on any whitespace and drops one-letter words', 'I  love\tit\na lot', ['love', 'it', 'lot']],
    ['strips leading and trailing punctuation, keeps inner apostrophes', '"Don\'t!" (really), #happy @you', ["don't", 'really', 'happy', 'you']],
    ['keeps emoticons whole', 'ok :) :-( <3 :D xD', ['ok', ':)', ':-(', '<3', ':d', 'xd']],
    ['reads a curly apostrophe as a straight one', 'can\u2019t', ["can't"]],
    ['makes each emoji a token, also when glued to a word', 'love😍😍it', ['love', '', '', 'it']],
    ['ignores variation selectors and skin tones', '👍🏽 ❤️', ['', '']],
    ['cuts long runs to find elongated words', 'sooooo goooood happyyyy', ['so', 'good', 'happy']],
    ['keeps unknown elongated words as written', 'zzzzzz', ['zzzzzz']],
  ])('%s', (_rule, text, words) => {
    expect(tokens(text).words).toEqual(words);
  });

  it('flags caps, elongation, emoji and clause ends', () => {
    const { flags } = tokens('GOOD sooooo nice. 😍 fine');
    expect(flags).toEqual([CAPS, ELONGATED, CLAUSE_END | SENTENCE_END, EMOJI, 0]);
  });

  it('ends a sentence at ". ! ? …" and only a clause at ", ; :"', () => {
    const { flags } = tokens('one, two; three: four! five? six\u2026 seven. eight');
    expect(flags).toEqual([CLAUSE_END, CLAUSE_END, CLAUSE_END, CLAUSE_END | SENTENCE_END, CLAUSE_END | SENTENCE_END, CLAUSE_END | SENTENCE_END, CLAUSE_END | SENTENCE_END, 0]);
  });

  it('counts "!" and "?" anywhere', () => {
    expect(tokens('what?! no!!')).toMatchObject({ exclamations: 3, questions: 1 });
  });

  it('survives lone surrogates and control characters', () => {
    expect(tokens('good \ud83d bad \udc00 \u0000 ok').words).toEqual(['good', 'bad', 'ok']);
  });
});
