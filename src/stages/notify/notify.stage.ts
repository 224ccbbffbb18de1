import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { alertDeliveriesTopic, alertsDeadLetterTopic, silencesTopic } from '../../model/topics.js';
import { VIGIL_CORE, type VigilCore } from '../../core/vigil-core.js';
import { groupId } from '../../model/topics.js';
import { VigilError } from '../../errors/vigil-error.js';
import type { BatchConsumer, BatchControl, IncomingMessage, MessageBatch, OutgoingMessage, TopicPartition } from '../../kafka/kafka.types.js';
import { KeyedLock } from '../keyed-lock.js';
import { LazyProducer } from '../lazy-producer.js';
import type { Stage } from '../stage.js';
import { countConsumed } from '../stage-metrics.js';
import type { Logger } from '../../logging/logger.js';
import { deadLetter } from '../../kafka/dead-letter.js';
import type { Alert } from '../../model/records.js';
import { decodeAlert } from '../../sink/record-decoders.js';
import { explainAlert, type ExplanationContext } from '../../alerts/alert-explanation.js';
import { matchRoutes, type RouteMatch } from '../../alerts/alert-router.js';
import { deliveryRecord, type DeliveryRecord } from '../../model/delivery-record.js';
import { commitPosition } from '../../alerts/grouping/commit-position.js';
import { EventClock } from '../../alerts/grouping/event-clock.js';
import { GroupRouter } from '../../alerts/grouping/group-router.js';
import { heartbeatSleep } from '../../alerts/heartbeat-sleep.js';
import { Inhibitor } from '../../alerts/inhibitor.js';
import { firing, grouped, type Notification } from '../../alerts/notification.js';
import { deliverToReceiver, type ReceiverDeliveryOptions, type ReceiverDeliveryResult, type ReceiverTarget } from '../../alerts/receiver-delivery.js';
import { receiverTargets, rateLimits } from '../../alerts/receiver-targets.js';
import { DEFAULT_BACKOFF } from '../../alerts/retry-policy.js';
import { SilenceFollower } from '../../alerts/silences/silence-follower.js';
import { StormGuard } from '../../alerts/storm-guard.js';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How often grouped routes are checked for due notifications while no alert arrives. */
const GROUP_TICK_MS = 1_000;
const HEARTBEAT_WHILE_WAITING_MS = 2_000;

/**
 * Notify: alerts topic → receivers. The stage commits itself, and only past alerts that every
 * receiver they route to (or its fallback) accepted or that were dead-lettered to `<alerts>.dlq`,
 * and never past an alert a group of a grouped route still needs; on shutdown, delivery in
 * progress is abandoned without commit and resumes on restart with the same webhook-id, so
 * receivers can deduplicate. Every attempt goes to `<alerts>.deliveries` (stored by the sink in
 * `alert_deliveries`) before the commit. A silenced, inhibited or rate-limited alert is not sent,
 * and its `suppressed` row in the delivery log says why: nothing is dropped silently.
 */
