import type { GeneratedEvent } from '../../../simulate/generator.js';
import { scoreSentiment } from '../sentiment/index.js';
import { SocialGenerator } from './social.generator.js';
import { type Incident, IncidentTimeline } from './social.incidents.js';
import { socialParamsSchema } from './social.params.js';
import { SocialWorld } from './social.world.js';
import { recordSimulation } from '../../../simulate/testing/record-simulation.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 18:00 UTC, a busy hour. */
const START = Date.UTC(2026, 5, 1, 18);
/** The demo's pace in event time: 200 events per real second, event time 30x faster. */
const DEMO_RATE = 200 / 30;

interface At extends GeneratedEvent {
  readonly time: number;
}

async function simulate(params: Record<string, unknown>, rate: number, durationMs: number, seed = 11): Promise<{ events: At[]; incidents: readonly Incident[] }> {
  const generator = new SocialGenerator(seed, socialParamsSchema.parse(params));
  const events = await recordSimulation(generator, rate, START, durationMs);
  return { events, incidents: generator.incidentsStartedBy(START + durationMs) };
}

const text = (e: GeneratedEvent) => e.value.text as string;
const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const perMinute = (events: readonly At[], from: number, to: number) => events.filter((e) => e.time >= from && e.time < to).length / ((to - from) / MINUTE);

