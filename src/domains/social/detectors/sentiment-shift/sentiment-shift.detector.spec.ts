import type { VigilEvent } from '../../../../model/records.js';
import { DetectorTestContext, testEvent, type TestContextOptions } from '../../../../runtime/testing/detector-test-context.js';
import { Random } from '../../../../simulate/random.js';
import { scoreSentiment } from '../../sentiment/index.js';
import { SENTIMENT_STORE, sentimentShiftDetector } from './sentiment-shift.detector.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
const params = { window: '10m', bucket: '1m', minPosts: 10, minHistory: 50 };

/** An ordinary day for a brand: mostly positive or neutral, the odd complaint. */
const USUAL = [
  'Love the new acme phone, works great!',
  'Acme store opens at 9 today',
  'Pretty good update from acme',
  'Not bad at all, acme',
  'acme app is down again, so annoying',
  'Acme store opens at 9 today',
];
const ANGRY = ['Acme support is terrible, worst service ever, I hate this', 'ugh acme charged me twice. awful.', 'acme app is down again, so annoying'];
const DELIGHTED = ['Love the new acme phone, works great!', 'Pretty good update from acme', 'Wow, acme is amazing, best service ever!'];

/** Three posts a minute from `from` to `to` (minutes after T0), cycling through `texts`. */
function posts(from: number, to: number, texts: readonly string[], entity = 'acme'): VigilEvent[] {
  const out: VigilEvent[] = [];
  for (let i = 0; from + i / 3 < to; i++) out.push(testEvent(T0 + (from + i / 3) * MINUTE, { entity, text: texts[i % texts.length]! }));
  return out;
}

function run(input: readonly VigilEvent[], overrides: Record<string, unknown> = {}, options: TestContextOptions = {}) {
  const ctx = DetectorTestContext.start(sentimentShiftDetector, { ...params, ...overrides }, options);
  const findings = input.flatMap((p) => ctx.process(p));
  return { ctx, findings };
}

