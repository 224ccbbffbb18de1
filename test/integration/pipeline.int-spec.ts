import { Webhook } from 'standardwebhooks';
import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { consumeWithKcat, createTopic, produceWithKcat } from '../utils/kafka.js';
import { expectingErrors } from '../utils/expected-errors.js';
import { eventually, isolatedFinanceTemplate, queryRows, setAlerting, startPipeline, type RunningPipeline } from '../utils/pipeline.js';
import { builtInGenerators } from '../../src/domains/domains.js';

const MINUTE = 60_000;
const T0 = Date.now() - 3 * 60 * MINUTE;

interface Tx {
  readonly id: string;
  readonly card: string;
  readonly time: number;
  readonly amount: number;
}

/** A payment in the user's shape, as the finance template's `from:` mapping expects it. */
function payment(tx: Tx): string {
  return JSON.stringify({
    transactionId: tx.id,
    timestamp: new Date(tx.time).toISOString(),
    customer: { id: `cus-${tx.card}` },
    card: { id: tx.card, present: true },
    merchant: { terminalId: 'term-1', mcc: '5411', country: 'BE' },
    amount: { value: tx.amount, currency: 'EUR' },
    channel: 'pos',
  });
}

/**
 * A known stream: 40 cards paying three times, 20 minutes apart (never suspicious), and 3 cards
 * paying 8 times in 4 minutes. The template's velocity rule (more than 6 in 10 minutes) must flag
 * exactly the 3 burst cards, once each.
 */
function knownStream(): { normal: Tx[]; bursts: Tx[] } {
  const normal: Tx[] = [];
  const bursts: Tx[] = [];
  for (let c = 0; c < 40; c++) {
    for (let i = 0; i < 3; i++) normal.push({ id: `n-${c}-${i}`, card: `card-n${c}`, time: T0 + c * 1000 + i * 20 * MINUTE, amount: 20 + c });
  }
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 8; i++) bursts.push({ id: `b-${c}-${i}`, card: `card-b${c}`, time: T0 + 30 * MINUTE + c * 1000 + i * 30_000, amount: 15 });
  }
  return { normal, bursts };
}

