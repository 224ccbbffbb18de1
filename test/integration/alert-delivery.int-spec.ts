import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { startRecordingServer } from '../../src/alerts/testing/recording-server.js';
import { generateWebhookSecret } from '../../src/alerts/webhook.secret.js';
import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import { replayDeadLetters } from '../../src/kafka/dead-letter-replay.js';
import { expectingErrors } from '../utils/expected-errors.js';
import { consumeWithKcat, createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { OutageReceiver } from '../utils/outage-receiver.js';
import { eventually, isolatedFinanceTemplate, queryRows, setAlerting, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const MINUTE = 60_000;
const T0 = Date.now() - 2 * 60 * MINUTE;

/** Eight payments of one card within 4 minutes: the finance velocity rule (more than 6 in 10m) fires once. */
function burst(card: string, offset: number): { time: number; key: string; value: string }[] {
  return Array.from({ length: 8 }, (_, i) => ({
    time: T0 + offset + i * 30_000,
    key: card,
    value: JSON.stringify({
      transactionId: `${card}-${i}`,
      timestamp: new Date(T0 + offset + i * 30_000).toISOString(),
      customer: { id: `cus-${card}` },
      card: { id: card, present: true },
      merchant: { terminalId: 'term-1' },
      amount: { value: 15, currency: 'EUR' },
    }),
  }));
}

interface DeliveryRow {
  alert_id: string;
  receiver: string;
  receiver_type: string;
  attempt: number;
  outcome: string;
  http_status: number;
  error: string;
}

/** Six alerts of one entity, written straight to the alerts topic. */
function isolationAlerts(name: string) {
  return Array.from({ length: 6 }, (_, i) => ({
    id: `iso-${i}`,
    fingerprint: `fp-${i}`,
    template: name,
    created_at: T0,
    finding: {
      id: `f-${i}`, template: name, detector: 'card_velocity', detector_type: 'velocity', detector_version: '1', entity: 'card-iso', severity: 'high',
      kind: 'velocity.count', title: 'burst', score: 1, time: T0 + i, window_start: T0, window_end: T0 + i, values: {}, thresholds: {}, event_ids: [], trigger_event_id: '',
    },
  }));
}

describe('alert delivery through an outage (real Kafka broker, embedded ClickHouse, real HTTP receiver)', () => {
  let pipeline: RunningPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  }, 60_000);

  it('delivers every alert once, signed with both rotating secrets, and logs every attempt in alert_deliveries', async () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    // After the outage: a 500, a 429 asking for 1 s, a request that never gets an answer, then 200s.
    const receiver = new OutageReceiver([{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }, 'hang']);
    await receiver.up();
    await receiver.down();

    const { file, prefix } = await isolatedFinanceTemplate();
    await setAlerting(file, {
      receivers: [
        `{ name: ops, type: webhook, url: "${receiver.url}", secrets: ["${newSecret}", "${oldSecret}"], timeout: 500ms, maxAttempts: 40, backoff: { initial: 100ms, max: 1s }, breaker: { failures: 3, cooldown: 1s, whenOpen: wait } }`,
      ],
      routes: ['receiver: ops'],
    });
    await createTopic(`${prefix}.transactions`, 6);
    const cards = ['card-a', 'card-b', 'card-c'];
    // In event-time order: a card's burst produced after another's later events would be late.
    const events = cards.flatMap((card, index) => burst(card, index * 1000)).sort((a, b) => a.time - b.time);
    await produceWithKcat(`${prefix}.transactions`, events.map(({ key, value }) => ({ key, value })));

    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_delivery`, services: ['detect', 'sink', 'notify'] });
    try {
      // Down long enough for the breaker to open, then back.
      await sleep(3_000);
      await receiver.up();
      await eventually(async () => receiver.accepted.length, (n) => n >= 3, 40_000, 'three alerts accepted').catch(async (e) => {
        console.log(JSON.stringify(await queryRows(pipeline!.clickhouse, 'SELECT alert_id, attempt, outcome, http_status, error, time FROM alert_deliveries ORDER BY time')));
        console.log(JSON.stringify(await queryRows(pipeline!.clickhouse, 'SELECT id, entity FROM alerts')));
        console.log(JSON.stringify(await queryRows(pipeline!.clickhouse, 'SELECT entity FROM findings')));
        throw e;
      });
      const entities = receiver.accepted.map((request) => {
        // The reference implementation, once per secret: receivers on either side of the rotation accept.
        const old = new Webhook(oldSecret).verify(request.body, request.headers as Record<string, string>) as { id: string; finding: { entity: string } };
        const next = new Webhook(newSecret).verify(request.body, request.headers as Record<string, string>) as { id: string };
        expect(next.id).toBe(old.id);
        expect(request.headers['webhook-id']).toBe(old.id);
        return old.finding.entity;
      });
      expect(entities.sort()).toEqual(cards);
      expect(String(receiver.accepted[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);

      const ch = pipeline.clickhouse;
      const ids = receiver.accepted.map((request) => String(request.headers['webhook-id'])).sort();
      const rows = await eventually(
        () =>
          queryRows<DeliveryRow>(
            ch,
            'SELECT alert_id, receiver, receiver_type, attempt, outcome, http_status, error FROM alert_deliveries ORDER BY alert_id, attempt',
          ),
        (r) => r.filter((row) => row.outcome === 'delivered').length >= 3,
        60_000,
        'three delivered rows in alert_deliveries',
      );
      expect([...new Set(rows.map((row) => row.alert_id))]).toEqual(ids);
      for (const id of ids) {
        const attempts = rows.filter((row) => row.alert_id === id);
        // Attempts numbered 1..n without gaps or repeats, only the last one delivered.
        expect(attempts.map((row) => row.attempt)).toEqual(attempts.map((_, index) => index + 1));
        expect(attempts.map((row) => row.outcome)).toEqual([...attempts.slice(1).map(() => 'retrying'), 'delivered']);
        expect(attempts.at(-1)).toMatchObject({ receiver: 'ops', receiver_type: 'webhook', http_status: 200, error: '' });
      }
      const failures = rows.filter((row) => row.outcome === 'retrying');
      expect(failures.some((row) => row.http_status === 0 && /ECONNREFUSED/.test(row.error))).toBe(true);
      expect(failures.some((row) => row.http_status === 0 && /^circuit open/.test(row.error))).toBe(true);
      expect(failures.some((row) => row.http_status === 500)).toBe(true);
      expect(failures.some((row) => row.http_status === 429)).toBe(true);
      expect(failures.some((row) => row.http_status === 0 && /^timed out after 500ms/.test(row.error))).toBe(true);
    } finally {
      await receiver.down();
    }
  }, 180_000);

  it('a dead receiver does not hold back the others: once its circuit opens its alerts wait, and arrive by themselves in order when it is back', async () => {
    const dead = new OutageReceiver();
    await dead.up();
    await dead.down();
    const live = await startRecordingServer((res) => res.writeHead(200).end());
    const { file, prefix, name } = await isolatedFinanceTemplate();
    await setAlerting(file, {
      receivers: [
        `{ name: dead, type: webhook, url: "${dead.url}", maxAttempts: 3, backoff: { initial: 10ms, max: 20ms }, breaker: { failures: 2, cooldown: 2s } }`,
        `{ name: live, type: webhook, url: "${live.url}" }`,
      ],
      routes: ['receiver: dead', 'receiver: live'],
    });
    await createTopic(`${prefix}.alerts`, 6);
    const alerts = isolationAlerts(name);
    // One entity: one partition, handled in order.
    await produceWithKcat(`${prefix}.alerts`, alerts.map((a) => ({ key: 'card-iso', value: JSON.stringify(a) })));
    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_isolation`, services: ['notify'] });
    try {
      await eventually(async () => live.requests.length, (n) => n >= 6, 60_000, 'every alert at the live receiver');
      // Every alert for the dead receiver waits on the retry topic, none is dead-lettered.
      const waiting = await eventually(() => consumeWithKcat(`${prefix}.alerts.retry`, { count: 6, timeoutMs: 10_000 }), (r) => r.length >= 6, 60_000, 'six waiting alerts');
      expect(waiting.map((w) => [JSON.parse(w.value!).id, w.headers['vigil-receiver']])).toEqual(alerts.map((a) => [a.id, 'dead']));
      expect(dead.accepted).toHaveLength(0);

      await dead.up();
      await eventually(async () => dead.accepted.length, (n) => n >= 6, 60_000, 'the waiting alerts at the recovered receiver, with no manual step');
      expect(dead.accepted.map((r) => r.headers['webhook-id'])).toEqual(alerts.map((a) => a.id));
      expect(await consumeWithKcat(`${prefix}.alerts.dlq`, { count: 1, timeoutMs: 5_000 })).toHaveLength(0);
      expect(new Set(live.requests.map((r) => r.headers['webhook-id'])).size).toBe(6);
    } finally {
      await dead.down();
      await live.close();
    }
  }, 180_000);

  it('an alert still waiting when its retry budget is spent is dead-lettered, and `vigil alerts replay` sends it once the receiver is back', async () => {
    const dead = new OutageReceiver();
    await dead.up();
    await dead.down();
    const { file, prefix, name } = await isolatedFinanceTemplate();
    await setAlerting(file, {
      receivers: [`{ name: dead, type: webhook, url: "${dead.url}", maxAttempts: 3, retryFor: 3s, backoff: { initial: 10ms, max: 20ms }, breaker: { failures: 2, cooldown: 1s } }`],
      routes: ['receiver: dead'],
    });
    await createTopic(`${prefix}.alerts`, 6);
    const alerts = isolationAlerts(name).slice(0, 3);
    await produceWithKcat(`${prefix}.alerts`, alerts.map((a) => ({ key: 'card-iso', value: JSON.stringify(a) })));
    const log = expectingErrors([/^alert not delivered; dead-lettered$/]);
    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_budget`, services: ['notify'], logger: log.logger });
    try {
      const dlq = await eventually(() => consumeWithKcat(`${prefix}.alerts.dlq`, { count: 3, timeoutMs: 10_000 }), (r) => r.length >= 3, 60_000, 'three dead letters');
      expect(dlq.map((d) => [JSON.parse(d.value!).id, d.headers['vigil-receiver'], d.headers['vigil-source-topic']])).toEqual(alerts.map((a) => [a.id, 'dead', `${prefix}.alerts`]));
      expect(dlq.every((d) => /retry budget of 3000ms spent/.test(d.headers['vigil-error-reason']!))).toBe(true);
      // An operator sees each one at error level, naming the alert and the receiver.
      await eventually(async () => log.errors.length, (n) => n >= 3, 10_000, 'three dead letters logged');
      expect(log.errors.map((e) => [e.alert, e.receiver])).toEqual(alerts.map((a) => [a.id, 'dead']));

      await dead.up();
      await sleep(1_500);
      const kafka = createKafkajsClient({ brokers: testBrokers(), clientId: 'budget-test' });
      expect(await replayDeadLetters({ kafka, topic: `${prefix}.alerts.dlq`, groupId: `${prefix}.alerts-replay` })).toMatchObject({ replayed: 3 });
      await eventually(async () => dead.accepted.length, (n) => n >= 3, 60_000, 'the replayed alerts at the recovered receiver');
      expect(dead.accepted.map((r) => r.headers['webhook-id'])).toEqual(alerts.map((a) => a.id));
    } finally {
      await dead.down();
    }
  }, 180_000);
});