@Injectable()
export class NotifyStage implements Stage, OnModuleInit, OnApplicationShutdown {
  private readonly targets: Map<string, ReceiverTarget>;
  private readonly silences: SilenceFollower;
  private readonly inhibitor: Inhibitor;
  private readonly stormGuard: StormGuard;
  private readonly groups: GroupRouter;
  private readonly clock = new EventClock();
  private readonly explanation: ExplanationContext;
  private readonly stopping = new AbortController();
  private readonly log: Logger;
  /** Per alerts partition: next offset after what was handled, and what was committed. */
  private readonly handled = new Map<number, bigint>();
  private readonly committed = new Map<number, bigint>();
  private consumer: BatchConsumer | undefined;
  /** Grouped routes are shared by every partition: one flush or batch at a time touches them. */
  private readonly groupLock = new KeyedLock<'groups'>();
  private timer: NodeJS.Timeout | undefined;
  /** One producer even when several partitions finish at once. */
  private readonly producer: LazyProducer;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'notify' });
    this.producer = new LazyProducer(core.kafka);
    const { alerts } = core.template;
    this.targets = receiverTargets(alerts.receivers);
    this.silences = new SilenceFollower(core.kafka, silencesTopic(core.template), `${groupId(core.template, 'notify')}.silences`, this.log);
    this.inhibitor = new Inhibitor(alerts.inhibition);
    this.stormGuard = new StormGuard(rateLimits(alerts.receivers));
    this.groups = new GroupRouter(alerts.routes);
    this.explanation = { grafanaUrl: core.config.grafanaUrl, database: core.config.clickhouse.database, eventsTable: core.template.tables.events };
  }

  async onModuleInit(): Promise<void> {
    await this.silences.start();
    if (this.groups.active && !this.timer) {
      this.timer = setInterval(() => void this.tick(), GROUP_TICK_MS);
      this.timer.unref();
    }
  }

  async handle(batch: MessageBatch, control: BatchControl, consumer: BatchConsumer): Promise<void> {
    this.consumer = consumer;
    const { metrics, template } = this.core;
    countConsumed(metrics, template.name, 'notify', batch);
    const sleep = heartbeatSleep(control);
    const out: OutgoingMessage[] = [];
    for (const message of batch.messages) out.push(...(await this.deliver(message, sleep)));
    const last = batch.messages.at(-1);
    // The lock may be held by a periodic flush retrying a receiver: stay in the group meanwhile.
    const beating = setInterval(() => void control.heartbeat().catch(() => undefined), HEARTBEAT_WHILE_WAITING_MS);
    try {
      await this.underGroupLock(async () => {
        if (this.groups.active) out.push(...(await this.flushGroups(sleep)));
        if (out.length > 0) await this.send(out);
        // Past the transaction markers that follow the last alert (detect writes alerts in
        // transactions), or notify's group never reaches lag 0 on the alerts topic.
        if (last && !control.isStale()) this.handled.set(batch.partition, batch.nextOffset !== undefined ? BigInt(batch.nextOffset) : BigInt(last.offset) + 1n);
        await this.commit([batch.partition]);
      });
    } finally {
      clearInterval(beating);
    }
  }

  onRevoked(partitions: readonly TopicPartition[]): void {
    const mine = new Set(partitions.filter((tp) => tp.topic === this.core.template.topics.alerts).map((tp) => tp.partition));
    this.groups.dropPartitions(mine);
    for (const partition of mine) {
      this.handled.delete(partition);
      this.committed.delete(partition);
    }
  }

  /**
   * Stops waiting between attempts so shutdown is quick (unfinished alerts are not committed), and
   * stops following silences alongside the other stages' consumers (the store stays usable).
   */
  async prepareStop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.timer);
    await this.silences.stop().catch((error: unknown) => this.log.warn({ err: error }, 'silence follower did not stop cleanly'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.timer);
    await this.silences.stop().catch(() => undefined);
    await this.producer.close();
  }

  /** Delivery-log records and dead letters for one alert message; grouped routes only collect it. */
  private async deliver(message: IncomingMessage, sleep: Sleep): Promise<OutgoingMessage[]> {
    const { template } = this.core;
    let alert: Alert;
    try {
      alert = decodeAlert(message.value);
    } catch (error) {
      // Only Vigil writes this topic; an unreadable record is kept, not skipped.
      return [this.deadLetter(message, 'unreadable', (error as Error).message)];
    }
    const matches = matchRoutes(alert, template.alerts.routes, template.alerts.receivers);
    if (matches.length === 0) {
      this.log.warn({ alert: alert.id, detector: alert.finding.detector, severity: alert.finding.severity }, 'alert matches no route');
      return [];
    }
    const suppressedBy = this.suppression(alert);
    this.inhibitor.observe(alert);
    if (suppressedBy !== undefined) {
      this.log.info({ alert: alert.id, reason: suppressedBy }, 'alert suppressed');
      return matches.map((match) => this.suppressed(alert, match, suppressedBy));
    }
    this.clock.observe(alert.finding.time, Date.now());
    const out: OutgoingMessage[] = [];
    const sends: { receiver: string; alert: Alert; source: IncomingMessage }[] = [];
    for (const match of matches) {
      if (this.groups.groups(match)) {
        this.groups.add(match, alert, { partition: message.partition, offset: BigInt(message.offset) });
        continue;
      }
      const { admit, digests } = this.stormGuard.admit(match.receiver.name, alert);
      if (!admit) out.push(this.suppressed(alert, match, 'held back by the storm guard'));
      // Digests of finished windows first, then the alert itself.
      for (const digest of digests) sends.push({ receiver: match.receiver.name, alert: digest, source: syntheticMessage(message, digest) });
      if (admit) sends.push({ receiver: match.receiver.name, alert, source: message });
    }
    const byReceiver = Map.groupBy(sends, (send) => send.receiver);
    const results = await Promise.all(
      [...byReceiver].map(async ([receiver, list]) => {
        const done: { source: IncomingMessage; id: string; result: ReceiverDeliveryResult }[] = [];
        for (const send of list) {
          const notification = firing(send.alert, explainAlert(send.alert, this.explanation));
          done.push({ source: send.source, id: send.alert.id, result: await this.deliverOne(receiver, notification, sleep) });
        }
        return done;
      }),
    );
    return [...out, ...this.outcomes(results.flat(), alert.id)];
  }

  /** Sends the group notifications that are due by now (event time). Call under the group lock. */
  private async flushGroups(sleep: Sleep): Promise<OutgoingMessage[]> {
    const due = this.groups.due(this.clock.now(Date.now()));
    const results: { source: IncomingMessage; id: string; result: ReceiverDeliveryResult }[] = [];
    for (const { receiver, flush } of due) {
      const notification = grouped(flush, (alert) => explainAlert(alert, this.explanation));
      results.push({ source: syntheticMessage(undefined, notification.alert, this.core.template.topics.alerts), id: notification.id, result: await this.deliverOne(receiver, notification, sleep) });
    }
    return this.outcomes(results, 'group notification');
  }

  private deliverOne(receiver: string, notification: Notification, sleep: Sleep): Promise<ReceiverDeliveryResult> {
    return deliverToReceiver(this.targets.get(receiver)!, notification, { ...this.deliveryOptions(), sleep });
  }

  /** Log records and dead letters of finished deliveries; throws when shutdown interrupted one. */
  private outcomes(results: readonly { source: IncomingMessage; id: string; result: ReceiverDeliveryResult }[], what: string): OutgoingMessage[] {
    if (results.some(({ result }) => result.aborted)) {
      throw new VigilError('VIGIL_WEBHOOK_DELIVERY', `delivery of ${what} interrupted by shutdown; it resumes on restart`, { retryable: true });
    }
    const out: OutgoingMessage[] = [];
    for (const { source, id, result } of results) {
      out.push(...result.records.map((record) => this.logRecord(record)));
      if (result.delivered) continue;
      const { receiver, attempts, last } = result;
      this.log.error({ alert: id, receiver, attempts, reason: last?.reason, error: last?.error }, 'alert not delivered; dead-lettered');
      out.push(this.deadLetter(source, last?.reason ?? 'unknown', last?.error ?? 'not delivered', { receiver, attempts: String(attempts) }));
    }
    return out;
  }

  /** Group notifications due while no alert arrives, then the commits their delivery allows. */
  private async tick(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      await this.underGroupLock(async () => {
        const out = await this.flushGroups(sleepWithSignal);
        if (out.length > 0) await this.send(out);
        await this.commit([...this.handled.keys()]);
      });
    } catch (error) {
      this.log.warn({ err: error }, 'group notifications not sent yet; they are retried on the next tick or after a restart');
    }
  }

  private async commit(partitions: readonly number[]): Promise<void> {
    if (!this.consumer) return;
    const topic = this.core.template.topics.alerts;
    const offsets = partitions.flatMap((partition) => {
      const offset = commitPosition(this.handled.get(partition), this.groups.pinned(partition), this.committed.get(partition));
      return offset === undefined ? [] : [{ topic, partition, offset }];
    });
    if (offsets.length === 0) return;
    await this.consumer.commit(offsets.map(({ topic: t, partition, offset }) => ({ topic: t, partition, offset: offset.toString() })));
    for (const { partition, offset } of offsets) this.committed.set(partition, offset);
  }

  private underGroupLock<T>(work: () => Promise<T>): Promise<T> {
    return this.groupLock.run('groups', work);
  }

  private deliveryOptions(): ReceiverDeliveryOptions {
    const { metrics } = this.core;
    return {
      backoff: DEFAULT_BACKOFF,
      signal: this.stopping.signal,
      onAttempt: (notifier, outcome) => {
        metrics.webhookDeliveries.inc({ receiver: notifier.name, reason: outcome.reason });
        metrics.webhookSeconds.observe({ receiver: notifier.name }, outcome.latencyMs / 1000);
      },
    };
  }

  /** Why the alert must not be sent, or undefined. */
  private suppression(alert: Alert): string | undefined {
    const silence = this.silences.store.silencing(alert);
    if (silence) return `silenced by ${silence.id}`;
    const inhibitor = this.inhibitor.inhibitedBy(alert);
    return inhibitor === undefined ? undefined : `inhibited by ${inhibitor}`;
  }

  private suppressed(alert: Alert, match: RouteMatch, why: string): OutgoingMessage {
    const reason = why.startsWith('silenced') ? 'silenced' : why.startsWith('inhibited') ? 'inhibited' : 'rate_limited';
    this.core.metrics.alertsSuppressed.inc({ receiver: match.receiver.name, reason });
    return this.logRecord(deliveryRecord(alert, { receiver: match.receiver.name, receiverType: match.receiver.type, attempt: 0, startedAt: Date.now(), outcome: 'suppressed', note: why }));
  }

  private logRecord(record: DeliveryRecord): OutgoingMessage {
    return { topic: alertDeliveriesTopic(this.core.template), key: Buffer.from(record.alert_id), value: Buffer.from(JSON.stringify(record)), headers: {} };
  }

  private deadLetter(message: IncomingMessage, reason: string, error: string, extra: Record<string, string> = {}): OutgoingMessage {
    this.core.metrics.deadLetters.inc({ template: this.core.template.name, stage: 'notify', code: 'VIGIL_WEBHOOK_DELIVERY' });
    const failure = { code: 'VIGIL_WEBHOOK_DELIVERY' as const, reason: `${reason}: ${error}`, extra };
    return deadLetter(alertsDeadLetterTopic(this.core.template), message, failure, Date.now());
  }

  private async send(messages: OutgoingMessage[]): Promise<void> {
    await (await this.producer.get()).send(messages);
  }
}

async function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
}

/**
 * Digests and group notifications are not messages of the alerts topic; when one cannot be
 * delivered it is dead-lettered as if it were (its lead alert's JSON, keyed by entity), so
 * `vigil alerts replay` can send it again.
 */
function syntheticMessage(cause: IncomingMessage | undefined, alert: Alert, topic = cause?.topic ?? ''): IncomingMessage {
  return {
    topic,
    partition: cause?.partition ?? -1,
    offset: cause?.offset ?? '-1',
    key: Buffer.from(alert.finding.entity),
    value: Buffer.from(JSON.stringify(alert)),
    headers: {},
    timestamp: Date.now(),
  };
}
