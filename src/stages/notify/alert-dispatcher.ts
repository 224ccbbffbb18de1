import type { VigilCore } from '../../core/vigil-core.js';
import { VigilError } from '../../errors/vigil-error.js';
import type { IncomingMessage, OutgoingMessage } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';
import { deadLetter } from '../../kafka/dead-letter.js';
import type { Alert } from '../../model/records.js';
import { alertDeliveriesTopic, alertsDeadLetterTopic, alertsRetryTopic } from '../../model/topics.js';
import { decodeAlert } from '../../sink/record-decoders.js';
import { explainAlert, type ExplanationContext } from '../../alerts/alert-explanation.js';
import { matchRoutes, type RouteMatch } from '../../alerts/alert-router.js';
import { deliveryRecord, type DeliveryRecord } from '../../model/delivery-record.js';
import { EventClock } from '../../alerts/grouping/event-clock.js';
import { GroupRouter } from '../../alerts/grouping/group-router.js';
import { Inhibitor } from '../../alerts/inhibitor.js';
import { firing, grouped, type Notification } from '../../alerts/notification.js';
import { deliverToReceiver, type ReceiverDeliveryOptions, type ReceiverDeliveryResult, type ReceiverTarget } from '../../alerts/receiver-delivery.js';
import { receiverTargets, rateLimits } from '../../alerts/receiver-targets.js';
import { DEFAULT_BACKOFF } from '../../alerts/retry-policy.js';
import type { SilenceStore } from '../../alerts/silences/silence-store.js';
import { RecentDeliveries } from '../../alerts/recent-deliveries.js';
import { StormGuard } from '../../alerts/storm-guard.js';
import { retryRecord } from './retry/retry-record.js';
import { DEFAULT_RETRY_FOR_MS } from './retry/retry-worker.js';
import type { WaitingAlerts } from './retry/waiting-alerts.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A delivery's result with what was sent (a waiting notification is stored whole). */
type Attempted = ReceiverDeliveryResult & { readonly notification: Notification };

/**
 * What notify does with alerts, Kafka aside: routes each alert, suppresses the silenced,
 * inhibited and rate-limited ones, collects alerts of grouped routes, and delivers to receivers
 * with retries. It answers with the messages to produce: delivery-log records, notifications
 * that wait on `<alerts>.retry` for a receiver that failed them, and dead letters.
 */
export class AlertDispatcher {
  /** Alerts held for grouped routes; the stage commits no further than they allow. */
  readonly groups: GroupRouter;
  /** Shared with the retry worker: one notifier, and so one circuit breaker, per receiver. */
  readonly targets: Map<string, ReceiverTarget>;
  private readonly inhibitor: Inhibitor;
  private readonly stormGuard: StormGuard;
  private readonly clock = new EventClock();
  private readonly delivered = new RecentDeliveries();
  private readonly explanation: ExplanationContext;

  constructor(
    private readonly core: VigilCore,
    private readonly silences: SilenceStore,
    /** Aborted at shutdown: waits between attempts end, unfinished deliveries throw. */
    private readonly signal: AbortSignal,
    private readonly log: Logger,
    /** Receivers with notifications on the retry topic: their new ones queue behind them. */
    private readonly waiting: WaitingAlerts,
  ) {
    const { alerts } = core.template;
    this.targets = receiverTargets(alerts.receivers);
    this.inhibitor = new Inhibitor(alerts.inhibition);
    this.stormGuard = new StormGuard(rateLimits(alerts.receivers));
    this.groups = new GroupRouter(alerts.routes);
    this.explanation = { grafanaUrl: core.config.grafanaUrl, database: core.config.clickhouse.database, eventsTable: core.template.tables.events };
  }

