import { localHour } from '../../../simulate/daily-rhythm.js';
import type { GeneratedEvent } from '../../../simulate/generator.js';
import { scoreSentiment } from '../sentiment/index.js';
import { SocialGenerator, socialGenerator } from './social.generator.js';
import { socialParamsSchema } from './social.params.js';
import { recordSimulation } from '../../../simulate/testing/record-simulation.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Midnight UTC (the default utcOffsetHours is 0). */
const MIDNIGHT = Date.UTC(2026, 5, 1);
const QUIET = { incidentKinds: [] };

const create = (params: Record<string, unknown> = {}, seed = 7) => new SocialGenerator(seed, socialParamsSchema.parse(params));

interface At extends GeneratedEvent {
  readonly time: number;
}

/** Events from the simulator over a simulated period, paced by the generator's intensity. */
function simulate(generator: SocialGenerator, rate: number, startMs: number, durationMs: number): Promise<At[]> {
  return recordSimulation(generator, rate, startMs, durationMs);
}

const text = (e: GeneratedEvent) => e.value.text as string;
const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe('social generator', () => {
  it('is registered under the name templates use and parses empty params to defaults', () => {
    expect(socialGenerator.name).toBe('social');
    const params = socialParamsSchema.parse({});
    expect(params.firstIncidentAfter).toBe(5 * MINUTE);
    expect(params.incidentKinds).toEqual(['burst', 'sentiment_turn', 'viral_hashtag']);
  });

  it('rejects a minimum above its maximum, naming the field', () => {
    const result = socialParamsSchema.safeParse({ burstMinFactor: 30, burstMaxFactor: 20 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['burstMaxFactor']);
  });

  it('is deterministic for a seed and the same times', () => {
    const run = (seed: number) => {
      const generator = socialGenerator.create({ seed, params: socialParamsSchema.parse({ firstIncidentAfter: '1m' }) });
      return Array.from({ length: 3_000 }, (_, i) => generator.next(MIDNIGHT + i * 100));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
  });

  it('writes flat JSON posts in the documented field names and types, keyed by the entity', () => {
    const generator = create({ firstIncidentAfter: '1m' });
    const ids = new Set<string>();
    // Each check collects what breaks it: one expect per post would dominate the run time.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, value: Record<string, unknown>) => {
      if (!ok && problems.length < 5) problems.push(`${what}: ${JSON.stringify(value)}`);
    };
    let omittedTags = 0;
    let replies = 0;
    let reposts = 0;
    let incidents = 0;
    const count = 8_000;
    for (let i = 0; i < count; i++) {
      const time = MIDNIGHT + 18 * HOUR + i * 50;
      const { key, value, label } = generator.next(time);
      const body = value.text as string;
      check(typeof value.id === 'string' && !ids.has(value.id), 'unique string id', value);
      ids.add(value.id as string);
      check(value.createdAt === new Date(time).toISOString() && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value.createdAt), 'ISO time', value);
      check(typeof (value.author as { handle: unknown }).handle === 'string', 'author.handle', value);
      check(typeof body === 'string' && body.length > 0, 'text', value);
      check(['en', 'es', 'de', 'fr', 'pt'].includes(value.lang as string), 'lang', value);
      check(value.about === key && typeof key === 'string', 'key = about', value);
      check(JSON.stringify(value._label) === JSON.stringify(label), '_label = label', value);
      const metrics = value.metrics as Record<string, unknown>;
      check(['likes', 'reposts', 'replies'].every((name) => Number.isInteger(metrics[name]) && (metrics[name] as number) >= 0), 'metrics', value);
      if (value.tags === undefined) omittedTags++;
      else check(Array.isArray(value.tags) && (value.tags as string[]).every((tag) => body.includes(`#${tag}`)), 'tags in text', value);
      check(((value.mentions as string[] | undefined) ?? []).every((handle) => body.includes(`@${handle}`)), 'mentions in text', value);
      check(((value.links as string[] | undefined) ?? []).every((link) => body.includes(link)), 'links in text', value);
      if (value.replyTo !== undefined) replies++;
      if (value.repostOf !== undefined) reposts++;
      check([value.replyTo, value.repostOf].every((ref) => ref === undefined || (typeof ref === 'string' && ids.has(ref) && ref !== value.id)), 'earlier reference', value);
      if (label.fraud) incidents++;
    }
    expect(problems).toEqual([]);
    expect(omittedTags / count).toBeGreaterThan(0.25);
    expect(omittedTags / count).toBeLessThan(0.35);
    expect(replies / count).toBeGreaterThan(0.08);
    expect(reposts / count).toBeGreaterThan(0.03);
    expect(incidents).toBeGreaterThan(0);
  });

  it('has heavy-tailed authors and Zipf-popular entities', () => {
    const generator = create(QUIET);
    const byAuthor = new Map<string, number>();
    const byEntity = new Map<string, number>();
    const count = 50_000;
    for (let i = 0; i < count; i++) {
      const { key, value } = generator.next(MIDNIGHT + 12 * HOUR + i * 20);
      const handle = (value.author as { handle: string }).handle;
      byAuthor.set(handle, (byAuthor.get(handle) ?? 0) + 1);
      byEntity.set(key, (byEntity.get(key) ?? 0) + 1);
    }
    const authors = [...byAuthor.values()].sort((a, b) => b - a);
    const top = authors.slice(0, Math.ceil(authors.length / 100)).reduce((sum, n) => sum + n, 0);
    // The busiest 1% of authors write over a fifth of the posts, yet most authors post once.
    expect(top / count).toBeGreaterThan(0.2);
    expect(authors.filter((n) => n === 1).length / authors.length).toBeGreaterThan(0.5);
    expect(authors[0]! / count).toBeLessThan(0.05);
    const entities = [...byEntity.values()].sort((a, b) => b - a);
    expect(entities).toHaveLength(40);
    expect(entities[0]! / entities[9]!).toBeGreaterThan(5);
  });

  it('follows a daily rhythm: quiet small hours, a busy evening, averaging 1 over the day', async () => {
    const generator = create(QUIET);
    expect(generator.intensity(MIDNIGHT + 20 * HOUR) / generator.intensity(MIDNIGHT + 4 * HOUR)).toBeGreaterThan(5);
    const events = await simulate(generator, 0.25, MIDNIGHT, 24 * HOUR);
    const share = (from: number, to: number) => events.filter((e) => localHour(e.time, 0) >= from && localHour(e.time, 0) < to).length / events.length;
    expect(events.length).toBeGreaterThan(21_600 * 0.97);
    expect(events.length).toBeLessThan(21_600 * 1.03);
    expect(share(2, 6)).toBeLessThan(0.05);
    expect(share(18, 22)).toBeGreaterThan(4 * 0.058);
  });

  it('reads as mildly positive in ordinary traffic, scored by the project’s sentiment scorer', () => {
    const generator = create(QUIET);
    const scores = Array.from({ length: 10_000 }, (_, i) => scoreSentiment(text(generator.next(MIDNIGHT + i * 100))));
    const baseline = mean(scores.map((s) => s.score));
    expect(baseline).toBeGreaterThan(0.05);
    expect(baseline).toBeLessThan(0.4);
    const negative = scores.filter((s) => s.label === 'negative').length / scores.length;
    expect(negative).toBeGreaterThan(0.05);
    expect(negative).toBeLessThan(0.25);
  });
});