describe('sentiment shift detector', () => {
  it('fires once when sentiment about an entity turns negative, naming the most negative posts', () => {
    const input = [...posts(0, 60, USUAL), ...posts(60, 80, ANGRY)];
    const { findings } = run(input);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ entity: 'acme', severity: 'high', kind: 'sentiment.shift.negative' });
    expect(finding!.title).toMatch(/^Sentiment about acme turned negative: mean −0\.\d\d over 10m \(\d+ posts\) against \+0\.\d\d usually/);
    const values = finding!.values!;
    expect(values.shift).toBeCloseTo(values.window_mean! - values.baseline_mean!, 2);
    expect(values.shift).toBeLessThanOrEqual(-0.25);
    expect(values.z).toBeLessThanOrEqual(-4);
    expect(values.posts).toBeGreaterThanOrEqual(10);
    expect(values.history).toBeGreaterThanOrEqual(50);
    expect(values.baseline_mean).toBeCloseTo(USUAL.reduce((s, t) => s + scoreSentiment(t).score, 0) / USUAL.length, 1);
    expect(finding!.thresholds).toEqual({ min_shift: 0.25, z: 4, min_posts: 10, min_history: 50 });
    // The five most negative posts of the window up to the one that fired, most negative first (ties oldest first).
    const score = (p: VigilEvent) => scoreSentiment(p.fields.text as string).score;
    const window = input.filter((p) => p.time >= finding!.windowStart && p.time <= finding!.windowEnd);
    const mostNegative = window.filter((p) => score(p) < 0).sort((a, b) => score(a) - score(b)).slice(0, 5);
    expect(finding!.eventIds).toEqual(mostNegative.map((p) => p.id));
    expect(mostNegative.map((p) => p.fields.text)).toContain(ANGRY[0]);
    expect(finding!.windowEnd - finding!.windowStart).toBeLessThan(10 * MINUTE);
  });

  it('re-arms only after sentiment recovers, then fires for the next episode', () => {
    const { findings } = run([...posts(0, 60, USUAL), ...posts(60, 90, ANGRY), ...posts(90, 120, USUAL), ...posts(120, 135, ANGRY)]);
    expect(findings.map((f) => f.kind)).toEqual(['sentiment.shift.negative', 'sentiment.shift.negative']);
    expect(findings[1]!.windowEnd).toBeGreaterThan(T0 + 120 * MINUTE);
  });

  it('does not fire on its usual mix, however long', () => {
    expect(run(posts(0, 240, USUAL)).findings).toEqual([]);
  });

  it('stays quiet over a day of its usual mix in random order and at a varying rate', () => {
    const random = new Random(11);
    const day: VigilEvent[] = [];
    for (let t = 0; t < 24 * 60 * MINUTE; t += random.int(5_000, 60_000)) {
      day.push(testEvent(T0 + t, { entity: 'acme', text: USUAL[random.int(0, USUAL.length - 1)]! }));
    }
    expect(day.length).toBeGreaterThan(2_500);
    expect(run(day).findings).toEqual([]);
  });

  it('needs minPosts in the window and minHistory in the baseline', () => {
    // A quiet entity: one post every five minutes, all angry after an hour of usual ones.
    const quiet = [...posts(0, 300, USUAL), ...posts(300, 400, ANGRY)].filter((_, i) => i % 15 === 0);
    expect(run(quiet).findings).toEqual([]);
    // A new entity whose first posts are angry has no baseline to shift from.
    expect(run(posts(0, 30, ANGRY)).findings).toEqual([]);
  });

  it('watches the direction it is asked to', () => {
    const happy = [...posts(0, 60, USUAL), ...posts(60, 80, DELIGHTED)];
    const angry = [...posts(0, 60, USUAL), ...posts(60, 80, ANGRY)];
    expect(run(happy).findings).toEqual([]);
    expect(run(happy, { direction: 'positive' }).findings.map((f) => f.kind)).toEqual(['sentiment.shift.positive']);
    expect(run(angry, { direction: 'positive' }).findings).toEqual([]);
    expect(run([...angry, ...posts(80, 120, USUAL), ...posts(120, 140, DELIGHTED)], { direction: 'both' }).findings.map((f) => f.kind)).toEqual([
      'sentiment.shift.negative',
      'sentiment.shift.positive',
    ]);
  });

  it('scores a post without text as neutral, and counts it as volume', () => {
    const { ctx } = run(posts(0, 1, USUAL));
    ctx.process(testEvent(T0 + 2 * MINUTE, { entity: 'acme', text: '' }));
    expect(ctx.published).toEqual({ score: 0 });
    ctx.process(testEvent(T0 + 2 * MINUTE, { entity: 'acme', text: null }));
    expect(ctx.published).toEqual({ score: 0 });
    const state = ctx.store<number[]>(SENTIMENT_STORE).get('acme')!;
    expect(state.length).toBe(5 + 6 * 10);
    // Bucket 2 (its ring slot) holds the two posts, summing to 0.
    expect(state.slice(5 + 6 * 2, 5 + 6 * 3)).toEqual([T0 + 2 * MINUTE, 2, 0, 0, 0, 0]);
  });

  it('scores only the head of a 1 MB post', () => {
    const { ctx } = run(posts(0, 1, USUAL));
    ctx.process(testEvent(T0 + 2 * MINUTE, { entity: 'acme', text: `I love it ${'and then '.repeat(120_000)} I hate it` }));
    expect(ctx.published.score).toBeGreaterThan(0);
  });

  it('keeps entities apart', () => {
    const input = [...posts(0, 60, USUAL, 'acme'), ...posts(0, 60, USUAL, 'globex'), ...posts(60, 80, ANGRY, 'globex'), ...posts(60, 80, USUAL, 'acme')];
    const { findings } = run(input.sort((a, b) => a.time - b.time));
    expect(findings.map((f) => f.entity)).toEqual(['globex']);
  });

  it('counts out-of-order posts within the window by their event time: same findings as in order', () => {
    const input = [...posts(0, 60, USUAL), ...posts(60, 80, ANGRY)];
    const inOrder = run(input).findings;
    // Swap neighbours (up to 20 s apart) across the stream.
    const shuffled = [...input];
    for (let i = 0; i + 1 < shuffled.length; i += 2) [shuffled[i], shuffled[i + 1]] = [shuffled[i + 1]!, shuffled[i]!];
    const outOfOrder = run(shuffled, {}, { allowedLateness: MINUTE }).findings;
    expect(outOfOrder.map((f) => f.kind)).toEqual(inOrder.map((f) => f.kind));
    expect(outOfOrder[0]!.values!.baseline_mean).toBeCloseTo(inOrder[0]!.values!.baseline_mean!, 2);
    expect(Math.abs(outOfOrder[0]!.windowEnd - inOrder[0]!.windowEnd)).toBeLessThanOrEqual(MINUTE / 3);
  });

  it('survives a restart from its changelog: window, baseline, episode and posts are restored', () => {
    const input = [...posts(0, 60, USUAL), ...posts(60, 90, ANGRY), ...posts(90, 120, USUAL), ...posts(120, 135, ANGRY)];
    const expected = run(input).findings;
    expect(expected).toHaveLength(2);
    for (const restartAt of [100, 190, 200]) {
      let ctx = DetectorTestContext.start(sentimentShiftDetector, params);
      const findings = input.flatMap((p, i) => {
        if (i === restartAt) ctx = ctx.restarted();
        return ctx.process(p);
      });
      expect(findings).toEqual(expected);
    }
  });

  it('validates its params and names the fields it reads', () => {
    expect(() => sentimentShiftDetector.meta.params.parse({ window: '10m', bucket: '3m' })).toThrow(/whole number of buckets/);
    const p = sentimentShiftDetector.meta.params.parse({});
    expect(p).toMatchObject({ key: 'entity', textField: 'text', window: 15 * MINUTE, bucket: MINUTE, direction: 'negative', severity: 'high' });
    expect(sentimentShiftDetector.meta.requiredFields(p)).toEqual(['entity', 'text']);
  });
});