describe('social generator: injected incidents', () => {
  it('starts the first incident after the warm-up and the first ones in the listed order', async () => {
    const kinds = ['sentiment_turn', 'viral_hashtag', 'burst'];
    const { events, incidents } = await simulate({ firstIncidentAfter: '3m', incidentsPerHour: 30, incidentKinds: kinds }, DEMO_RATE, 30 * MINUTE);
    expect(incidents[0]!.startMs - events[0]!.time).toBe(3 * MINUTE);
    expect(incidents.slice(0, 3).map((incident) => incident.kind)).toEqual(kinds);
    expect(events.filter((e) => e.time < START + 3 * MINUTE).every((e) => !e.label.fraud)).toBe(true);
    expect(events.some((e) => e.label.fraud)).toBe(true);
  });

  it('spaces the first round of incidents evenly when firstIncidentsEvery is set', async () => {
    const params = { firstIncidentAfter: '4m', firstIncidentsEvery: '2m', incidentsPerHour: 6 };
    const { events, incidents } = await simulate(params, DEMO_RATE, 12 * MINUTE);
    const origin = events[0]!.time;
    expect(incidents.slice(0, 3).map((incident) => [incident.kind, incident.startMs - origin])).toEqual([
      ['burst', 4 * MINUTE],
      ['sentiment_turn', 6 * MINUTE],
      ['viral_hashtag', 8 * MINUTE],
    ]);
    expect(new Set(events.filter((e) => e.label.fraud).map((e) => e.label.scenario))).toEqual(new Set(['burst', 'sentiment_turn', 'viral_hashtag']));
  });

  it('gives incidents running at once different entities, among ranks 3 to incidentMaxRank', () => {
    const config = socialParamsSchema.parse({ incidentsPerHour: 8, incidentMaxRank: 15 });
    const shares = Array.from({ length: 40 }, () => 1 / 40);
    const timeline = new IncidentTimeline(5, START, config, shares);
    const incidents = timeline.startedBy(START + 48 * HOUR).filter((incident) => incident.kind !== 'viral_hashtag');
    expect(incidents.length).toBeGreaterThan(150);
    let overlapping = 0;
    for (const [i, a] of incidents.entries()) {
      expect(a.entity).toBeGreaterThanOrEqual(2);
      expect(a.entity).toBeLessThanOrEqual(14);
      for (const b of incidents.slice(i + 1)) {
        if (b.startMs >= a.endMs) break;
        overlapping++;
        expect(b.entity).not.toBe(a.entity);
      }
    }
    expect(overlapping).toBeGreaterThan(50);
  });

  it('bursts: posts about one entity multiply 8-20x for 10-30 minutes, labelled burst', async () => {
    const { events, incidents } = await simulate({ incidentKinds: ['burst'], incidentsPerHour: 0, firstIncidentAfter: '30m' }, 10, 75 * MINUTE);
    const burst = incidents[0]!;
    expect(burst.kind).toBe('burst');
    expect(burst.endMs - burst.startMs).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(burst.endMs - burst.startMs).toBeLessThanOrEqual(30 * MINUTE);
    const about = events.find((e) => e.label.scenario === 'burst')!.key;
    const labelled = events.filter((e) => e.label.fraud);
    expect(labelled.every((e) => e.label.scenario === 'burst' && e.key === about && e.time >= burst.startMs && e.time < burst.endMs)).toBe(true);
    const entity = events.filter((e) => e.key === about);
    const before = perMinute(entity, START, burst.startMs);
    const during = perMinute(entity, burst.startMs, burst.endMs);
    const after = perMinute(entity, burst.endMs + MINUTE, START + 75 * MINUTE);
    expect(during / before).toBeGreaterThan(burst.factor * 0.8);
    expect(during / before).toBeLessThan(burst.factor * 1.25);
    expect(after / before).toBeLessThan(1.5);
  });

  it('turns sentiment about one entity clearly negative for 20-60 minutes at modest extra volume', async () => {
    const { events, incidents } = await simulate({ incidentKinds: ['sentiment_turn'], incidentsPerHour: 0, firstIncidentAfter: '30m' }, 10, 95 * MINUTE);
    const turn = incidents[0]!;
    expect(turn.endMs - turn.startMs).toBeGreaterThanOrEqual(20 * MINUTE);
    expect(turn.endMs - turn.startMs).toBeLessThanOrEqual(60 * MINUTE);
    const about = events.find((e) => e.label.scenario === 'sentiment_turn')!.key;
    const entity = events.filter((e) => e.key === about);
    const during = entity.filter((e) => e.time >= turn.startMs && e.time < turn.endMs);
    const before = entity.filter((e) => e.time < turn.startMs);
    const volume = perMinute(entity, turn.startMs, turn.endMs) / perMinute(entity, START, turn.startMs);
    expect(volume).toBeGreaterThan(1.5);
    expect(volume).toBeLessThan(3);
    const score = (list: readonly At[]) => mean(list.map((e) => scoreSentiment(text(e)).score));
    const incidentPosts = events.filter((e) => e.label.scenario === 'sentiment_turn');
    const ordinary = events.filter((e, i) => !e.label.fraud && i % 10 === 0);
    // The real scorer: the turn's posts are clearly negative, ordinary posts mildly positive.
    expect(score(incidentPosts)).toBeLessThan(-0.5);
    expect(score(ordinary)).toBeGreaterThan(0.05);
    expect(score(before) - score(during)).toBeGreaterThan(0.7);
    expect(incidentPosts.filter((e) => scoreSentiment(text(e)).label === 'negative').length / incidentPosts.length).toBeGreaterThan(0.9);
    expect(incidentPosts.every((e) => e.key === about)).toBe(true);
  });

  it('makes a new hashtag viral: never seen before, then a large share of posts, labelled viral_hashtag', async () => {
    const { events, incidents } = await simulate({ incidentKinds: ['viral_hashtag', 'burst'], incidentsPerHour: 4, firstIncidentAfter: '20m' }, 4, 3 * HOUR);
    const virals = incidents.filter((incident) => incident.kind === 'viral_hashtag');
    expect(virals.length).toBeGreaterThanOrEqual(2);
    const known = new Set(new SocialWorld(11, { entities: 40, entityZipfExponent: 1, authors: 100, authorZipfExponent: 1 }).knownTags().map((t) => t.toLowerCase()));
    for (const viral of virals) {
      const tag = `#${viral.tag}`.toLowerCase();
      expect(known.has(viral.tag.toLowerCase())).toBe(false);
      const carrying = events.filter((e) => text(e).toLowerCase().includes(tag));
      expect(carrying.length).toBeGreaterThan(50);
      expect(carrying[0]!.time).toBeGreaterThanOrEqual(viral.startMs);
      expect(carrying.every((e) => e.label.scenario === 'viral_hashtag')).toBe(true);
      // At its peak (the middle of its life) the tag is in a large share of all posts.
      const middle = (viral.startMs + viral.endMs) / 2;
      const window = events.filter((e) => Math.abs(e.time - middle) < 2 * MINUTE);
      const share = window.filter((e) => text(e).toLowerCase().includes(tag)).length / window.length;
      expect(share).toBeGreaterThan(0.1);
      // Spread over conversations, not one entity.
      expect(new Set(carrying.map((e) => e.key)).size).toBeGreaterThan(10);
    }
  });

  it('shows every kind of incident early at the demo’s pace (6.7 posts per event-time second)', async () => {
    const { events, incidents } = await simulate({ firstIncidentAfter: '5m', incidentsPerHour: 12 }, DEMO_RATE, 25 * MINUTE, 42);
    const scenarios = new Set(events.filter((e) => e.label.fraud).map((e) => e.label.scenario));
    expect(incidents[0]!.startMs).toBe(START + 5 * MINUTE);
    expect(scenarios.size).toBeGreaterThanOrEqual(2);
    // The first incident alone brings dozens of posts within its first ten minutes.
    const first = incidents[0]!;
    const early = events.filter((e) => e.label.scenario === first.kind && e.time < first.startMs + 10 * MINUTE);
    expect(early.length).toBeGreaterThan(100);
  });
});
