import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { alertDeliveriesTopic, alertsDeadLetterTopic, silencesTopic } from '../app/template-topics.js';
import { groupId, VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import { VigilError } from '../errors/vigil-error.js';
import type { BatchControl, IncomingMessage, MessageBatch, OutgoingMessage, Producer } from '../kafka/kafka.types.js';
import type { Logger } from '../logging/logger.js';
import { deadLetter } from '../runtime/dead-letter.js';
import type { Alert } from '../runtime/records.js';
import { decodeAlert } from '../sink/record-decoders.js';
import { explainAlert, type ExplanationContext } from './alert-explanation.js';
import { routeAlert } from './alert-router.js';
import { deliveryRecord, type DeliveryRecord } from './delivery-record.js';
import { heartbeatSleep } from './heartbeat-sleep.js';
import { Inhibitor } from './inhibitor.js';
import { firing } from './notification.js';
import { deliverToReceiver, type ReceiverDeliveryOptions, type ReceiverTarget } from './receiver-delivery.js';
import { createNotifier } from './receivers/notifier-factory.js';
import type { ReceiverSpec } from './receivers/receiver.schema.js';
import { DEFAULT_BACKOFF } from './retry-policy.js';
import { SilenceFollower } from './silences/silence-follower.js';
import { StormGuard, type RateLimit } from './storm-guard.js';

/**
 * Notify: alerts topic → receivers. An alert's offset is committed only once every receiver it
 * routes to (or that receiver's fallback) accepted it or it was dead-lettered (with the last
 * failure) to `<alerts>.dlq`; on shutdown, delivery in progress is abandoned without commit and
 * resumes on restart with the same webhook-id, so receivers can deduplicate. Every attempt goes
 * to `<alerts>.deliveries` (stored by the sink in `alert_deliveries`) in the same send as the
 * dead letters, before the batch is committed. Nothing is dropped silently: a silenced or
 * inhibited alert is not sent, and its `suppressed` row in the delivery log says why.
 */
@Injectable()
export class NotifyStage implements OnModuleInit, OnApplicationShutdown {
  private readonly targets: Map<string, ReceiverTarget>;
  private readonly silences: SilenceFollower;
  private readonly inhibitor: Inhibitor;
  private readonly stormGuard: StormGuard;
  private readonly explanation: ExplanationContext;
  private readonly stopping = new AbortController();
  private readonly log: Logger;
  private producer: Promise<Producer> | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'notify' });
    this.targets = receiverTargets(core);
    this.silences = new SilenceFollower(core.kafka, silencesTopic(core.template), `${groupId(core.template, 'notify')}.silences`, this.log);
    this.inhibitor = new Inhibitor(core.template.alerts.inhibition);
    this.stormGuard = new StormGuard(rateLimits(core.template.alerts.receivers));
    this.explanation = {
      grafanaUrl: core.config.grafanaUrl,
      database: core.config.clickhouse.database,
      eventsTable: core.template.tables.events,
    };
  }

  async onModuleInit(): Promise<void> {
    await this.silences.start();
  }

  async handle(batch: MessageBatch, control: Pick<BatchControl, 'heartbeat'>): Promise<void> {
    const { metrics, template } = this.core;
    metrics.consumed.inc({ template: template.name, stage: 'notify', topic: batch.topic }, batch.messages.length);
    const sleep = heartbeatSleep(control);
    const out: OutgoingMessage[] = [];
    for (const message of batch.messages) out.push(...(await this.deliver(message, sleep)));
    if (out.length > 0) await this.send(out);
  }

  /**
   * Stops waiting between attempts so shutdown is quick (unfinished alerts are not committed), and
   * stops following silences alongside the other stages' consumers (the store stays usable).
   */
  async prepareStop(): Promise<void> {
    this.stopping.abort();
    await this.silences.stop().catch((error: unknown) => this.log.warn({ err: error }, 'silence follower did not stop cleanly'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.silences.stop().catch(() => undefined);
    await this.producer?.then((p) => p.close()).catch(() => undefined);
  }

  /** Dead letters and delivery-log records for one alert message. */
  private async deliver(message: IncomingMessage, sleep: (ms: number, signal?: AbortSignal) => Promise<void>): Promise<OutgoingMessage[]> {
    const { template } = this.core;
    let alert: Alert;
    try {
      alert = decodeAlert(message.value);
    } catch (error) {
      // Only Vigil writes this topic; an unreadable record is kept, not skipped.
      return [this.deadLetter(message, 'unreadable', (error as Error).message)];
    }
    const receivers = routeAlert(alert, template.alerts.routes, template.alerts.receivers);
    if (receivers.length === 0) {
      this.log.warn({ alert: alert.id, detector: alert.finding.detector, severity: alert.finding.severity }, 'alert matches no route');
      return [];
    }
    const suppressedBy = this.suppression(alert);
    this.inhibitor.observe(alert);
    if (suppressedBy !== undefined) {
      this.log.info({ alert: alert.id, reason: suppressedBy }, 'alert suppressed');
      return receivers.map((receiver) =>
        this.logRecord(deliveryRecord(alert, { receiver: receiver.name, receiverType: receiver.type, attempt: 0, startedAt: Date.now(), outcome: 'suppressed', note: suppressedBy })),
      );
    }
    const out: OutgoingMessage[] = [];
    const jobs = receivers.map((receiver) => {
      const { admit, digests } = this.stormGuard.admit(receiver.name, alert);
      if (!admit) {
        out.push(this.logRecord(deliveryRecord(alert, { receiver: receiver.name, receiverType: receiver.type, attempt: 0, startedAt: Date.now(), outcome: 'suppressed', note: 'held back by the storm guard' })));
      }
      // Digests of finished windows first, then the alert itself.
      const sends = [...digests.map((digest) => ({ alert: digest, source: digestMessage(message, digest) })), ...(admit ? [{ alert, source: message }] : [])];
      return { receiver: receiver.name, sends };
    });
    const results = await Promise.all(
      jobs.map(async ({ receiver, sends }) => {
        const done = [];
        for (const send of sends) {
          const notification = firing(send.alert, explainAlert(send.alert, this.explanation));
          done.push({ source: send.source, alert: send.alert, result: await deliverToReceiver(this.targets.get(receiver)!, notification, { ...this.deliveryOptions(), sleep }) });
        }
        return done;
      }),
    );
    const flat = results.flat();
    if (flat.some(({ result }) => result.aborted)) {
      throw new VigilError('VIGIL_WEBHOOK_DELIVERY', `delivery of ${alert.id} interrupted by shutdown; it resumes on restart`, { retryable: true });
    }
    for (const { source, alert: sent, result } of flat) {
      out.push(...result.records.map((record) => this.logRecord(record)));
      if (result.delivered) continue;
      const { receiver, attempts, last } = result;
      this.log.error({ alert: sent.id, receiver, attempts, reason: last?.reason, error: last?.error }, 'alert not delivered; dead-lettered');
      out.push(this.deadLetter(source, last?.reason ?? 'unknown', last?.error ?? 'not delivered', { receiver, attempts: String(attempts) }));
    }
    return out;
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

  private logRecord(record: DeliveryRecord): OutgoingMessage {
    return { topic: alertDeliveriesTopic(this.core.template), key: Buffer.from(record.alert_id), value: Buffer.from(JSON.stringify(record)), headers: {} };
  }

  private deadLetter(message: IncomingMessage, reason: string, error: string, extra: Record<string, string> = {}): OutgoingMessage {
    this.core.metrics.deadLetters.inc({ template: this.core.template.name, stage: 'notify', code: 'VIGIL_WEBHOOK_DELIVERY' });
    const failure = { code: 'VIGIL_WEBHOOK_DELIVERY' as const, reason: `${reason}: ${error}`, extra };
    return deadLetter(alertsDeadLetterTopic(this.core.template), message, failure, Date.now());
  }

  private async send(messages: OutgoingMessage[]): Promise<void> {
    // One producer even when several partitions finish at once.
    this.producer ??= this.core.kafka.producer();
    await (await this.producer).send(messages);
  }
}

/** One target per receiver, sharing notifiers (and so circuit breakers) with the fallbacks that name them. */
function receiverTargets(core: VigilCore): Map<string, ReceiverTarget> {
  const specs = core.template.alerts.receivers;
  const notifiers = new Map(specs.map((spec) => [spec.name, createNotifier(spec)]));
  const bare = (spec: ReceiverSpec): ReceiverTarget => ({
    notifier: notifiers.get(spec.name)!,
    maxAttempts: spec.maxAttempts,
    backoff: { baseMs: spec.backoff.initial, capMs: spec.backoff.max, maxRetryAfterMs: DEFAULT_BACKOFF.maxRetryAfterMs },
  });
  return new Map(
    specs.map((spec) => {
      const fallbackSpec = specs.find((candidate) => candidate.name === spec.fallback);
      return [spec.name, { ...bare(spec), ...(fallbackSpec ? { fallback: bare(fallbackSpec) } : {}) }];
    }),
  );
}

function rateLimits(specs: readonly ReceiverSpec[]): Map<string, RateLimit> {
  return new Map(specs.flatMap((spec) => (spec.rateLimit ? [[spec.name, { max: spec.rateLimit.max, perMs: spec.rateLimit.per }] as const] : [])));
}

/**
 * A digest is not a message of the alerts topic; if it cannot be delivered it is dead-lettered
 * as if it were one (its JSON, keyed by receiver), so `vigil alerts replay` can send it again.
 */
function digestMessage(cause: IncomingMessage, digest: Alert): IncomingMessage {
  return { ...cause, key: Buffer.from(digest.finding.entity), value: Buffer.from(JSON.stringify(digest)), headers: {} };
}
