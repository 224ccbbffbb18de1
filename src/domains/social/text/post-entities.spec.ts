import { extractHashtags, extractLinks, extractMentions } from './post-entities.js';

describe('extractHashtags', () => {
  it('finds tags lower-cased, without #, once each, in order', () => {
    expect(extractHashtags('Down again #Outage #AWS... #outage, #aws_status!')).toEqual(['outage', 'aws', 'aws_status']);
  });

  it('reads non-Latin tags and tags at the start of the text', () => {
    expect(extractHashtags('#東京 今日は #Café_au_lait #ÄÖÜ')).toEqual(['東京', 'café_au_lait', 'äöü']);
  });

  it('ignores numbers, anchors inside words, HTML entities and a bare #', () => {
    expect(extractHashtags('we are #1 in page.html#section, it&#39;s # alone, C#')).toEqual([]);
  });

  it('returns an empty list for empty or non-string text', () => {
    expect(extractHashtags('')).toEqual([]);
    expect(extractHashtags(undefined as unknown as string)).toEqual([]);
  });
});

describe('extractMentions', () => {
  it('finds Twitter, Bluesky and Mastodon handles, lower-cased, without @', () => {
    expect(extractMentions('@Alice thanks, cc @bob.bsky.social and @carol@Mastodon.social.')).toEqual([
      'alice',
      'bob.bsky.social',
      'carol@mastodon.social',
    ]);
  });

  it('does not take e-mail addresses or URL paths for mentions', () => {
    expect(extractMentions('mail me at dan@example.com or see https://medium.com/@erin/post')).toEqual([]);
  });

  it('keeps each handle once', () => {
    expect(extractMentions('@ann @Ann @ann:')).toEqual(['ann']);
  });
});

describe('extractLinks', () => {
  it('finds http(s) and www links without the sentence punctuation after them', () => {
    expect(extractLinks('Read https://example.com/a?b=1. Also (www.vigil.dev/docs), http://x.io!')).toEqual([
      'https://example.com/a?b=1',
      'www.vigil.dev/docs',
      'http://x.io',
    ]);
  });

  it('keeps a closing bracket that belongs to the link', () => {
    expect(extractLinks('see https://en.wikipedia.org/wiki/Mercury_(planet).')).toEqual(['https://en.wikipedia.org/wiki/Mercury_(planet)']);
  });

  it('finds nothing in plain text', () => {
    expect(extractLinks('no links here: example dot com')).toEqual([]);
  });
});
