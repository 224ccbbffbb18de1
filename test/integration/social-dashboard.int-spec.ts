import path from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import type { AlertPayload } from '../../src/alerts/webhook.payload.js';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { generateDashboards } from '../../src/dashboards/generate-dashboards.js';
import type { PanelRequest } from '../../src/dashboards/testing/grafana-sql.js';
import { dashboardSources } from '../../src/domains/domains.js';
import { dashboardQueries, dashboardVariables, runDashboardQuery, shapeProblems } from '../utils/dashboard-queries.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedSocialTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 80 * MINUTE) / MINUTE) * MINUTE;
const MINUTES = 60;
const BURST_MINUTE = 35;
const BURST_POSTS = 90;
const TURN_MINUTE = 40;
const EMERGING_FROM = 52;

const POSITIVE = ['Really love the new {e} app, great job!', '{e} support was super helpful today :)', 'So happy with {e}, works perfectly'];
const NEUTRAL = ['Anyone tried the {e} update yet?', 'Reading about {e} this morning', '{e} announced something new'];
const NEGATIVE = ['{e} is down again, this is terrible', 'Worst experience with {e} ever, so angry', 'Cancelling {e}, awful service and rude staff'];

interface Post {
  readonly key: string;
  readonly value: string;
}

/**
 * A known hour of posts about three entities, in the simulator's flat shape: steady traffic,
 * a burst about acme (minute 35), globex's sentiment turning negative (minute 40 on), and #recall
 * appearing only in the last minutes (an emerging hashtag). Deterministic, no simulator needed.
 */
