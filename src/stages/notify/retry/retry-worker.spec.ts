import { CircuitBreaker, withCircuitBreaker } from '../../../alerts/circuit-breaker.js';
import type { Notifier } from '../../../alerts/notifier.js';
import type { ReceiverTarget } from '../../../alerts/receiver-delivery.js';
import { makeNotification } from '../../../alerts/testing/alert.fixture.js';
import { deadLetter } from '../../../kafka/dead-letter.js';
import type { OutgoingMessage, TopicPartitionOffset } from '../../../kafka/kafka.types.js';
import { createLogger } from '../../../logging/logger.js';
import type { DeliveryOutcome, DeliveryRecord } from '../../../model/delivery-record.js';
import { InMemoryKafka } from '../../testing/in-memory-kafka.js';
import { retryRecord } from './retry-record.js';
import { RetryWorker } from './retry-worker.js';
import { WaitingAlerts } from './waiting-alerts.js';

const RETRY = 'alerts.retry';
const HOUR = 3_600_000;
const OK: DeliveryOutcome = { ok: true, reason: 'ok', retryable: false, status: 200, latencyMs: 1 };
const DOWN: DeliveryOutcome = { ok: false, reason: 'network', retryable: true, latencyMs: 1, error: 'connect ECONNREFUSED' };

/** A receiver that is down until `upAt` (fake clock), counting the requests it got. */
function receiver(name: string, clock: { now: number }, upAt: number): Notifier & { requests: string[] } {
  const requests: string[] = [];
  return {
    name,
    type: 'webhook',
    requests,
    notify: async (notification) => {
      requests.push(notification.id);
      return clock.now >= upAt ? OK : DOWN;
    },
  };
}

/** A worker on an in-memory retry topic with a fake clock that sleeping advances. */
function setUp(targets: Map<string, ReceiverTarget>, options: { blockSleeps?: boolean; silenced?: Set<string> } = {}) {
  const kafka = new InMemoryKafka();
  const clock = { now: 10 * HOUR };
  const stop = new AbortController();
  const commits: TopicPartitionOffset[] = [];
  const sent: OutgoingMessage[] = [];
  const waiting = new WaitingAlerts();
  const worker = new RetryWorker({
    topic: RETRY,
    targets,
    waiting,
    send: async (messages) => void sent.push(...messages),
    commit: async (offsets) => void commits.push(...offsets),
    logRecord: (record) => ({ topic: 'deliveries', value: JSON.stringify(record) }),
    deadLetter: (message, reason, error, extra) => deadLetter('alerts.dlq', message, { code: 'VIGIL_WEBHOOK_DELIVERY', reason: `${reason}: ${error}`, extra }, clock.now),
    signal: stop.signal,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (!options.blockSleeps) {
          clock.now += ms;
          resolve();
          return;
        }
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
    random: () => 0.5,
    now: () => clock.now,
    suppression: (alert) => (options.silenced?.has(alert.id) ? 'silenced by ack_1' : undefined),
    log: createLogger('silent'),
  });
  const queue = (receiverName: string, id: string, firstFailedAt = clock.now, attempts = 2) =>
    kafka.append(
      retryRecord(RETRY, {
        notification: makeNotification({ id }),
        receiver: receiverName,
        firstFailedAt,
        attempts,
        source: { topic: 'alerts', partition: 3, offset: '17', key: Buffer.from('card-42') },
      }),
    );
  const log = () => sent.filter((m) => m.topic === 'deliveries').map((m) => JSON.parse(String(m.value)) as DeliveryRecord);
  const dlq = () => sent.filter((m) => m.topic === 'alerts.dlq');
  return { kafka, clock, stop, commits, sent, waiting, worker, queue, log, dlq };
}