  /** Delivery-log records and dead letters for one alert message; grouped routes only collect it. */
  async deliver(message: IncomingMessage, sleep: Sleep): Promise<OutgoingMessage[]> {
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
        this.core.metrics.alertsGrouped.inc({ receiver: match.receiver.name });
        this.reportWaitingGroups();
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
        const done: { source: IncomingMessage; id: string; result: Attempted }[] = [];
        for (const send of list) {
          const notification = firing(send.alert, explainAlert(send.alert, this.explanation));
          // Once one waits, the receiver's next ones of this alert wait behind it.
          const behind = done.some(({ result }) => !result.delivered);
          done.push({ source: send.source, id: send.alert.id, result: await this.deliverOne(receiver, notification, sleep, behind) });
        }
        return done;
      }),
    );
    return [...out, ...this.outcomes(results.flat(), alert.id)];
  }

  /** Forgets grouped alerts read from these partitions (revoked: their new owner rebuilds them). */
  dropPartitions(partitions: ReadonlySet<number>): void {
    this.groups.dropPartitions(partitions);
    this.reportWaitingGroups();
  }

  /**
   * Gauge of the groups still waiting for their first notification: the demo, after its drain,
   * waits until none is left instead of counting deliveries (one notification carries a whole group).
   */
  private reportWaitingGroups(): void {
    for (const [receiver, count] of this.groups.awaitingFirstNotification()) this.core.metrics.alertGroupsWaiting.set({ receiver }, count);
  }

  /** Sends the group notifications that are due by now (event time). Call under the group lock. */
  async flushGroups(sleep: Sleep): Promise<OutgoingMessage[]> {
    const due = this.groups.due(this.clock.now(Date.now()));
    const results: { source: IncomingMessage; id: string; result: Attempted }[] = [];
    try {
      for (const { receiver, flush } of due) {
        const notification = grouped(flush, (alert) => explainAlert(alert, this.explanation));
        const behind = results.some(({ result }) => result.receiver === receiver && !result.delivered);
        results.push({ source: syntheticMessage(undefined, notification.alert, this.core.template.topics.alerts), id: notification.id, result: await this.deliverOne(receiver, notification, sleep, behind) });
      }
    } finally {
      // Only now: a group whose first notification is still in flight counts as waiting.
      this.reportWaitingGroups();
    }
    return this.outcomes(results, 'group notification');
  }
  /**
   * Delivers with the receiver's immediate retries, unless notifications for it already wait on
   * the retry topic: then this one queues behind them (no attempt), so the receiver gets its
   * alerts in order when it is back.
   */
  private async deliverOne(receiver: string, notification: Notification, sleep: Sleep, behind = false): Promise<Attempted> {
    const target = this.targets.get(receiver)!;
    if (this.delivered.has(receiver, notification.id)) {
      this.log.info({ receiver, notification: notification.id }, 'already delivered by this process; not sent again');
      return { notification, receiver, delivered: true, aborted: false, attempts: 0, last: undefined, records: [] };
    }
    if ((behind || this.waiting.has(receiver)) && target.retryForMs !== 0) {
      return { notification, receiver, delivered: false, aborted: false, attempts: 0, last: undefined, records: [] };
    }
    const result = await deliverToReceiver(target, notification, { ...this.deliveryOptions(), sleep });
    if (result.delivered) this.delivered.add(receiver, notification.id);
    return { notification, ...result };
  }
  /**
   * Log records, waiting notifications and dead letters of finished deliveries; throws when
   * shutdown interrupted one. A notification the receiver (and its fallback) failed waits on the
   * retry topic, unless the receiver refused it for good (a 4xx) or has `retryFor: 0s`: those are
   * dead-lettered at once.
   */
  private outcomes(results: readonly { source: IncomingMessage; id: string; result: Attempted }[], what: string): OutgoingMessage[] {
    if (results.some(({ result }) => result.aborted)) {
      throw new VigilError('VIGIL_WEBHOOK_DELIVERY', `delivery of ${what} interrupted by shutdown; it resumes on restart`, { retryable: true });
    }
    const out: OutgoingMessage[] = [];
    for (const { source, id, result } of results) {
      if (result.delivered) {
        out.push(...result.records.map((record) => this.logRecord(record)));
        continue;
      }
      const { receiver, attempts, last } = result;
      const target = this.targets.get(receiver);
      if (last?.retryable === false || target?.retryForMs === 0) {
        out.push(...result.records.map((record) => this.logRecord(record)));
        this.log.error({ alert: id, receiver, attempts, reason: last?.reason, error: last?.error }, 'alert not delivered; dead-lettered');
        out.push(this.deadLetter(source, last?.reason ?? 'unknown', last?.error ?? 'not delivered', { receiver, attempts: String(attempts) }));
        continue;
      }
      out.push(...this.waitingRecords(result, receiver).map((record) => this.logRecord(record)));
      const queuedBehind = this.waiting.count(receiver);
      this.waiting.add(receiver, result.notification.id);
      this.log.warn({ alert: id, receiver, attempts, reason: last?.reason ?? 'queued', queuedBehind, retryForMs: target?.retryForMs ?? DEFAULT_RETRY_FOR_MS }, 'alert waits for its receiver to come back');
      out.push(
        retryRecord(alertsRetryTopic(this.core.template), {
          notification: result.notification,
          receiver,
          firstFailedAt: result.records[0]?.time ?? Date.now(),
          attempts: result.records.length,
          source: { topic: source.topic, partition: source.partition, offset: source.offset, key: source.key },
        }),
      );
    }
    return out;
  }
  /** The attempts, the last one marked `waiting`; one `waiting` row when it queued without an attempt. */
  private waitingRecords(result: Attempted, receiver: string): DeliveryRecord[] {
    const records = [...result.records];
    const last = records.length - 1;
    if (last >= 0) {
      records[last] = { ...records[last]!, outcome: 'waiting' };
      return records;
    }
    const target = this.targets.get(receiver)!;
    const note = `queued behind ${this.waiting.count(receiver)} alerts waiting for ${receiver}`;
    const record = deliveryRecord(result.notification.alert, { receiver, receiverType: target.notifier.type, attempt: 0, startedAt: Date.now(), outcome: 'waiting', note });
    return [{ ...record, alert_id: result.notification.id }];
  }
  private deliveryOptions(): ReceiverDeliveryOptions {
    const { metrics } = this.core;
    return {
      backoff: DEFAULT_BACKOFF,
      signal: this.signal,
      onAttempt: (notifier, outcome) => {
        metrics.webhookDeliveries.inc({ receiver: notifier.name, reason: outcome.reason });
        metrics.webhookSeconds.observe({ receiver: notifier.name }, outcome.latencyMs / 1000);
      },
    };
  }
  /** Why the alert must not be sent, or undefined. */
  suppression(alert: Alert): string | undefined {
    const silence = this.silences.silencing(alert);
    if (silence) return `silenced by ${silence.id}`;
    const inhibitor = this.inhibitor.inhibitedBy(alert);
    return inhibitor === undefined ? undefined : `inhibited by ${inhibitor}`;
  }
  private suppressed(alert: Alert, match: RouteMatch, why: string): OutgoingMessage {
    const reason = why.startsWith('silenced') ? 'silenced' : why.startsWith('inhibited') ? 'inhibited' : 'rate_limited';
    this.core.metrics.alertsSuppressed.inc({ receiver: match.receiver.name, reason });
    return this.logRecord(deliveryRecord(alert, { receiver: match.receiver.name, receiverType: match.receiver.type, attempt: 0, startedAt: Date.now(), outcome: 'suppressed', note: why }));
  }
  logRecord(record: DeliveryRecord): OutgoingMessage {
    return { topic: alertDeliveriesTopic(this.core.template), key: Buffer.from(record.alert_id), value: Buffer.from(JSON.stringify(record)), headers: {} };
  }
  deadLetter(message: IncomingMessage, reason: string, error: string, extra: Record<string, string> = {}): OutgoingMessage {
    this.core.metrics.deadLetters.inc({ template: this.core.template.name, stage: 'notify', code: 'VIGIL_WEBHOOK_DELIVERY' });
    const failure = { code: 'VIGIL_WEBHOOK_DELIVERY' as const, reason: `${reason}: ${error}`, extra };
    return deadLetter(alertsDeadLetterTopic(this.core.template), message, failure, Date.now());
  }
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
