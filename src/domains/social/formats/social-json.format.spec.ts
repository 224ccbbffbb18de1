import { VigilError } from '../../../errors/vigil-error.js';
import { EventDecoder } from '../../../runtime/event-decoder.js';
import { MAX_TEXT_CHARS, NO_ENTITY } from './social-post.js';
import { socialJsonFormat } from './social-json.format.js';
import { socialTemplate } from './testing/social-template.js';

const decoder = new EventDecoder(socialTemplate(), socialJsonFormat);
const source = { topic: 'vigil.social.posts', partition: 2, offset: '41' };

/** A post in the simulator's flat shape, which the shipped template maps. */
function flatPost(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'p-1',
    createdAt: '2026-03-01T09:30:00.000Z',
    author: { handle: 'maria_k' },
    text: 'Terrible service from @acme_help today #acme #fail',
    lang: 'en',
    about: 'acme',
    replyTo: 'p-0',
    metrics: { likes: 3, reposts: 1, replies: 0 },
    _label: { incident: 'sentiment_turn' },
    ...overrides,
  };
}

const decode = (document: unknown) => decoder.decode(Buffer.from(JSON.stringify(document)), source);

function deadLetter(value: Buffer | string): string {
  try {
    decoder.decode(value, source);
  } catch (error) {
    expect(error).toBeInstanceOf(VigilError);
    return (error as VigilError).message;
  }
  throw new Error('decoded, expected a dead letter');
}

describe('social-json format with the shipped template', () => {
  it('maps the flat post and extracts hashtags and mentions from the text when it lists none', () => {
    const event = decode(flatPost());
    expect(event).toMatchObject({ id: 'p-1', key: 'acme', time: Date.parse('2026-03-01T09:30:00.000Z') });
    expect(event.fields).toMatchObject({
      post_id: 'p-1',
      author: 'maria_k',
      lang: 'en',
      hashtags: ['acme', 'fail'],
      mentions: ['acme_help'],
      links: [],
      entity: 'acme',
      reply_to: 'p-0',
      repost_of: null,
      likes: 3,
      reposts: 1,
      replies: 0,
    });
    expect(event.fields.sentiment).toBeLessThan(-0.3);
    expect(Object.keys(event.fields)).not.toContain('_label');
  });

  it('keeps the lists a post brings, and keys a post about nothing by its first hashtag', () => {
    const event = decode(flatPost({ about: undefined, tags: ['launch', 'acme'], mentions: ['x'], links: ['https://a.example'] }));
    expect(event.fields).toMatchObject({ hashtags: ['launch', 'acme'], mentions: ['x'], links: ['https://a.example'], entity: 'launch' });
    expect(event.key).toBe('launch');
  });

  describe('bad input (templates/social/README.md, "Bad input")', () => {
    it('a post with no text is kept: counted, neutral, keyed by its entity', () => {
      for (const text of [undefined, '', null]) {
        const event = decode(flatPost({ text }));
        expect(event.fields).toMatchObject({ text: null, sentiment: 0, hashtags: [], entity: 'acme' });
      }
      expect(decode(flatPost({ text: undefined, about: undefined })).key).toBe(NO_ENTITY);
    });

    it('an unknown or missing language is kept as given: the scorer reads every post as English', () => {
      expect(decode(flatPost({ lang: 'xx-unknown' })).fields.lang).toBe('xx-unknown');
      const none = decode(flatPost({ lang: undefined }));
      expect(none.fields.lang).toBeNull();
      expect(none.fields.sentiment).toBeLessThan(-0.3);
      expect(decode(flatPost({ lang: 'fi', text: 'Tämä on kamalaa' })).fields.sentiment).toBe(0);
    });

    it(`a megabyte of text is cut to ${MAX_TEXT_CHARS} characters and decoded quickly`, () => {
      const text = `#acme ${'word '.repeat(200_000)}`;
      const started = performance.now();
      const event = decode(flatPost({ text }));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect((event.fields.text as string).length).toBe(MAX_TEXT_CHARS);
      expect(event.fields.hashtags).toEqual(['acme']);
    });

    it('invalid UTF-8 is read with replacement characters, not refused', () => {
      const json = Buffer.from(JSON.stringify(flatPost({ text: 'great XX day' })));
      const at = json.indexOf('XX');
      json[at] = 0xc3;
      json[at + 1] = 0x28;
      const event = decoder.decode(json, source);
      expect(event.fields.text).toBe('great \uFFFD( day');
      expect(event.fields.sentiment).toBeGreaterThan(0);
    });

    it('a missing or unreadable timestamp, a missing id, or not JSON is dead-lettered with the reason', () => {
      expect(deadLetter(JSON.stringify(flatPost({ createdAt: undefined })))).toBe('field ts (from "createdAt") is required');
      expect(deadLetter(JSON.stringify(flatPost({ createdAt: 'soon' })))).toBe('field ts (from "createdAt") expected timestamp (epoch ms or ISO-8601 with zone), got "soon"');
      expect(deadLetter(JSON.stringify(flatPost({ id: undefined })))).toBe('field post_id (from "id") is required');
      expect(deadLetter(JSON.stringify(flatPost({ tags: 'acme' })))).toBe('field hashtags (from "tags") expected array of strings, got "acme"');
      expect(deadLetter('{"id": "p-1", "text": ')).toMatch(/^value is not JSON/);
    });
  });
});
