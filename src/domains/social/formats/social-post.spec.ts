import type { FieldValue } from '../../../model/records.js';
import { completePost, cutText, MAX_LIST_ITEMS, MAX_TEXT_CHARS, NO_ENTITY } from './social-post.js';

function post(fields: Record<string, FieldValue>): Record<string, FieldValue> {
  const all: Record<string, FieldValue> = { text: null, hashtags: null, mentions: null, links: null, entity: null, sentiment: null, ...fields };
  completePost(all);
  return all;
}

describe('completePost', () => {
  it('finds hashtags, mentions and links in the text when the source lists none, and keys by the first hashtag', () => {
    const done = post({ text: 'Down again #Outage #bank @BigBank_Help see https://status.example.com/x.' });
    expect(done).toMatchObject({ hashtags: ['outage', 'bank'], mentions: ['bigbank_help'], links: ['https://status.example.com/x'], entity: 'outage' });
  });

  it('keeps what the source lists and the entity it names', () => {
    const done = post({ text: '#a #b', hashtags: ['listed'], entity: 'acme' });
    expect(done).toMatchObject({ hashtags: ['listed'], entity: 'acme' });
  });

  it(`keys a post with no entity and no hashtag by "${NO_ENTITY}", and scores a post without text neutral`, () => {
    expect(post({ text: 'just words' }).entity).toBe(NO_ENTITY);
    expect(post({ entity: '  ' }).entity).toBe(NO_ENTITY);
    expect(post({})).toMatchObject({ entity: NO_ENTITY, sentiment: 0, hashtags: [], mentions: [], links: [] });
  });

  it('derives sentiment only when the template declares it and the post brings none', () => {
    expect(post({ text: 'I love this, it is great!' }).sentiment).toBeGreaterThan(0.5);
    expect(post({ text: 'This is awful and I hate it' }).sentiment).toBeLessThan(-0.5);
    expect(post({ text: 'I love this', sentiment: -0.3 }).sentiment).toBe(-0.3);
    const undeclared: Record<string, FieldValue> = { text: 'I love this', hashtags: null, mentions: null, links: null, entity: null };
    completePost(undeclared);
    expect('sentiment' in undeclared).toBe(false);
  });

  it('cuts a megabyte of text to the limit before reading it, quickly, and caps every list', () => {
    const huge = `#first ${'#tag'.repeat(1)} ${Array.from({ length: 120_000 }, (_, i) => `#t${i}`).join(' ')}`;
    const started = performance.now();
    const done = post({ text: huge });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((done.text as string).length).toBe(MAX_TEXT_CHARS);
    expect((done.hashtags as string[]).length).toBe(MAX_LIST_ITEMS);
    expect(done.entity).toBe('first');
  });

  it('never cuts inside a surrogate pair', () => {
    expect(cutText('ab😀', 3)).toBe('ab');
    expect(cutText('ab😀c', 4)).toBe('ab😀');
    expect(cutText('short', 10)).toBe('short');
  });
});