function knownHour(): Post[] {
  const posts: Post[] = [];
  let n = 0;
  const post = (entity: string, time: number, text: string, tags: string[]) => {
    n++;
    const value = { id: `post-${n}`, createdAt: new Date(time).toISOString(), author: { handle: `user${(n * 13) % 211}` }, text: `${text.replace('{e}', entity)} ${tags.map((t) => `#${t}`).join(' ')}`, lang: 'en', about: entity, metrics: { likes: n % 7, reposts: n % 3, replies: n % 2 } };
    posts.push({ key: entity, value: JSON.stringify(value) });
  };
  for (let m = 0; m < MINUTES; m++) {
    ['acme', 'globex', 'initech'].forEach((entity, e) => {
      const count = 4 + ((m * 7 + e * 3) % 5);
      for (let i = 0; i < count; i++) {
        const time = T0 + m * MINUTE + Math.floor(((i + 0.5) * MINUTE) / count);
        const mood = entity === 'globex' && m >= TURN_MINUTE ? NEGATIVE : [POSITIVE, NEUTRAL, NEUTRAL, NEGATIVE][(m + i) % 4]!;
        const tags = [entity, ...(i % 3 === 0 ? ['launch'] : []), ...(entity === 'initech' && m >= EMERGING_FROM ? ['recall'] : [])];
        post(entity, time, mood[(i + m) % mood.length]!, tags);
      }
    });
    if (m === BURST_MINUTE) for (let i = 0; i < BURST_POSTS; i++) post('acme', T0 + m * MINUTE + i * 600, NEUTRAL[i % 3]!, ['acme', 'outage']);
  }
  return posts.sort((a, b) => JSON.parse(a.value).createdAt.localeCompare(JSON.parse(b.value).createdAt));
}

describe('the social dashboard against a known hour of posts (real Kafka, real pipeline, embedded ClickHouse, real HTTP receiver)', () => {
  let pipeline: RunningPipeline | undefined;
  let receiver: RecordingServer | undefined;
  let name: string;
  let dashboard: Dashboard;
  let posts: Post[];

  beforeAll(async () => {
    const template = await isolatedSocialTemplate();
    name = template.name;
    posts = knownHour();
    const input = `${template.prefix}.posts`;
    await createTopic(input, 6);
    await produceWithKcat(input, posts);
    receiver = await startRecordingServer((res) => {
      res.writeHead(200).end('ok');
    });
    pipeline = await startPipeline({
      templateFile: template.file,
      database: `${template.prefix}_dash`,
      services: ['detect', 'sink', 'notify'],
      env: { VIGIL_WEBHOOK_URL: receiver.url, VIGIL_WEBHOOK_SECRET: generateWebhookSecret() },
    });
    const ch = pipeline.clickhouse;
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM social_posts'), (r) => r[0]!.n >= posts.length, 90_000, 'every post stored');
    await eventually(() => queryRows<{ n: number }>(ch, "SELECT toUInt32(count()) AS n FROM alerts WHERE detector = 'entity_burst'"), (r) => r[0]!.n > 0, 60_000, 'the burst alerted');
    // The burst's group (per entity) waits 30 s of event time; with no later alert the wall clock carries it.
    const [burst] = await queryRows<{ id: string }>(ch, "SELECT id FROM alerts WHERE detector = 'entity_burst' AND entity = 'acme' ORDER BY time LIMIT 1");
    await eventually(async () => receiver!.requests.map((r) => JSON.parse(r.body) as AlertPayload), (sent) => sent.some((p) => p.group?.firing.some((a) => a.id === burst!.id)), 90_000, 'the burst notified');
    await eventually(() => queryRows<{ n: number }>(ch, "SELECT toUInt32(count()) AS n FROM alert_deliveries WHERE outcome = 'delivered'"), (r) => r[0]!.n > 0, 30_000, 'the delivery logged');
    const generated = await generateDashboards(path.resolve('templates'), dashboardSources());
    dashboard = generated.find((g) => g.dashboard.uid === 'vigil-social')!.dashboard;
  }, 300_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.close();
  });

  const request = (): Omit<PanelRequest, 'variables'> => ({ fromMs: T0 - 30 * MINUTE, toMs: Date.now() + 30 * MINUTE, intervalMs: MINUTE });

  it('every panel, annotation and variable query runs with All selected and returns rows of the shape its panel needs', async () => {
    const ch = pipeline!.clickhouse;
    const variables = await dashboardVariables(ch, dashboard, request(), { template: { current: name } });
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(15);
    for (const query of queries) {
      const result = await runDashboardQuery(ch, query, { ...request(), variables });
      expect({ panel: query.title, problems: shapeProblems(query.kind, result), empty: result.data.length === 0 }).toEqual({ panel: query.title, problems: [], empty: false });
    }
  }, 120_000);

  it("shows the run's numbers: every post counted once, the burst flagged in its minute, #recall emerging, globex turning negative", async () => {
    const ch = pipeline!.clickhouse;
    const variables = await dashboardVariables(ch, dashboard, request(), { template: { current: name } });
    const run = async (title: string, chosen = variables) => (await runDashboardQuery(ch, dashboardQueries(dashboard).find((q) => q.title === title)!, { ...request(), variables: chosen })).data;

    expect(Number((await run('Posts'))[0]!.posts)).toBe(posts.length);
    // The burst detector chosen, as a user looking at bursts would: only its 1-minute buckets.
    const acme = await dashboardVariables(ch, dashboard, request(), { template: { current: name }, entity: { current: 'acme' }, detector: { current: 'entity_burst' } });
    const band = await run('Volume and its expected band', acme);
    const burst = band.find((row) => Date.parse(`${String(row.time).replace(' ', 'T')}Z`) === T0 + BURST_MINUTE * MINUTE)!;
    expect(Number(burst.posts)).toBeGreaterThan(BURST_POSTS);
    expect(Number(burst.posts)).toBeGreaterThan(Number(burst.band_high));
    expect(Number(burst.flagged_posts)).toBe(Number(burst.posts));
    // All detectors: entity_burst's 1-minute and entity_volume's 5-minute findings cover the burst's
    // minute both; each post is counted once, so no interval has more flagged posts than posts.
    const all = await run('Volume and its expected band', await dashboardVariables(ch, dashboard, request(), { template: { current: name }, entity: { current: 'acme' } }));
    const [volume] = await queryRows<{ start: string }>(ch, "SELECT toString(window_start) AS start FROM findings WHERE detector = 'entity_volume' AND entity = 'acme' AND values['value'] > 90");
    expect(volume).toBeDefined();
    const allBurst = all.find((row) => Date.parse(`${String(row.time).replace(' ', 'T')}Z`) === T0 + BURST_MINUTE * MINUTE)!;
    expect(Number(allBurst.flagged_posts)).toBe(Number(allBurst.posts));
    for (const row of all) expect({ time: row.time, over: Number(row.flagged_posts ?? 0) > Number(row.posts) }).toEqual({ time: row.time, over: false });
    // The posts of the 5-minute bucket entity_volume flagged are flagged too, in each of its minutes.
    const volumeStart = Date.parse(`${volume!.start.replace(' ', 'T')}Z`);
    const inVolume = all.filter((row) => {
      const time = Date.parse(`${String(row.time).replace(' ', 'T')}Z`);
      return time >= volumeStart && time < volumeStart + 5 * MINUTE;
    });
    expect(inVolume).toHaveLength(5);
    for (const row of inVolume) expect(Number(row.flagged_posts)).toBe(Number(row.posts));
    expect((await run('Emerging hashtags'))[0]!.hashtag).toBe('recall');
    const entities = await run('Entities');
    const globex = entities.find((row) => row.entity === 'globex')!;
    expect(Number(globex.negative_pct)).toBeGreaterThan(Math.max(...entities.filter((row) => row.entity !== 'globex').map((row) => Number(row.negative_pct))));
    const evidence = await run('Alerts with their posts');
    const burstPosts = evidence.filter((row) => row.detector === 'entity_burst' && row.entity === 'acme');
    expect(burstPosts.length).toBeGreaterThan(0);
    for (const row of burstPosts) expect(String(row.post)).toContain('#acme');
    expect(receiver!.requests.length).toBeGreaterThan(0);
    // The social detectors: globex's turn, #recall emerging for initech, trending hashtags reported.
    const [turn] = await queryRows<{ entities: string[] }>(ch, "SELECT groupUniqArray(entity) AS entities FROM findings WHERE detector = 'entity_sentiment'");
    expect(turn!.entities).toEqual(['globex']);
    const emerging = await run('Emerging terms (detector)');
    expect(emerging.filter((row) => row.entity === 'initech').map((row) => String(row.term))).toContain('#recall');
    expect((await run('Trending terms (detector)')).map((row) => String(row.term))).toEqual(expect.arrayContaining(['acme', 'globex', 'initech']));
  }, 60_000);
});
