import type { IncomingMessage, OutgoingMessage, TopicPartitionOffset } from '../../../kafka/kafka.types.js';
import type { Logger } from '../../../logging/logger.js';
import { deliveryRecord, type DeliveryLogOutcome, type DeliveryOutcome, type DeliveryRecord } from '../../../model/delivery-record.js';
import type { Notifier } from '../../../alerts/notifier.js';
import type { Alert } from '../../../model/records.js';
import type { ReceiverTarget } from '../../../alerts/receiver-delivery.js';
import { retryDelay, type BackoffPolicy } from '../../../alerts/retry-policy.js';
import { readRetryRecord, sourceMessage, type WaitingNotification } from './retry-record.js';
import type { WaitingAlerts } from './waiting-alerts.js';

/** How long an alert waits for its receiver when the receiver sets no `retryFor`. */
export const DEFAULT_RETRY_FOR_MS = 6 * 3_600_000;

/**
 * Waits after an attempt that got an answer. Short on purpose: every receiver has a circuit
 * breaker, and once it is open the next attempt is refused at once with the time left until its
 * trial, which the worker then waits; so probes follow the receiver's `cooldown`, and an alert
 * arrives within about one cooldown of the receiver's return (docs/alerts.md has the
 * measurement). A Retry-After is obeyed up to 5 minutes.
 */
const WAIT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 5_000, maxRetryAfterMs: 5 * 60_000 };

export interface RetryWorkerOptions {
  /** The retry topic, for commits. */
  readonly topic: string;
  readonly targets: ReadonlyMap<string, ReceiverTarget>;
  readonly waiting: WaitingAlerts;
  /** Produces delivery-log records and dead letters (acks=all) before a record is committed. */
  readonly send: (messages: OutgoingMessage[]) => Promise<void>;
  readonly commit: (offsets: TopicPartitionOffset[]) => Promise<void>;
  readonly logRecord: (record: DeliveryRecord) => OutgoingMessage;
  readonly deadLetter: (message: IncomingMessage, reason: string, error: string, extra: Record<string, string>) => OutgoingMessage;
  /** Aborted at shutdown: waits end at once and nothing unfinished is committed. */
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly onAttempt?: (notifier: Notifier, outcome: DeliveryOutcome) => void;
  /**
   * Why an alert must no longer be sent (a silence or an acknowledgement made while it waited),
   * asked before every attempt; undefined sends it.
   */
  readonly suppression?: (alert: Alert) => string | undefined;
  readonly log: Logger;
}

interface Queued {
  readonly partition: number;
  readonly offset: bigint;
  readonly waiting: WaitingNotification;
}

/**
 * Sends the notifications waiting on `<alerts>.retry` once their receiver is back. Records are
 * queued per receiver as they are read (the consumer's handler returns at once, so it keeps
 * heartbeating and one receiver's wait never blocks another's); each receiver's queue is worked
 * in order, its head probing the receiver whenever its circuit breaker lets an attempt through.
 * A record is finished when delivered (same webhook-id as the first attempt, so receivers
 * deduplicate) or, past the receiver's `retryFor` since its first failure, dead-lettered to
 * `<alerts>.dlq`; commits never pass an unfinished record, so a restart re-reads it.
 */
export class RetryWorker {
  private readonly queues = new Map<string, Queued[]>();
  private readonly running = new Map<string, Promise<void>>();
  /** Per partition: offsets read and not finished, the offset after the last read, the last commit. */
  private readonly open = new Map<number, Set<bigint>>();
  private readonly readUpTo = new Map<number, bigint>();
  private readonly committed = new Map<number, bigint>();
  /** Bumped when the partition is revoked: work of an older generation neither sends nor commits. */
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: RetryWorkerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Queues the records of one fetched batch; returns at once. */
  accept(messages: readonly IncomingMessage[]): void {
    for (const message of messages) {
      const offset = BigInt(message.offset);
      const seen = this.readUpTo.get(message.partition);
      if (seen !== undefined && offset < seen) continue;
      this.readUpTo.set(message.partition, offset + 1n);
      let waiting: WaitingNotification;
      try {
        waiting = readRetryRecord(message);
      } catch (error) {
        // Only notify writes this topic; an unreadable record is reported, not retried forever.
        this.options.log.error({ err: error, offset: message.offset }, 'unreadable retry record skipped');
        continue;
      }
      const open = this.open.get(message.partition) ?? new Set<bigint>();
      this.open.set(message.partition, open);
      open.add(offset);
      this.options.waiting.add(waiting.receiver, waiting.notification.id);
      const queue = this.queues.get(waiting.receiver) ?? [];
      this.queues.set(waiting.receiver, queue);
      queue.push({ partition: message.partition, offset, waiting });
      this.start(waiting.receiver);
    }
    for (const partition of new Set(messages.map((m) => m.partition))) void this.commitPosition(partition, this.generation);
  }

  /** The partition went to another member (or the consumer stops): forget everything read. */
  revoke(): void {
    this.generation++;
    this.queues.clear();
    this.open.clear();
    this.readUpTo.clear();
    this.committed.clear();
    this.options.waiting.clear();
  }

