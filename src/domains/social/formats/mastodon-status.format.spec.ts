import { VigilError } from '../../../errors/vigil-error.js';
import { EventDecoder } from '../../../runtime/event-decoder.js';
import { mastodonStatusFormat } from './mastodon-status.format.js';
import { MASTODON_STREAMING_DELETE, mastodonReblog, mastodonStatus, mastodonStreamingUpdate } from './testing/social-fixtures.js';
import { socialTemplate } from './testing/social-template.js';

const decoder = new EventDecoder(socialTemplate('mastodon-status'), mastodonStatusFormat);
const source = { topic: 'toots', partition: 0, offset: '3' };
const decode = (document: unknown) => decoder.decode(Buffer.from(JSON.stringify(document)), source);

describe('mastodon-status format', () => {
  it('reads a status: HTML content as text, its tags and mentions, links that are neither, counts, the author', () => {
    const event = decode(mastodonStatus());
    expect(event.id).toBe('113612345678901234');
    expect(event.time).toBe(Date.parse('2025-12-07T12:21:30.000Z'));
    expect(event.key).toBe('vigil');
    expect(event.fields).toMatchObject({
      author: 'carol@fosstodon.org',
      text: "Switched our alerts to #Vigil and it's great & fast! Thanks @dave\n\nWrite-up: https://blog.example.org/posts/vigil-alerts\nmore soon 🚀",
      lang: 'en',
      hashtags: ['vigil'],
      mentions: ['dave@mastodon.social'],
      links: ['https://blog.example.org/posts/vigil-alerts'],
      reply_to: null,
      repost_of: null,
      likes: 17,
      reposts: 5,
      replies: 2,
    });
    expect(event.fields.sentiment).toBeGreaterThan(0.5);
  });

  it('reads the streaming envelope of an update and refuses its other events', () => {
    expect(decode(mastodonStreamingUpdate()).fields.text).toContain('Switched our alerts');
    expect(() => decode(MASTODON_STREAMING_DELETE)).toThrow('streaming event "delete" is not a new post (expected "update")');
    expect(() => decode({ event: 'status.update', payload: JSON.stringify(mastodonStatus()) })).toThrow('streaming event "status.update" is not a new post');
    expect(() => decode({ event: 'update', payload: '{oops' })).toThrow('streaming payload is not JSON');
  });

  it("reads a boost as the booster's post of the boosted text, naming what it reposts", () => {
    const event = decode(mastodonReblog());
    expect(event.fields).toMatchObject({ post_id: '113612399999999999', author: 'erin', repost_of: '113612345678901234', hashtags: ['vigil'], lang: 'en', likes: 0 });
    expect(event.fields.text).toContain('Switched our alerts');
  });

  it('puts a content warning before the text, and finds tags in the text when the status lists none', () => {
    const event = decode(mastodonStatus({ spoiler_text: 'bank rant', content: '<p>worst <a href="https://x.social/tags/bank" class="mention hashtag">#bank</a> ever</p>', tags: [] }));
    expect(event.fields).toMatchObject({ text: 'bank rant\n\nworst #bank ever', hashtags: ['bank'], links: ['https://blog.example.org/posts/vigil-alerts'] });
  });

  it('dead-letters a status without id or time, with the reason', () => {
    for (const [document, message] of [
      [mastodonStatus({ id: undefined }), 'status id is missing'],
      [mastodonStatus({ created_at: undefined }), 'field ts is required'],
      [mastodonStatus({ created_at: 'not a date' }), 'field ts expected timestamp'],
    ] as const) {
      let error: unknown;
      try {
        decode(document);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(VigilError);
      expect((error as VigilError).message).toContain(message);
    }
  });
});
