import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { stageTopics } from '../../src/model/topics.js';
import { generateDashboards } from '../../src/dashboards/generate-dashboards.js';
import type { PanelRequest, VariableState } from '../../src/dashboards/testing/grafana-sql.js';
import { LabelQueue } from '../../src/runtime/label-queue.js';
import type { GeneratedEvent } from '../../src/simulate/generator.js';
import { labelMessage } from '../../src/simulate/simulate-to-kafka.js';
import { dashboardQueries, dashboardVariables, runDashboardQuery, shapeProblems } from '../utils/dashboard-queries.js';
import { createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { CHDB_DIR, eventually, isolatedFinanceTemplate, queryRows, settledCount, startPipeline, type RunningPipeline } from '../utils/pipeline.js';
import { builtInGenerators, dashboardSources } from '../../src/domains/domains.js';

const run = promisify(execFile);

/** Panels that show trouble only: empty in this healthy run, given rows on purpose at the end. */
const WAITING_PANEL = 'vigil-overview / Alerts waiting for their receiver';
const EMPTY_WHEN_HEALTHY = [WAITING_PANEL];

const MINUTE = 60_000;
const T0 = Date.now() - 2 * 60 * MINUTE;
const EVENTS = 5_000;
const LATE = 3;
/** Input the detect stage refuses (not JSON, not an object, missing required fields): dead-lettered. */
const MALFORMED = ['{"transactionId": oops', '[1, 2, 3]', '{"transactionId": "tx-malformed", "amount": 12}'];

/**
 * The labels `vigil simulate` would have sent to the feedback topic by the end of the run: each
 * once event time reaches its `labelled_at` (simulate-to-kafka.ts), so the last few minutes'
 * labels are still pending and not sent.
 */
function dueLabels(feedbackTopic: string, events: readonly { time: number; event: GeneratedEvent }[]): { key: string; value: string }[] {
  const queue = new LabelQueue();
  const sent: { key: string; value: string }[] = [];
  let now = -Infinity;
  for (const { time, event } of events) {
    if (event.feedback) queue.push(event.feedback);
    now = Math.max(now, time);
    queue.popUntil(now, (label) => {
      const message = labelMessage(feedbackTopic, label);
      sent.push({ key: String(message.key), value: String(message.value) });
    });
  }
  return sent;
}

/**
 * `vigil backtest --topic --store` over the run's input topic (labels from each payment's `_label`),
 * as its own process. chdb locks its data directory per process, so it runs before the pipeline
 * opens the same directory.
 */
async function backtestTopic(templateFile: string, database: string): Promise<string> {
  // Embedded: the test's own data directory and database, never a server from the environment.
  const { CLICKHOUSE_URL: _server, ...env } = process.env;
  const { stdout } = await run(
    process.execPath,
    [path.resolve('bin/vigil.js'), 'backtest', '-t', templateFile, '--topic', '--labels', '_label.fraud', '--scenario', '_label.scenario', '--feedback-delay', '2m', '--store'],
    {
      env: { ...env, KAFKA_BROKERS: testBrokers().join(','), VIGIL_DATA_DIR: CHDB_DIR, CLICKHOUSE_DATABASE: database, VIGIL_LOG_LEVEL: 'warn' },
      timeout: 120_000,
    },
  );
  return stdout;
}

/** Panels are checked under the range and interval Grafana would send for this run. */
function requestFor(fromMs: number, toMs: number): Omit<PanelRequest, 'variables'> {
  return { fromMs, toMs, intervalMs: MINUTE };
}

/** An alert's dashboard link as the contract defines it (issue-5 builds it in the notifier). */
function alertLink(template: string, alert: { entity: string; detector: string; window_start: number; window_end: number }): string {
  return `http://localhost:3000/d/vigil-${template}?var-entity=${encodeURIComponent(alert.entity)}&var-detector=${encodeURIComponent(alert.detector)}&from=${alert.window_start - 15 * MINUTE}&to=${alert.window_end + 15 * MINUTE}`;
}

describe('dashboards against a simulated finance run (real Kafka, real pipeline, embedded ClickHouse, real HTTP receiver)', () => {
  let pipeline: RunningPipeline | undefined;
  let receiver: RecordingServer | undefined;
  let name: string;
  let dashboards: Map<string, Dashboard>;
  let input: string;
  let labelsSent: number;
  let backtestRun: string | undefined;

  beforeAll(async () => {
    const template = await isolatedFinanceTemplate();
    name = template.name;
    const database = `${template.prefix}_dash`;
    // Labels minutes (not days) after their payment, so most of them come due within the run.
    const generator = builtInGenerators().create('finance', {
      seed: 11,
      params: { customers: 3000, terminals: 400, burstProbability: 0.01, fraudLabelDelay: '2m', genuineLabelDelay: '5m' },
    });
    const timed = (time: number) => ({ time, event: generator.next(time) });
    const lines = Array.from({ length: EVENTS }, (_, i) => timed(T0 + i * 200));
    // A few payments an hour behind everything else: late for every partition's watermark.
    const late = Array.from({ length: LATE }, (_, i) => timed(T0 - 60 * MINUTE + i));
    const all = [...lines, ...late];
    input = `${template.prefix}.transactions`;
    const feedback = `${template.prefix}.feedback`;
    await createTopic(input, 6);
    await createTopic(feedback, 6);
    await produceWithKcat(input, all.map(({ event }) => ({ key: event.key, value: JSON.stringify(event.value) })));
    await produceWithKcat(input, MALFORMED.map((value, i) => ({ key: `bad-${i}`, value })));
    const labels = dueLabels(feedback, all);
    labelsSent = labels.length;
    await produceWithKcat(feedback, labels);
    backtestRun = /^backtest_metrics: \d+ rows for run (\S+)$/m.exec(await backtestTopic(template.file, database))?.[1];

    receiver = await startRecordingServer((res) => {
      res.writeHead(200).end('ok');
    });
    // A short lag sample interval, so samples are taken while the run is consumed and after it.
    pipeline = await startPipeline({
      templateFile: template.file,
      database,
      services: ['detect', 'sink', 'notify', 'api'],
      env: { VIGIL_LAG_SAMPLE_MS: '300', VIGIL_WEBHOOK_URL: receiver.url, VIGIL_WEBHOOK_SECRET: generateWebhookSecret() },
    });
    const ch = pipeline.clickhouse;
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM finance_transactions'), (r) => r[0]!.n >= all.length, 90_000, 'every event stored');
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM late_events'), (r) => r[0]!.n >= LATE, 30_000, 'late events stored');
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM dead_letters'), (r) => r[0]!.n >= MALFORMED.length, 30_000, 'dead letters stored');
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM fraud_labels'), (r) => r[0]!.n >= labelsSent, 30_000, 'labels stored');
    // A change through the API, for the audit panel (a silence matching no alert of this run).
    const silence = { matchers: [{ name: 'entity', value: 'nobody' }], starts_at: '2000-01-01T00:00:00Z', ends_at: '2000-01-02T00:00:00Z', comment: 'dashboards test' };
    const created = await fetch(`${pipeline.stages.apiUrl!}/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(silence) });
    expect(created.status).toBe(201);
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM audit_log'), (r) => r[0]!.n >= 1, 30_000, 'the API change audited');
    await eventually(() => queryRows<{ n: number }>(ch, 'SELECT toUInt32(uniqExact(time)) AS n FROM consumer_lag'), (r) => r[0]!.n >= 2, 30_000, 'consumer lag sampled');
    const core = pipeline.owned.core;
    await eventually(() => core.metrics.total(core.metrics.processed), (n) => n >= EVENTS, 60_000, 'every event through the detectors');
    // Findings trail the processed count by one sink flush: wait until the count stops moving.
    await settledCount(ch, 'SELECT toUInt32(count()) AS n FROM alerts', 30_000, 'alerts stored');
    // Every stored alert's attempt that ended it (delivered, here) logged by notify and stored by the sink.
    await eventually(
      () => queryRows<{ n: number }>(ch, "SELECT toUInt32(count()) AS n FROM alerts WHERE id NOT IN (SELECT alert_id FROM alert_deliveries WHERE outcome != 'retrying')"),
      (r) => r[0]!.n === 0,
      60_000,
      'every alert delivered and logged',
    );
    dashboards = new Map((await generateDashboards(path.resolve('templates'), dashboardSources())).map((g) => [g.dashboard.uid!, g.dashboard]));
  }, 240_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.close();
  });

  it('every panel, annotation and variable query runs with All selected and returns rows of the shape its panel needs', async () => {
    const ch = pipeline!.clickhouse;
    const range = requestFor(T0 - 2 * 60 * MINUTE, Date.now() + 60 * MINUTE);
    const checked: string[] = [];
    // The health and social dashboards read readings and posts, which this finance run has none of:
    // their panels are checked against runs of their own (health-dashboards.int-spec.ts,
    // social-dashboard.int-spec.ts).
    for (const dashboard of [...dashboards.values()].filter((d) => d.uid !== 'vigil-social' && d.uid !== 'vigil-health')) {
      const pinned: Record<string, VariableState> = dashboard.uid === 'vigil-overview' ? {} : { template: { current: name } };
      const variables = await dashboardVariables(ch, dashboard, range, pinned);
      for (const query of dashboardQueries(dashboard)) {
        const result = await runDashboardQuery(ch, query, { ...range, variables });
        // In a healthy run nothing waits; the last test makes that panel show rows.
        const emptyWhenHealthy = EMPTY_WHEN_HEALTHY.includes(`${query.dashboard} / ${query.title}`);
        expect({ panel: `${query.dashboard} / ${query.title}`, problems: shapeProblems(query.kind, result), empty: result.data.length === 0 }).toEqual({
          panel: `${query.dashboard} / ${query.title}`,
          problems: [],
          empty: emptyWhenHealthy,
        });
        checked.push(`${query.dashboard} / ${query.title}`);
      }
    }
    expect(checked.length).toBeGreaterThan(25);

    // The numbers are the run's, not just any rows: every stored payment is counted once.
    const finance = dashboards.get('vigil-finance')!;
    const financeVariables = await dashboardVariables(ch, finance, range, { template: { current: name } });
    const transactions = dashboardQueries(finance).find((q) => q.kind === 'stat' && q.title === 'Transactions')!;
    const stat = await runDashboardQuery(ch, transactions, { ...range, variables: financeVariables });
    expect(Number(stat.data[0]!.transactions)).toBe(EVENTS + LATE);
    const overview = dashboards.get('vigil-overview')!;
    const overviewVariables = await dashboardVariables(ch, overview, range, {});
    expect(overviewVariables.template!.options).toEqual([name]);
    const events = await runDashboardQuery(ch, dashboardQueries(overview).find((q) => q.title === 'Events')!, { ...range, variables: overviewVariables });
    expect(Number(events.data[0]!.events)).toBe(EVENTS + LATE);
    // The receiver accepted every webhook: each alert's delivery logged as delivered.
    const delivered = await runDashboardQuery(ch, dashboardQueries(overview).find((q) => q.title === 'Alerts delivered')!, { ...range, variables: overviewVariables });
    expect(Number(delivered.data[0]!.delivered_pct)).toBe(100);
    const [alerts] = await queryRows<{ n: number }>(ch, 'SELECT toUInt32(count()) AS n FROM alerts');
    expect(receiver!.requests).toHaveLength(alerts!.n);
    // Every label sent to the feedback topic stored once; the risk score's findings are the detector's own.
    const [labels] = await queryRows<{ rows: number; ids: number }>(ch, 'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(event_id)) AS ids FROM fraud_labels');
    expect(labels).toEqual({ rows: labelsSent, ids: labelsSent });
    const [risk] = await queryRows<{ detectors: string[] }>(ch, "SELECT groupUniqArray(detector) AS detectors FROM findings WHERE detector_type = 'risk_score'");
    expect(risk!.detectors).toEqual(['risk']);
    const backtest = await runDashboardQuery(ch, dashboardQueries(finance).find((q) => q.title === 'Backtest (latest run, whole period)')!, { ...range, variables: financeVariables });
    expect(backtestRun).toBeDefined();
    expect(new Set(backtest.data.map((row) => row.run))).toEqual(new Set([backtestRun]));
    expect(backtest.data.map((row) => row.scored_by)).toContain('(combined risk score)');
  }, 120_000);

  it('the overview shows each malformed event dead-lettered once, with its source, and consumer lag sampled from Kafka', async () => {
    const ch = pipeline!.clickhouse;
    const overview = dashboards.get('vigil-overview')!;
    const range = requestFor(T0 - 2 * 60 * MINUTE, Date.now() + 60 * MINUTE);
    const variables = await dashboardVariables(ch, overview, range, {});
    const run = async (title: string) => (await runDashboardQuery(ch, dashboardQueries(overview).find((q) => q.title === title)!, { ...range, variables })).data;

    expect(Number((await run('Dead-lettered'))[0]!.dead_lettered)).toBe(MALFORMED.length);
    const latest = await run('Latest dead letters');
    expect(latest.map((row) => row.value).sort()).toEqual([...MALFORMED].sort());
    for (const row of latest) {
      expect(row).toMatchObject({ template: name, source_topic: input, code: expect.stringMatching(/^VIGIL_EVENT_/), reason: expect.any(String) });
      expect(String(row.reason).length).toBeGreaterThan(0);
    }
    // Each names a distinct input message that the events table lacks.
    const [sources] = await queryRows<{ distinct: number; stored: number }>(
      ch,
      `SELECT toUInt32(uniqExact(source_partition, source_offset)) AS distinct,
         toUInt32(countIf((source_partition, source_offset) IN (SELECT _partition, _offset FROM finance_transactions))) AS stored
       FROM dead_letters`,
    );
    expect(sources).toEqual({ distinct: MALFORMED.length, stored: 0 });
    const perTemplate = await run('Per template');
    expect(Number(perTemplate.find((row) => row.template === name)!.dead_lettered)).toBe(MALFORMED.length);

    // Lag: once everything is stored, a later sample shows every stage caught up on every topic,
    // transactional ones included (the sink and notify commit past the transaction markers), and the input's
    // end offsets are the messages produced.
    const lagStat = dashboardQueries(overview).find((q) => q.title === 'Consumer lag (latest sample)')!;
    const latestLag = async () => Number((await runDashboardQuery(ch, lagStat, { ...range, toMs: Date.now() + MINUTE, variables })).data[0]!.lag);
    await eventually(latestLag, (lag) => lag === 0, 30_000, 'a sample with every stage caught up');
    const inputLag = async () =>
      queryRows<{ stage: string; end: number; lag: number; partitions: number }>(
        ch,
        `SELECT stage, toUInt32(sum(end_offset)) AS end, toUInt32(sum(lag)) AS lag, toUInt32(count()) AS partitions FROM consumer_lag
         WHERE topic = '${input}' AND (stage, time) IN (SELECT stage, max(time) FROM consumer_lag GROUP BY stage) GROUP BY stage ORDER BY stage`,
      );
    const produced = EVENTS + LATE + MALFORMED.length;
    expect(await inputLag()).toEqual([
      { stage: 'detect', end: produced, lag: 0, partitions: 6 },
      { stage: 'sink', end: produced, lag: 0, partitions: 6 },
    ]);
    const [consistent] = await queryRows<{ bad: number }>(
      ch,
      'SELECT toUInt32(countIf(lag != end_offset - if(committed_offset < 0, 0, committed_offset) OR committed_offset > end_offset)) AS bad FROM consumer_lag',
    );
    expect(consistent!.bad).toBe(0);
    const [sinkTopics] = await queryRows<{ topics: string[] }>(ch, "SELECT arraySort(groupUniqArray(topic)) AS topics FROM consumer_lag WHERE stage = 'sink'");
    expect(sinkTopics!.topics).toEqual([...stageTopics(pipeline!.owned.core.template).sink].sort());
    const series = await run('Consumer lag by stage');
    expect(new Set(series.map((row) => row.series))).toEqual(new Set([`${name} detect`, `${name} sink`, `${name} notify`]));
    const gauge = await pipeline!.owned.core.metrics.consumerGroupLag.get();
    expect(gauge.values.filter((v) => v.labels.stage === 'detect' && v.labels.topic === input)).toHaveLength(6);
  }, 60_000);

  it("an alert's dashboard link opens the finance dashboard filtered to its entity, detector and time", async () => {
    const ch = pipeline!.clickhouse;
    const [alert] = await queryRows<{ id: string; entity: string; detector: string; window_start: number; window_end: number; values: Record<string, number> }>(
      ch,
      `SELECT id, entity, detector, JSONExtractInt(finding, 'window_start') AS window_start, JSONExtractInt(finding, 'window_end') AS window_end,
         JSONExtract(finding, 'values', 'Map(String, Float64)') AS values
       FROM alerts WHERE detector = 'card_velocity' ORDER BY id LIMIT 1`,
    );
    const link = new URL(alertLink(name, alert!));
    expect(link.pathname).toBe(`/d/vigil-${name}`);
    const dashboard = dashboards.get('vigil-finance')!;
    const range = requestFor(Number(link.searchParams.get('from')), Number(link.searchParams.get('to')));
    const variables = await dashboardVariables(ch, dashboard, range, {
      template: { current: name },
      entity: { current: link.searchParams.get('var-entity')! },
      detector: { current: [link.searchParams.get('var-detector')!] },
    });
    const results = new Map<string, Awaited<ReturnType<typeof runDashboardQuery>>>();
    for (const query of dashboardQueries(dashboard)) {
      const result = await runDashboardQuery(ch, query, { ...range, variables });
      if (result.data.length > 0) expect({ panel: query.title, problems: shapeProblems(query.kind, result) }).toEqual({ panel: query.title, problems: [] });
      results.set(`${query.kind}:${query.title}`, result);
    }
    const explained = results.get('table:Alerts and why they fired')!.data;
    expect(explained.map((row) => row.alert_id)).toContain(alert!.id);
    expect(new Set(explained.map((row) => row.entity))).toEqual(new Set([alert!.entity]));
    // Largest value first: the velocity detector compares the count and the amount.
    const values = Object.entries(alert!.values).sort(([, a], [, b]) => b - a);
    expect(explained.find((row) => row.alert_id === alert!.id)!.explanation).toBe(values.map(([k, v]) => `${k} ${Math.round(v * 1000) / 1000}`).join(', '));
    expect(new Set(results.get('table:Top risky cards')!.data.map((row) => row.card))).toEqual(new Set([alert!.entity]));
    const [expected] = await queryRows<{ n: number }>(
      ch,
      `SELECT toUInt32(count()) AS n FROM finance_transactions WHERE card_id = '${alert!.entity}'
       AND event_time >= toDateTime(${Math.floor(range.fromMs / 1000)}) AND event_time <= toDateTime(${Math.floor(range.toMs / 1000)})`,
    );
    expect(expected!.n).toBeGreaterThan(6);
    expect(Number(results.get('stat:Transactions')!.data[0]!.transactions)).toBe(expected!.n);
  }, 60_000);

  it('the overview lists an alert whose latest attempt is waiting, and drops it once delivered', async () => {
    const ch = pipeline!.clickhouse;
    const overview = dashboards.get('vigil-overview')!;
    const query = dashboardQueries(overview).find((q) => `${q.dashboard} / ${q.title}` === WAITING_PANEL)!;
    const range = requestFor(T0 - 2 * 60 * MINUTE, Date.now() + 60 * MINUTE);
    const variables = await dashboardVariables(ch, overview, range, {});
    const now = Date.now();
    const attempt = (outcome: string, at: number, n: number) => ({
      time: at, alert_id: 'waiting-probe', fingerprint: 'fp', template: name, detector: 'card_velocity', entity: 'card-w', severity: 'high',
      receiver: 'ops', receiver_type: 'webhook', attempt: n, outcome, http_status: 0, latency_ms: 0, error: 'connect ECONNREFUSED',
    });
    const insert = (rows: object[]) => ch.insert({ table: 'alert_deliveries', values: rows, format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort' } });
    await insert([attempt('retrying', now - 2_000, 1), attempt('waiting', now - 1_000, 2)]);
    const waiting = await runDashboardQuery(ch, query, { ...range, variables });
    expect(shapeProblems(query.kind, waiting)).toEqual([]);
    expect(waiting.data.map((row) => ({ template: row.template, receiver: row.receiver, waiting: Number(row.waiting) }))).toEqual([{ template: name, receiver: 'ops', waiting: 1 }]);
    await insert([{ ...attempt('delivered', now, 3), http_status: 200, error: '' }]);
    expect((await runDashboardQuery(ch, query, { ...range, variables })).data).toEqual([]);
  }, 60_000);
});