  /** Resolves when every receiver's queue is worked off or its work stopped (specs, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private start(receiver: string): void {
    if (this.running.has(receiver)) return;
    const run = this.work(receiver, this.generation)
      .catch((error: unknown) => this.options.log.error({ err: error, receiver }, 'retry worker failed; waiting alerts are re-read on restart'))
      .finally(() => this.running.delete(receiver));
    this.running.set(receiver, run);
  }

  private async work(receiver: string, generation: number): Promise<void> {
    const queue = this.queues.get(receiver);
    while (queue && queue.length > 0 && this.current(generation)) {
      const head = queue[0]!;
      // Stopped, or revoked meanwhile: the partition's new owner re-reads it (same webhook-id).
      if (!(await this.settle(head.waiting, generation)) || !this.current(generation)) return;
      queue.shift();
      this.options.waiting.remove(receiver, head.waiting.notification.id);
      this.open.get(head.partition)?.delete(head.offset);
      await this.commitPosition(head.partition, generation);
    }
  }

  /** Delivers or dead-letters one notification; false when shutdown or a revoke stopped it. */
  private async settle(item: WaitingNotification, generation: number): Promise<boolean> {
    const target = this.options.targets.get(item.receiver);
    const budgetMs = target?.retryForMs ?? DEFAULT_RETRY_FOR_MS;
    const deadline = item.firstFailedAt + budgetMs;
    let attempts = item.attempts;
    for (let retry = 0; ; retry++) {
      if (!this.current(generation)) return false;
      if (!target) {
        await this.options.send([this.deadLetter(item, attempts, 'unknown_receiver', `receiver ${item.receiver} is no longer in the template`)]);
        return true;
      }
      const why = this.options.suppression?.(item.notification.alert);
      if (why !== undefined) {
        const { notifier } = target;
        const record = deliveryRecord(item.notification.alert, { receiver: notifier.name, receiverType: notifier.type, attempt: attempts + 1, startedAt: this.now(), outcome: 'suppressed', note: why });
        await this.options.send([this.options.logRecord({ ...record, alert_id: item.notification.id })]);
        this.options.log.info({ alert: item.notification.id, receiver: item.receiver, why }, 'waiting alert no longer sent');
        return true;
      }
      const records: DeliveryRecord[] = [];
      const outcome = await this.attempt(target, item, records, () => ++attempts);
      if (!this.current(generation)) return false;
      const final = !outcome.ok && (!outcome.retryable || this.now() >= deadline);
      if (final && records.length === 0) records.push(this.record(item, target.notifier, ++attempts, outcome, 'dead_lettered'));
      const last = records.length - 1;
      if (last >= 0 && !outcome.ok) records[last] = { ...records[last]!, outcome: final ? 'dead_lettered' : 'waiting' };
      const out = records.map((record) => this.options.logRecord(record));
      if (outcome.ok) {
        await this.options.send(out);
        this.options.log.info({ alert: item.notification.id, receiver: item.receiver, waitedMs: this.now() - item.firstFailedAt }, 'waiting alert delivered');
        return true;
      }
      if (final) {
        const reason = outcome.retryable ? `${outcome.reason} (retry budget of ${budgetMs}ms spent)` : outcome.reason;
        await this.options.send([...out, this.deadLetter(item, attempts, reason, outcome.error ?? 'not delivered')]);
        this.options.log.error({ alert: item.notification.id, receiver: item.receiver, attempts, reason: outcome.reason, error: outcome.error }, 'alert not delivered; dead-lettered');
        return true;
      }
      if (out.length > 0) await this.options.send(out);
      const wait = Math.min(retryDelay(WAIT_BACKOFF, retry, outcome.retryAfterMs, this.options.random), Math.max(1, deadline - this.now()));
      try {
        await this.options.sleep(wait, this.options.signal);
      } catch {
        return false;
      }
    }
  }

  /**
   * One try: the receiver, then its fallback if it has one. Attempts refused by an open circuit
   * made no request and are not logged (one per cooldown would only repeat "still down").
   */
  private async attempt(target: ReceiverTarget, item: WaitingNotification, records: DeliveryRecord[], next: () => number): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome = { ok: false, reason: 'circuit_open', retryable: true, latencyMs: 0 };
    for (const notifier of [target.notifier, ...(target.fallback ? [target.fallback.notifier] : [])]) {
      if (this.options.signal.aborted) return outcome;
      const startedAt = this.now();
      const result = await notifier.notify(item.notification);
      this.options.onAttempt?.(notifier, result);
      if (result.reason !== 'circuit_open') records.push(this.record(item, notifier, next(), result, result.ok ? 'delivered' : 'waiting', startedAt));
      if (result.ok) return result;
      // The receiver's own answer decides when to probe again and whether waiting can help.
      if (notifier === target.notifier) outcome = result;
    }
    return outcome;
  }

  private record(item: WaitingNotification, notifier: Notifier, attempt: number, result: DeliveryOutcome, outcome: DeliveryLogOutcome, startedAt = this.now()): DeliveryRecord {
    const record = deliveryRecord(item.notification.alert, { receiver: notifier.name, receiverType: notifier.type, attempt, startedAt, outcome, result });
    return { ...record, alert_id: item.notification.id };
  }

  private deadLetter(item: WaitingNotification, attempts: number, reason: string, error: string): OutgoingMessage {
    return this.options.deadLetter(sourceMessage(item), reason, error, { receiver: item.receiver, attempts: String(attempts) });
  }

  private current(generation: number): boolean {
    return generation === this.generation && !this.options.signal.aborted;
  }

  /** Commits up to the first unfinished record of `partition` (or all it read). */
  private async commitPosition(partition: number, generation: number): Promise<void> {
    const open = this.open.get(partition);
    const read = this.readUpTo.get(partition);
    if (read === undefined) return;
    const position = open && open.size > 0 ? [...open].reduce((a, b) => (a < b ? a : b)) : read;
    if ((this.committed.get(partition) ?? -1n) >= position || !this.current(generation)) return;
    this.committed.set(partition, position);
    try {
      await this.options.commit([{ topic: this.options.topic, partition, offset: position.toString() }]);
    } catch (error) {
      this.committed.delete(partition);
      this.options.log.warn({ err: error, partition }, 'retry topic commit failed; finished alerts may be sent again after a restart (same webhook-id)');
    }
  }
}
