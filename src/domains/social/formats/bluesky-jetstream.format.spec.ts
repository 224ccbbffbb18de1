import { VigilError } from '../../../errors/vigil-error.js';
import { EventDecoder } from '../../../runtime/event-decoder.js';
import { blueskyJetstreamFormat } from './bluesky-jetstream.format.js';
import { NO_ENTITY } from './social-post.js';
import { JETSTREAM_ACCOUNT, JETSTREAM_DELETE, JETSTREAM_IDENTITY, JETSTREAM_LIKE, jetstreamPost, jetstreamReply } from './testing/social-fixtures.js';
import { socialTemplate } from './testing/social-template.js';

const decoder = new EventDecoder(socialTemplate('bluesky-jetstream'), blueskyJetstreamFormat);
const source = { topic: 'bsky', partition: 0, offset: '7' };
const decode = (document: unknown) => decoder.decode(Buffer.from(JSON.stringify(document)), source);

function reason(document: unknown): string {
  try {
    decode(document);
  } catch (error) {
    expect(error).toBeInstanceOf(VigilError);
    expect((error as VigilError).code).toBe('VIGIL_EVENT_SCHEMA');
    return (error as VigilError).message;
  }
  throw new Error('decoded, expected a dead letter');
}

describe('bluesky-jetstream format', () => {
  it('reads a post commit: AT URI id, DID author, createdAt, facets (the mention by its byte slice), link card, entity from the first tag', () => {
    const event = decode(jetstreamPost());
    expect(event.id).toBe('at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lcsvgxccm22k');
    expect(event.time).toBe(Date.parse('2025-12-07T12:20:00.120Z'));
    expect(event.key).toBe('vigil');
    expect(event.fields).toMatchObject({
      author: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
      text: 'Loving the new #Vigil release 🎉 thanks @alice.bsky.social! Notes: example.com/notes…',
      lang: 'en',
      hashtags: ['vigil'],
      mentions: ['alice.bsky.social'],
      links: ['https://example.com/notes/2026-release'],
      entity: 'vigil',
      reply_to: null,
      repost_of: null,
      likes: null,
    });
    expect(event.fields.sentiment).toBeGreaterThan(0.3);
  });

  it('reads a reply without facets: its parent, and hashtags and mentions found in the text', () => {
    const event = decode(jetstreamReply());
    expect(event.fields).toMatchObject({
      reply_to: 'at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lcsvgxccm22k',
      hashtags: ['outage', 'bigbank'],
      mentions: ['bigbank'],
      lang: 'en',
      entity: 'outage',
    });
    expect(event.fields.sentiment).toBeLessThan(-0.3);
  });

  it('dead-letters everything that is not the creation of a post, with the reason', () => {
    expect(reason(JETSTREAM_IDENTITY)).toBe('kind "identity" is not a post (expected "commit" of app.bsky.feed.post)');
    expect(reason(JETSTREAM_ACCOUNT)).toBe('kind "account" is not a post (expected "commit" of app.bsky.feed.post)');
    expect(reason(JETSTREAM_LIKE)).toBe('collection "app.bsky.feed.like" is not app.bsky.feed.post');
    expect(reason(JETSTREAM_DELETE)).toBe('operation "delete" is not the creation of a post');
    expect(reason({ kind: 'commit', did: 'did:plc:x', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'k' } })).toBe('commit.record is missing');
  });

  it("falls back to Jetstream's time_us when createdAt is missing or unreadable", () => {
    const timeUs = (jetstreamPost() as { time_us: number }).time_us;
    expect(decode(jetstreamPost({ createdAt: undefined })).time).toBe(Math.floor(timeUs / 1000));
    expect(decode(jetstreamPost({ createdAt: 'yesterday' })).time).toBe(Math.floor(timeUs / 1000));
    const neither = jetstreamPost({ createdAt: undefined });
    delete neither.time_us;
    expect(reason(neither)).toBe('field ts is required');
  });

  it('keeps a post without text (an image post): neutral, keyed by "(none)"', () => {
    const event = decode(jetstreamPost({ text: '' }));
    expect(event.fields).toMatchObject({ text: null, sentiment: 0 });
    // The facets still name the tag, though their byte slices now point past the text.
    expect(event.key).toBe('vigil');
    const bare = jetstreamPost({ text: '' });
    delete ((bare.commit as { record: Record<string, unknown> }).record).facets;
    expect(decode(bare).key).toBe(NO_ENTITY);
  });

  it('survives facets that do not fit the text and features of unknown types', () => {
    const post = jetstreamPost();
    const record = (post.commit as { record: Record<string, unknown> }).record;
    record.facets = [
      { index: { byteStart: 40, byteEnd: 9_999 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:bob' }] },
      { index: 'nonsense', features: [{ $type: 'app.bsky.richtext.facet#future' }, null, 3] },
      'not a facet',
    ];
    expect(decode(post).fields).toMatchObject({ mentions: ['did:plc:bob'], hashtags: ['vigil'] });
  });
});