describe('RetryWorker', () => {
  it('waits while the circuit is open and delivers when a probe succeeds, logging waiting attempts', async () => {
    const targets = new Map<string, ReceiverTarget>();
    const w = setUp(targets);
    // Down for 5 minutes, behind a breaker with a 30 s cooldown, on the worker's clock.
    const inner = receiver('ops', w.clock, w.clock.now + 5 * 60_000);
    targets.set('ops', { notifier: withCircuitBreaker(inner, new CircuitBreaker({ failures: 1, cooldownMs: 30_000, now: () => w.clock.now })), maxAttempts: 3, retryForMs: 6 * HOUR });
    w.queue('ops', 'a-1');
    w.worker.accept(w.kafka.messages(RETRY));
    expect(w.waiting.count('ops')).toBe(1);
    await w.worker.idle();

    // One request per cooldown while down (the open circuit refuses the rest without a request).
    expect(inner.requests.length).toBeGreaterThan(5);
    expect(inner.requests.length).toBeLessThanOrEqual(5 * 2 + 2);
    const log = w.log();
    expect(log.at(-1)).toMatchObject({ alert_id: 'a-1', outcome: 'delivered', attempt: log.length + 2 });
    expect(log.slice(0, -1).every((r) => r.outcome === 'waiting')).toBe(true);
    // Attempts continue the numbering of the two made before the alert waited.
    expect(log.map((r) => r.attempt)).toEqual(log.map((_, i) => i + 3));
    expect(w.dlq()).toHaveLength(0);
    expect(w.commits.at(-1)).toEqual({ topic: RETRY, partition: 0, offset: '1' });
    expect(w.waiting.count('ops')).toBe(0);
  });

  it('dead-letters past the retry budget, with the original alert and where it came from', async () => {
    const targets = new Map<string, ReceiverTarget>();
    const w = setUp(targets);
    const inner = receiver('ops', w.clock, Number.POSITIVE_INFINITY);
    targets.set('ops', { notifier: inner, maxAttempts: 3, retryForMs: HOUR });
    w.queue('ops', 'a-1', w.clock.now - 10 * 60_000);
    w.worker.accept(w.kafka.messages(RETRY));
    await w.worker.idle();

    expect(w.clock.now - (10 * HOUR - 10 * 60_000)).toBeGreaterThanOrEqual(HOUR);
    const [dead] = w.dlq();
    expect(JSON.parse(String(dead!.value))).toMatchObject({ id: 'a-1' });
    expect(String(dead!.key)).toBe('card-42');
    expect(dead!.headers).toMatchObject({ 'vigil-source-topic': 'alerts', 'vigil-source-partition': '3', 'vigil-source-offset': '17', 'vigil-receiver': 'ops' });
    expect(dead!.headers!['vigil-error-reason']).toMatch(/^network \(retry budget of 3600000ms spent\): connect ECONNREFUSED/);
    expect(w.log().at(-1)).toMatchObject({ outcome: 'dead_lettered' });
    expect(w.commits.at(-1)).toEqual({ topic: RETRY, partition: 0, offset: '1' });
  });

  it('stops sending an alert silenced (or acknowledged) while it waited, and logs it as suppressed', async () => {
    const targets = new Map<string, ReceiverTarget>();
    const silenced = new Set<string>();
    const w = setUp(targets, { silenced });
    const inner = receiver('ops', w.clock, w.clock.now + 5 * 60_000);
    targets.set('ops', { notifier: inner, maxAttempts: 3, retryForMs: 6 * HOUR });
    w.queue('ops', 'a-1');
    w.queue('ops', 'a-2');
    const alertId = (id: string) => makeNotification({ id }).alert.id;
    // Silenced during its third attempt: no attempt after it, nothing delivered, nothing dead-lettered.
    const notify = inner.notify;
    inner.notify = async (notification) => {
      if (notification.id === 'a-1' && inner.requests.length >= 2) silenced.add(notification.alert.id);
      return notify(notification);
    };
    w.worker.accept(w.kafka.messages(RETRY));
    await w.worker.idle();
    expect(silenced.has(alertId('a-1'))).toBe(true);
    const log = w.log();
    expect(log.filter((r) => r.alert_id === 'a-1').at(-1)).toMatchObject({ outcome: 'suppressed', error: 'silenced by ack_1' });
    expect(log.filter((r) => r.alert_id === 'a-1').some((r) => r.outcome === 'delivered')).toBe(false);
    expect(inner.requests.filter((id) => id === 'a-1')).toHaveLength(3);
    // The next alert of the queue still goes once the receiver is back.
    expect(log.filter((r) => r.alert_id === 'a-2').at(-1)).toMatchObject({ outcome: 'delivered' });
    expect(w.dlq()).toHaveLength(0);
    expect(w.commits.at(-1)).toEqual({ topic: RETRY, partition: 0, offset: '2' });
  });

  it('dead-letters at once what the receiver refuses for good (a 4xx)', async () => {
    const refusing: Notifier = { name: 'ops', type: 'webhook', notify: async () => ({ ok: false, reason: 'http_4xx', retryable: false, status: 400, latencyMs: 1 }) };
    const targets = new Map<string, ReceiverTarget>([['ops', { notifier: refusing, maxAttempts: 3 }]]);
    const v = setUp(targets);
    v.queue('ops', 'a-1');
    v.worker.accept(v.kafka.messages(RETRY));
    await v.worker.idle();
    expect(v.dlq()).toHaveLength(1);
    expect(v.log()).toMatchObject([{ outcome: 'dead_lettered', http_status: 400, attempt: 3 }]);
  });

  it('keeps order per receiver, does not hold back another receiver, and commits nothing unfinished on shutdown', async () => {
    const targets = new Map<string, ReceiverTarget>();
    const w = setUp(targets, { blockSleeps: true });
    const ops = receiver('ops', w.clock, Number.POSITIVE_INFINITY);
    const live = receiver('live', w.clock, 0);
    targets.set('ops', { notifier: ops, maxAttempts: 3 });
    targets.set('live', { notifier: live, maxAttempts: 3 });
    w.queue('ops', 'a-1');
    w.queue('ops', 'a-2');
    w.queue('live', 'b-1');
    w.worker.accept(w.kafka.messages(RETRY));
    await new Promise((resolve) => setImmediate(resolve));
    // live's record was delivered while ops's head waits; ops's second never went out before its first.
    expect(live.requests).toEqual(['b-1']);
    expect(ops.requests).toEqual(['a-1']);
    expect(w.waiting.count('ops')).toBe(2);
    w.stop.abort();
    await w.worker.idle();
    expect(ops.requests).toEqual(['a-1']);
    // The commit never passes ops's first record (offset 0): a restart re-reads both.
    expect(w.commits.every((c) => c.offset === '0')).toBe(true);
  });

  it('after a stop, a new worker re-reads what was not committed and sends it with the same webhook-ids', async () => {
    const targets = new Map<string, ReceiverTarget>();
    const first = setUp(targets, { blockSleeps: true });
    targets.set('ops', { notifier: receiver('ops', first.clock, Number.POSITIVE_INFINITY), maxAttempts: 3 });
    first.queue('ops', 'a-1');
    first.queue('ops', 'a-2');
    first.worker.accept(first.kafka.messages(RETRY));
    await new Promise((resolve) => setImmediate(resolve));
    first.stop.abort();
    await first.worker.idle();
    const from = Math.max(0, ...first.commits.map((c) => Number(c.offset)));
    expect(from).toBe(0);

    // The restarted process: the receiver is back.
    const backTargets = new Map<string, ReceiverTarget>();
    const second = setUp(backTargets);
    const back = receiver('ops', second.clock, 0);
    backTargets.set('ops', { notifier: back, maxAttempts: 3 });
    second.worker.accept(first.kafka.messages(RETRY).slice(from));
    await second.worker.idle();
    expect(back.requests).toEqual(['a-1', 'a-2']);
    expect(second.log().map((r) => [r.alert_id, r.outcome])).toEqual([['a-1', 'delivered'], ['a-2', 'delivered']]);
    expect(second.commits.at(-1)).toEqual({ topic: RETRY, partition: 0, offset: '2' });
  });
});
