import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { alertsDeadLetterTopic } from '../app/template-topics.js';
import { VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import { VigilError } from '../errors/vigil-error.js';
import type { IncomingMessage, MessageBatch, OutgoingMessage, Producer } from '../kafka/kafka.types.js';
import type { Logger } from '../logging/logger.js';
import { deadLetter } from '../runtime/dead-letter.js';
import type { Alert } from '../runtime/records.js';
import { routeAlert } from './alert-router.js';
import { deliverWithRetries } from './delivery.js';
import { DEFAULT_BACKOFF } from './retry-policy.js';
import { WebhookNotifier } from './webhook.notifier.js';

/**
 * Notify: alerts topic → receivers. An alert's offset is committed only once every receiver it
 * routes to accepted it or it was dead-lettered (with the last failure) to `<alerts>.dlq`; on
 * shutdown, delivery in progress is abandoned without commit and resumes on restart with the same
 * webhook-id, so receivers can deduplicate. Nothing is dropped silently.
 */
@Injectable()
export class NotifyStage implements OnApplicationShutdown {
  private readonly notifiers: Map<string, WebhookNotifier>;
  private readonly stopping = new AbortController();
  private readonly log: Logger;
  private producer: Promise<Producer> | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'notify' });
    this.notifiers = new Map(core.template.alerts.receivers.map((spec) => [spec.name, new WebhookNotifier(spec)]));
  }

  async handle(batch: MessageBatch): Promise<void> {
    const { metrics, template } = this.core;
    metrics.consumed.inc({ template: template.name, stage: 'notify', topic: batch.topic }, batch.messages.length);
    for (const message of batch.messages) {
      const deadLetters = await this.deliver(message);
      if (deadLetters.length > 0) await this.send(deadLetters);
    }
  }

  /** Stops waiting between attempts so shutdown is quick; unfinished alerts are not committed. */
  prepareStop(): void {
    this.stopping.abort();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.producer?.then((p) => p.close()).catch(() => undefined);
  }

  private async deliver(message: IncomingMessage): Promise<OutgoingMessage[]> {
    const { template, metrics } = this.core;
    let alert: Alert;
    try {
      alert = JSON.parse(message.value?.toString('utf8') ?? '') as Alert;
    } catch (error) {
      // Only Vigil writes this topic; an unreadable record is kept, not skipped.
      return [this.deadLetter(message, 'unreadable', `alert is not JSON: ${(error as Error).message}`)];
    }
    const receivers = routeAlert(alert, template.alerts.routes, template.alerts.receivers);
    if (receivers.length === 0) {
      this.log.warn({ alert: alert.id, detector: alert.finding.detector, severity: alert.finding.severity }, 'alert matches no route');
      return [];
    }
    const results = await Promise.all(
      receivers.map(async (receiver) => {
        const notifier = this.notifiers.get(receiver.name)!;
        const result = await deliverWithRetries(notifier, alert, {
          maxAttempts: receiver.maxAttempts,
          backoff: DEFAULT_BACKOFF,
          signal: this.stopping.signal,
          onAttempt: (outcome) => {
            metrics.webhookDeliveries.inc({ receiver: receiver.name, reason: outcome.reason });
            metrics.webhookSeconds.observe({ receiver: receiver.name }, outcome.latencyMs / 1000);
          },
        });
        return { receiver: receiver.name, result };
      }),
    );
    if (results.some(({ result }) => result.aborted)) {
      throw new VigilError('VIGIL_WEBHOOK_DELIVERY', `delivery of ${alert.id} interrupted by shutdown; it resumes on restart`, { retryable: true });
    }
    const failed = results.filter(({ result }) => !result.delivered);
    for (const { receiver, result } of failed) {
      const last = result.attempts[result.attempts.length - 1];
      this.log.error({ alert: alert.id, receiver, attempts: result.attempts.length, reason: last?.reason, error: last?.error }, 'alert not delivered; dead-lettered');
    }
    return failed.map(({ receiver, result }) => {
      const last = result.attempts[result.attempts.length - 1];
      return this.deadLetter(message, last?.reason ?? 'unknown', last?.error ?? 'not delivered', { receiver, attempts: String(result.attempts.length) });
    });
  }

  private deadLetter(message: IncomingMessage, reason: string, error: string, extra: Record<string, string> = {}): OutgoingMessage {
    this.core.metrics.deadLetters.inc({ template: this.core.template.name, stage: 'notify', code: 'VIGIL_WEBHOOK_DELIVERY' });
    const failure = { code: 'VIGIL_WEBHOOK_DELIVERY' as const, reason: `${reason}: ${error}`, extra };
    return deadLetter(alertsDeadLetterTopic(this.core.template), message, failure, Date.now());
  }

  private async send(messages: OutgoingMessage[]): Promise<void> {
    // One producer even when several partitions dead-letter at once.
    this.producer ??= this.core.kafka.producer();
    await (await this.producer).send(messages);
  }
}
