import path from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import type { AlertPayload } from '../../src/alerts/webhook.payload.js';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { generateDashboards } from '../../src/dashboards/generate-dashboards.js';
import type { PanelRequest } from '../../src/dashboards/testing/grafana-sql.js';
import { builtInGenerators, dashboardSources } from '../../src/domains/domains.js';
import { dashboardQueries, dashboardVariables, runDashboardQuery, shapeProblems } from '../utils/dashboard-queries.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedHealthTemplate, queryRows, settledCount, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const MINUTE = 60_000;
const T0 = Date.now() - 90 * MINUTE;
/** 40 minutes of a ward with two acute patients, at the demo's pace (about 7 readings a second). */
const EVENTS = 16_000;
const STEP_MS = 150;

function requestFor(fromMs: number, toMs: number): Omit<PanelRequest, 'variables'> {
  return { fromMs, toMs, intervalMs: MINUTE };
}

describe('the health dashboard against a simulated ward (real Kafka, real pipeline, embedded ClickHouse)', () => {
  let pipeline: RunningPipeline | undefined;
  let receiver: RecordingServer | undefined;
  let name: string;
  let dashboard: Dashboard;

  beforeAll(async () => {
    const template = await isolatedHealthTemplate();
    name = template.name;
    const generator = builtInGenerators().create('health', { seed: 7, params: { wards: 2, bedsPerWard: 20, acuteAtStart: 2, acuteRamp: '20m' } });
    const events = Array.from({ length: EVENTS }, (_, i) => generator.next(T0 + i * STEP_MS));
    const input = `${template.prefix}.observations`;
    await createTopic(input, 6);
    await produceWithKcat(input, events.map((event) => ({ key: event.key, value: JSON.stringify(event.value) })));
    receiver = await startRecordingServer((res) => {
      res.writeHead(200).end('ok');
    });
    pipeline = await startPipeline({
      templateFile: template.file,
      database: `${template.prefix}_dash`,
      services: ['detect', 'sink', 'notify'],
      env: { VIGIL_WEBHOOK_URL: receiver.url, VIGIL_WEBHOOK_SECRET: generateWebhookSecret(), VIGIL_PSEUDONYM_KEY: 'dashboards-test-pseudonym-key-7' },
    });
    const ch = pipeline.clickhouse;
    const core = pipeline.owned.core;
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM health_observations'), (r) => r[0]!.n >= EVENTS, 120_000, 'every reading stored');
    await eventually(() => core.metrics.total(core.metrics.processed), (n) => n >= EVENTS, 60_000, 'every reading through the detectors');
    await settledCount(ch, 'SELECT toUInt32(count()) AS n FROM alerts', 60_000, 'alerts stored');
    const generated = await generateDashboards(path.resolve('templates'), dashboardSources());
    dashboard = generated.find((g) => g.dashboard.uid === 'vigil-health')!.dashboard;
  }, 300_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.close();
  });

  it('every panel, annotation and variable query runs with All selected and returns rows of the shape its panel needs', async () => {
    const ch = pipeline!.clickhouse;
    const range = requestFor(T0 - 30 * MINUTE, Date.now() + 30 * MINUTE);
    const variables = await dashboardVariables(ch, dashboard, range, { template: { current: name } });
    const checked: string[] = [];
    for (const query of dashboardQueries(dashboard)) {
      const result = await runDashboardQuery(ch, query, { ...range, variables });
      expect({ panel: query.title, problems: shapeProblems(query.kind, result), empty: result.data.length === 0 }).toEqual({ panel: query.title, problems: [], empty: false });
      checked.push(query.title);
    }
    expect(checked.length).toBeGreaterThan(15);

    // The numbers are the run's: every reading counted once, every patient by pseudonym.
    const run = async (title: string) => (await runDashboardQuery(ch, dashboardQueries(dashboard).find((q) => q.title === title)!, { ...range, variables })).data;
    expect(Number((await run('Readings'))[0]!.readings)).toBe(EVENTS);
    const patients = await run('Patients by risk band and trend');
    const [stored] = await queryRows<{ n: number }>(ch, 'SELECT toUInt32(uniqExact(patient_id)) AS n FROM health_observations');
    expect(patients).toHaveLength(stored!.n);
    for (const row of patients) expect(row.patient).toMatch(/^ps_/);
    // The acute patients escalated to high: the band the ward sees first.
    expect(patients.filter((row) => row.risk_band === 'high').length).toBeGreaterThan(0);
    const points = await run('Readings and their NEWS2 points');
    expect(new Set(points.map((row) => row.points))).toEqual(new Set([0, 1, 2, 3]));
  }, 120_000);

  it("an alert's patient filters the timeline to that patient", async () => {
    const ch = pipeline!.clickhouse;
    const [alert] = await queryRows<{ entity: string }>(ch, "SELECT entity FROM alerts WHERE detector = 'news2' ORDER BY time LIMIT 1");
    expect(alert).toBeDefined();
    const range = requestFor(T0 - 30 * MINUTE, Date.now() + 30 * MINUTE);
    const variables = await dashboardVariables(ch, dashboard, range, { template: { current: name }, entity: { current: alert!.entity } });
    const readings = await runDashboardQuery(ch, dashboardQueries(dashboard).find((q) => q.title === 'Readings and their NEWS2 points')!, { ...range, variables });
    expect(readings.data.length).toBeGreaterThan(0);
    expect(new Set(readings.data.map((row) => row.patient))).toEqual(new Set([alert!.entity]));
    const reasons = await runDashboardQuery(ch, dashboardQueries(dashboard).find((q) => q.title === 'Alerts and why they fired')!, { ...range, variables });
    expect(new Set(reasons.data.map((row) => row.patient))).toEqual(new Set([alert!.entity]));
    // A NEWS2 alert is explained by its total and each parameter's points.
    const news2 = reasons.data.filter((row) => row.detector === 'news2');
    expect(news2.length).toBeGreaterThan(0);
    for (const row of news2) expect(row.values).toMatch(/(^|, )total \d+/);
  }, 60_000);

  it('says which ward each alert was raised on: alerts and findings rows, the webhook, the dashboard', async () => {
    const ch = pipeline!.clickhouse;
    // A patient's alerts and findings carry the ward of the patient's readings (a ward's own, its name).
    const wardOf = "(SELECT patient_id, argMax(ward, event_time) AS ward FROM health_observations GROUP BY patient_id)";
    for (const table of ['alerts', 'findings']) {
      const [row] = await queryRows<{ n: number; unlabelled: number; wrong: number }>(
        ch,
        `SELECT toUInt32(count()) AS n, toUInt32(countIf(r.labels['ward'] = '')) AS unlabelled,
           toUInt32(countIf(r.labels['ward'] != if(o.ward = '', r.entity, o.ward))) AS wrong
         FROM ${table} AS r LEFT JOIN ${wardOf} AS o ON o.patient_id = r.entity SETTINGS join_use_nulls = 0`,
      );
      expect({ table, ...row!, n: row!.n > 0 }).toEqual({ table, n: true, unlabelled: 0, wrong: 0 });
    }
    const sent = await eventually(async () => receiver!.requests.map((r) => JSON.parse(r.body) as AlertPayload), (p) => p.length > 0, 60_000, 'an alert delivered');
    for (const payload of sent) expect(payload.finding.labels?.ward).toMatch(/^ward-\d+$/);

    const [ward] = await queryRows<{ ward: string }>(ch, "SELECT labels['ward'] AS ward FROM alerts ORDER BY time LIMIT 1");
    const range = requestFor(T0 - 30 * MINUTE, Date.now() + 30 * MINUTE);
    const variables = await dashboardVariables(ch, dashboard, range, { template: { current: name }, ward: { current: ward!.ward } });
    const reasons = await runDashboardQuery(ch, dashboardQueries(dashboard).find((q) => q.title === 'Alerts and why they fired')!, { ...range, variables });
    expect(reasons.data.length).toBeGreaterThan(0);
    expect(new Set(reasons.data.map((row) => row.ward))).toEqual(new Set([ward!.ward]));
  }, 90_000);
});