describe('finance template end to end (real Kafka broker, embedded ClickHouse, real HTTP receiver)', () => {
  let receiver: RecordingServer;
  let pipeline: RunningPipeline | undefined;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    receiver = await startRecordingServer((res) => {
      res.writeHead(200).end('ok');
    });
  });

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  afterAll(async () => {
    await receiver.close();
  });

  it('stores every valid event exactly, flags the bursts, dead-letters bad input and delivers signed webhooks', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    const { normal, bursts } = knownStream();
    const all = [...normal, ...bursts].sort((a, b) => a.time - b.time);
    await createTopic(`${prefix}.transactions`, 6);
    await produceWithKcat(`${prefix}.transactions`, [
      ...all.map((tx) => ({ key: tx.card, value: payment(tx) })),
      { key: 'card-x', value: '{not json' },
      { key: 'card-y', value: JSON.stringify({ transactionId: 'no-amount', timestamp: new Date(T0).toISOString(), customer: { id: 'c' }, card: { id: 'card-y' }, merchant: { terminalId: 't' } }) },
    ]);

    pipeline = await startPipeline({
      templateFile: file,
      database: `${prefix}_e2e`,
      services: ['detect', 'sink', 'notify', 'api'],
      env: { VIGIL_WEBHOOK_URL: receiver.url, VIGIL_WEBHOOK_SECRET: secret },
    });
    const ch = pipeline.clickhouse;

    const stored = await eventually(
      () => queryRows<{ n: string; ids: string }>(ch, `SELECT count() AS n, uniqExact(event_id) AS ids FROM finance_transactions`),
      (rows) => Number(rows[0]?.n) >= all.length,
      60_000,
      'all valid events in ClickHouse',
    );
    // 64-bit counts come back as numbers from chdb and as strings from a server: compare as numbers.
    expect([Number(stored[0]!.n), Number(stored[0]!.ids)]).toEqual([all.length, all.length]);
    const ids = await queryRows<{ event_id: string }>(ch, 'SELECT event_id FROM finance_transactions ORDER BY event_id');
    expect(ids.map((r) => r.event_id)).toEqual(all.map((tx) => tx.id).sort());
    const typed = await queryRows<Record<string, unknown>>(
      ch,
      `SELECT event_key, card_id, customer_id, amount, currency, toString(toUnixTimestamp64Milli(event_time)) AS ms FROM finance_transactions WHERE event_id = 'b-1-3'`,
    );
    expect(typed).toEqual([{ event_key: 'card-b1', card_id: 'card-b1', customer_id: 'cus-card-b1', amount: 15, currency: 'EUR', ms: String(T0 + 30 * MINUTE + 1000 + 3 * 30_000) }]);

    const findings = await eventually(
      () => queryRows<{ entity: string; detector: string; kind: string; count: number; trigger: string }>(
        ch,
        `SELECT entity, detector, kind, toUInt8(values['count']) AS count, trigger_event_id AS trigger FROM findings ORDER BY entity`,
      ),
      (rows) => rows.length >= 3,
      30_000,
      'three findings',
    );
    expect(findings).toEqual([0, 1, 2].map((c) => ({ entity: `card-b${c}`, detector: 'card_velocity', kind: 'velocity.count', count: 7, trigger: `b-${c}-6` })));

    await eventually(async () => receiver.requests.length, (n) => n >= 3, 30_000, 'three webhooks');
    expect(receiver.requests).toHaveLength(3);
    const webhook = new Webhook(secret);
    const entities = receiver.requests.map((request) => {
      const payload = webhook.verify(request.body, request.headers as Record<string, string>) as { id: string; finding: { entity: string; severity: string } };
      expect(request.headers['webhook-id']).toBe(payload.id);
      return payload.finding.entity;
    });
    expect(entities.sort()).toEqual(['card-b0', 'card-b1', 'card-b2']);
    const alerts = await eventually(() => queryRows<{ id: string }>(ch, 'SELECT id FROM alerts'), (rows) => rows.length >= 3, 30_000, 'alerts stored');
    expect(alerts.map((a) => a.id).sort()).toEqual(receiver.requests.map((r) => String(r.headers['webhook-id'])).sort());

    const dead = await eventually(() => consumeWithKcat(`${prefix}.transactions.dlq`, { count: 2, timeoutMs: 10_000 }), (r) => r.length >= 2, 30_000, 'two dead letters');
    expect(dead.map((d) => [d.key, d.headers['vigil-error-code']]).sort()).toEqual([
      ['card-x', 'VIGIL_EVENT_DECODE'],
      ['card-y', 'VIGIL_EVENT_SCHEMA'],
    ]);
    expect(dead.find((d) => d.key === 'card-y')?.headers['vigil-error-reason']).toBe('field amount (from "amount.value") is required');
    expect(dead.every((d) => d.headers['vigil-source-topic'] === `${prefix}.transactions`)).toBe(true);

    const api = pipeline.stages.apiUrl!;
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' }, clickhouse: { status: 'up' } } });
    // Dead letters and findings can be in before every partition's events are counted: wait.
    const core = pipeline.owned.core;
    await eventually(() => core.metrics.total(core.metrics.processed), (n) => n >= all.length, 30_000, 'every event processed');
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`vigil_events_processed_total\\{template="${name}"\\} ${all.length}`));
    expect(metrics).toMatch(/vigil_webhook_deliveries_total\{receiver="ops",reason="ok"\} 3/);
    const query = await fetch(`${api}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT toString(count()) AS n FROM findings' }) });
    expect(await query.json()).toEqual({ format: 'JSONEachRow', rows: [{ n: '3' }], truncated: false });
    const refused = await fetch(`${api}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'DROP TABLE findings' }) });
    expect(refused.status).toBe(400);
  }, 120_000);

  it('stopped mid-stream and restarted, it stores every event exactly once', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const generator = builtInGenerators().create('finance', { seed: 7, params: { customers: 2000, terminals: 500 } });
    const total = 20_000;
    const lines = Array.from({ length: total }, (_, i) => {
      const event = generator.next(T0 + i * 50);
      return { key: event.key, value: JSON.stringify(event.value) };
    });
    await createTopic(`${prefix}.transactions`, 6);
    await produceWithKcat(`${prefix}.transactions`, lines);
    const options = {
      templateFile: file,
      database: `${prefix}_restart`,
      services: ['detect', 'sink'] as const,
      // Small inserts, so the stop lands between many of them.
      env: { VIGIL_SINK_BATCH_ROWS: '300' },
    };
    const count = (p: RunningPipeline) =>
      queryRows<{ n: number; ids: number }>(p.clickhouse, 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(event_id)) AS ids FROM finance_transactions').then((r) => r[0]!);

    pipeline = await startPipeline(options);
    const first = pipeline;
    const atStop = await eventually(() => count(first), (c) => c.n > 0, 60_000, 'the first rows');
    await pipeline.stop();
    pipeline = undefined;
    expect(atStop.n).toBeLessThan(total);

    pipeline = await startPipeline(options);
    const second = pipeline;
    const final = await eventually(() => count(second), (c) => c.n >= total, 90_000, 'all rows after the restart');
    // On failure, show where the twice-stored events came from (partition, offsets, parts).
    const twice = final.ids === total ? [] : await queryRows(second.clickhouse, `SELECT event_id, groupArray(_partition) AS partitions, groupArray(_offset) AS offsets, groupArray(_part) AS parts, groupArray(toString(inserted_at)) AS at FROM finance_transactions GROUP BY event_id HAVING count() > 1 LIMIT 5`);
    expect({ ...final, twice }).toEqual({ n: total, ids: total, twice: [] });
    const findings = await queryRows<{ n: number; ids: number }>(second.clickhouse, 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(id)) AS ids FROM findings');
    expect(findings[0]!.n).toBe(findings[0]!.ids);
  }, 180_000);

  it('retries a failing receiver and dead-letters what it never accepts, losing no alert', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const { bursts } = knownStream();
    // Receiver 1 fails twice, then accepts; the dead receiver never answers 2xx.
    const flaky = await startRecordingServer((res, _request, index) => {
      res.writeHead(index < 2 ? 500 : 200).end();
    });
    const dead = await startRecordingServer((res) => {
      res.writeHead(503).end();
    });
    await setAlerting(file, {
      receivers: [
        `{ name: flaky, type: webhook, url: "${flaky.url}", secret: "${secret}", maxAttempts: 5 }`,
        // retryFor 0s: no waiting for it to come back, dead-lettered once its retries are spent.
        `{ name: dead, type: webhook, url: "${dead.url}", secret: "${secret}", maxAttempts: 2, retryFor: 0s }`,
      ],
      routes: ['receiver: flaky', 'receiver: dead'],
    });
    await createTopic(`${prefix}.transactions`, 6);
    await produceWithKcat(`${prefix}.transactions`, bursts.filter((tx) => tx.card === 'card-b0').map((tx) => ({ key: tx.card, value: payment(tx) })));
    const log = expectingErrors([/^alert not delivered; dead-lettered$/]);
    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_retry`, services: ['detect', 'sink', 'notify'], logger: log.logger });
    try {
      // kcat stops at the end of the partition, so ask until the dead letter is there.
      const dlq = await eventually(() => consumeWithKcat(`${prefix}.alerts.dlq`, { count: 1, timeoutMs: 10_000 }), (r) => r.length > 0, 60_000, 'a dead-lettered alert');
      expect(dlq).toHaveLength(1);
      expect(dlq[0]!.headers).toMatchObject({ 'vigil-error-code': 'VIGIL_WEBHOOK_DELIVERY', 'vigil-receiver': 'dead', 'vigil-attempts': '2' });
      expect(dlq[0]!.headers['vigil-error-reason']).toMatch(/^http_5xx: /);
      await eventually(async () => flaky.requests.length, (n) => n >= 3, 30_000, 'the flaky receiver to accept');
      const ids = new Set(flaky.requests.map((r) => r.headers['webhook-id']));
      expect(ids.size).toBe(1);
      expect(JSON.parse(dlq[0]!.value!)).toMatchObject({ id: [...ids][0] });
      expect(dead.requests).toHaveLength(2);
      await eventually(async () => log.errors.length, (n) => n >= 1, 10_000, 'the dead letter logged');
      expect(log.errors).toEqual([expect.objectContaining({ alert: [...ids][0], receiver: 'dead', attempts: 2, reason: 'http_5xx' })]);
      // The sink stores the dead letter too, once, with why and where from (dashboards read it there).
      const ch = pipeline.clickhouse;
      const stored = await eventually(
        () => queryRows<{ code: string; reason: string; source_topic: string; receiver: string; value: string }>(
          ch,
          "SELECT code, reason, source_topic, headers['vigil-receiver'] AS receiver, value FROM dead_letters",
        ),
        (rows) => rows.length > 0,
        30_000,
        'the dead letter stored',
      );
      expect(stored).toEqual([{ code: 'VIGIL_WEBHOOK_DELIVERY', reason: dlq[0]!.headers['vigil-error-reason'], source_topic: `${prefix}.alerts`, receiver: 'dead', value: dlq[0]!.value }]);
    } finally {
      await flaky.close();
      await dead.close();
    }
  }, 120_000);
});
