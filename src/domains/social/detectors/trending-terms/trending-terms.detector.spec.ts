import type { FieldValue } from '../../../../model/records.js';
import { DetectorTestContext, testEvent } from '../../../../runtime/testing/detector-test-context.js';
import { TRENDING_STORE, trendingTermsDetector } from './trending-terms.detector.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
const params = { window: '10m', k: 3, capacity: 20 };

function post(minute: number, hashtags: string[], fields: Record<string, FieldValue> = {}) {
  return testEvent(T0 + minute * MINUTE, { entity: 'acme', hashtags, text: '', author: 'a1', ...fields });
}

describe('trending terms detector', () => {
  it('reports the top k of a window once event time passes its end, with counts, bounds and a post per item', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, params);
    const posts = [
      post(0, ['outage', 'acme']),
      post(1, ['Outage']),
      post(2, ['#outage', 'down']),
      post(3, ['down']),
      post(4, ['acme']),
      post(5, ['rare']),
    ];
    for (const p of posts) ctx.process(p);
    expect(ctx.emitted).toEqual([]);
    ctx.advanceTo(T0 + 10 * MINUTE);
    expect(ctx.emitted).toHaveLength(1);
    expect(ctx.emitted[0]).toEqual({
      entity: 'acme',
      severity: 'info',
      kind: 'trending.hashtags',
      // Ties are listed in the order the items reached the count: #down had 2 before #acme.
      title: 'Top hashtags for acme in 10m: #outage 3, #down 2, #acme 2',
      score: 3 / 8,
      windowStart: T0,
      windowEnd: T0 + 10 * MINUTE,
      values: { posts: 6, items: 8, counters: 4, 'count:outage': 3, 'error:outage': 0, 'count:down': 2, 'error:down': 0, 'count:acme': 2, 'error:acme': 0 },
      thresholds: { k: 3, capacity: 20, min_count: 2, guaranteed_above: 8 / 20 },
      eventIds: [posts[2]!.id, posts[3]!.id, posts[4]!.id],
    });
    expect(ctx.store(TRENDING_STORE).size).toBe(0);
  });

  it('leaves out items seen fewer than minCount times, and a window with none is not reported', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, params);
    ctx.process(post(0, ['a', 'b']));
    ctx.process(post(1, ['a']));
    ctx.process(post(12, ['c']));
    ctx.advanceTo(T0 + 30 * MINUTE);
    expect(ctx.emitted.map((f) => f.title)).toEqual(['Top hashtags for acme in 10m: #a 2']);
  });

  it('takes #tags from the text when the post lists none, and counts a tag once per post', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, params);
    ctx.process(post(0, [], { text: 'Is #Acme down? #acme #outage' }));
    ctx.process(post(1, [], { text: '#outage again' }));
    ctx.advanceTo(T0 + 10 * MINUTE);
    expect(ctx.emitted[0]!.values).toMatchObject({ 'count:outage': 2 });
    expect(ctx.emitted[0]!.values!['count:acme']).toBeUndefined(); // once, below minCount 2
  });

  it('reads a 1 MB post without stalling: tags and terms from its first 4,096 characters', () => {
    const huge = `#first ${'lorem ipsum '.repeat(90_000)} #buried`;
    for (const source of ['hashtags', 'terms'] as const) {
      const ctx = DetectorTestContext.start(trendingTermsDetector, { ...params, of: source, minCount: 1 });
      ctx.process(post(0, [], { text: huge }));
      ctx.advanceTo(T0 + 10 * MINUTE);
      expect(ctx.emitted[0]!.values).toMatchObject({ posts: 1, 'count:first': 1 });
      expect(ctx.emitted[0]!.values!['count:buried']).toBeUndefined();
    }
  });

  it('counts terms of the text or authors when asked', () => {
    const terms = DetectorTestContext.start(trendingTermsDetector, { ...params, of: 'terms' });
    terms.process(post(0, [], { text: 'The checkout page is broken' }));
    terms.process(post(1, [], { text: 'checkout BROKEN again, see https://acme.com/checkout' }));
    terms.advanceTo(T0 + 10 * MINUTE);
    expect(terms.emitted[0]).toMatchObject({ kind: 'trending.terms', title: 'Top terms for acme in 10m: checkout 2, broken 2' });

    const authors = DetectorTestContext.start(trendingTermsDetector, { ...params, of: 'authors' });
    for (const [m, author] of [[0, 'bob'], [1, 'bob'], [2, 'amy'], [3, 'bob']] as const) authors.process(post(m, [], { author }));
    authors.advanceTo(T0 + 10 * MINUTE);
    expect(authors.emitted[0]!.values).toMatchObject({ 'count:bob': 3 });
  });

  it('keeps keys and windows apart', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, params);
    for (const m of [0, 1]) ctx.process(post(m, ['x']));
    for (const m of [2, 3]) ctx.process(post(m, ['y'], { entity: 'globex' }));
    for (const m of [11, 12]) ctx.process(post(m, ['z']));
    ctx.advanceTo(T0 + 20 * MINUTE);
    expect(ctx.emitted.map((f) => [f.entity, f.windowStart, f.title])).toEqual([
      ['acme', T0, 'Top hashtags for acme in 10m: #x 2'],
      ['globex', T0, 'Top hashtags for globex in 10m: #y 2'],
      ['acme', T0 + 10 * MINUTE, 'Top hashtags for acme in 10m: #z 2'],
    ]);
  });

  it('counts events out of order until the watermark passes the window, then never revises it', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, params, { maxOutOfOrderness: 3 * MINUTE, allowedLateness: 10 * MINUTE });
    ctx.process(post(5, ['late']));
    ctx.process(post(11, ['next']));
    ctx.process(post(2, ['late'])); // behind event time, but its window is still open: counted
    expect(ctx.emitted).toEqual([]);
    ctx.process(post(13, ['next'])); // watermark 10:00: the first window is reported
    expect(ctx.emitted.map((f) => f.values)).toEqual([expect.objectContaining({ posts: 2, 'count:late': 2 })]);
    ctx.process(post(8, ['late'])); // the runtime lets it through, but its window is reported: dropped
    ctx.advanceTo(T0 + 23 * MINUTE);
    expect(ctx.emitted).toHaveLength(2);
    expect(ctx.emitted[1]!.values).toMatchObject({ posts: 2, 'count:next': 2 });
  });

  it('reports lateness later when asked to wait for late events', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, { ...params, lateness: '5m' }, { allowedLateness: 5 * MINUTE });
    ctx.process(post(1, ['a']));
    ctx.process(post(12, ['b']));
    ctx.process(post(9, ['a'])); // 3 minutes behind, window still waiting
    ctx.advanceTo(T0 + 15 * MINUTE);
    expect(ctx.emitted[0]!.values).toMatchObject({ 'count:a': 2 });
  });

  it('survives a restart from its changelog: the open window and its timer are restored', () => {
    const input = [post(0, ['a', 'b']), post(1, ['a']), post(2, ['c', 'a']), post(3, ['b']), post(11, ['d'])];
    const uninterrupted = DetectorTestContext.start(trendingTermsDetector, params);
    let ctx = DetectorTestContext.start(trendingTermsDetector, params);
    input.forEach((p, i) => {
      uninterrupted.process(p);
      ctx.process(p);
      if (i === 2) ctx = ctx.restarted();
    });
    expect(ctx.timerCount()).toBe(uninterrupted.timerCount());
    uninterrupted.advanceTo(T0 + 30 * MINUTE);
    ctx.advanceTo(T0 + 30 * MINUTE);
    expect(ctx.emitted).toHaveLength(1);
    expect(ctx.emitted).toEqual(uninterrupted.emitted);
  });

  it('stays within capacity counters and still finds the heavy items of a long tail', () => {
    const ctx = DetectorTestContext.start(trendingTermsDetector, { ...params, capacity: 10, k: 2 });
    for (let i = 0; i < 300; i++) ctx.process(testEvent(T0 + i * 1_000, { entity: 'acme', hashtags: i % 3 === 0 ? ['big'] : i % 5 === 0 ? ['mid'] : [`tail${i}`] }));
    const [, , sketch] = ctx.store<[number, number, [number, string[]]]>(TRENDING_STORE).get(`acme|${T0}`)!;
    expect(sketch[1]).toHaveLength(10);
    ctx.advanceTo(T0 + 10 * MINUTE);
    const { values } = ctx.emitted[0]!;
    // True counts: big 100, mid 40 (multiples of 5 not of 3); each within [count − error, count].
    expect(values!['count:big']! - values!['error:big']!).toBeLessThanOrEqual(100);
    expect(values!['count:big']).toBeGreaterThanOrEqual(100);
    expect(values!['count:mid']! - values!['error:mid']!).toBeLessThanOrEqual(40);
    expect(values!['count:mid']).toBeGreaterThanOrEqual(40);
  });

  it('validates its params and names the fields it reads', () => {
    expect(() => trendingTermsDetector.meta.params.parse({ k: 20, capacity: 10 })).toThrow(/capacity must be at least k/);
    const p = trendingTermsDetector.meta.params.parse({});
    expect(p).toMatchObject({ of: 'hashtags', key: 'entity', window: 15 * MINUTE, k: 10, capacity: 200, severity: 'info' });
    expect(trendingTermsDetector.meta.requiredFields(p)).toEqual(['entity', 'hashtags', 'text']);
    expect(trendingTermsDetector.meta.requiredFields({ ...p, of: 'authors' })).toEqual(['entity', 'author']);
    expect(trendingTermsDetector.meta.stateTtl(p)).toBe(30 * MINUTE);
  });
});
