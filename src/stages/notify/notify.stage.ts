import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { VIGIL_CORE, type VigilCore } from '../../core/vigil-core.js';
import type { BatchConsumer, BatchControl, MessageBatch, OutgoingMessage, TopicPartition } from '../../kafka/kafka.types.js';
import type { Logger } from '../../logging/logger.js';
import { alertsRetryTopic, groupId, silencesTopic } from '../../model/topics.js';
import { commitPosition } from '../../alerts/grouping/commit-position.js';
import { heartbeatSleep } from '../../alerts/heartbeat-sleep.js';
import { SilenceFollower } from '../../alerts/silences/silence-follower.js';
import { KeyedLock } from '../keyed-lock.js';
import { LazyProducer } from '../lazy-producer.js';
import type { Stage } from '../stage.js';
import { countConsumed } from '../stage-metrics.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { RetryWorker } from './retry/retry-worker.js';
import { WaitingAlerts } from './retry/waiting-alerts.js';

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
 * and its `suppressed` row in the delivery log says why: nothing is dropped silently. An alert a
 * receiver failed (retries spent, or circuit open) goes to `<alerts>.retry` before the commit, and
 * the retry worker, in its own consumer group, sends it when the receiver is back.
 */
@Injectable()
export class NotifyStage implements Stage, OnModuleInit, OnApplicationShutdown {
  private readonly silences: SilenceFollower;
  private readonly dispatcher: AlertDispatcher;
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
  private readonly retries: RetryWorker;
  private retryConsumer: BatchConsumer | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.log = core.logger.child({ stage: 'notify' });
    this.producer = new LazyProducer(core.kafka);
    this.silences = new SilenceFollower(core.kafka, silencesTopic(core.template), `${groupId(core.template, 'notify')}.silences`, this.log);
    const waiting = new WaitingAlerts(core.metrics.alertsWaiting);
    this.dispatcher = new AlertDispatcher(core, this.silences.store, this.stopping.signal, this.log, waiting);
    this.retries = new RetryWorker({
      topic: alertsRetryTopic(core.template),
      targets: this.dispatcher.targets,
      waiting,
      send: (messages) => this.send(messages),
      commit: async (offsets) => {
        if (!this.retryConsumer) throw new Error('the retry consumer is not running');
        await this.retryConsumer.commit(offsets);
      },
      logRecord: (record) => this.dispatcher.logRecord(record),
      deadLetter: (message, reason, error, extra) => this.dispatcher.deadLetter(message, reason, error, extra),
      signal: this.stopping.signal,
      sleep: sleepWithSignal,
      onAttempt: (notifier, outcome) => core.metrics.webhookDeliveries.inc({ receiver: notifier.name, reason: outcome.reason }),
      suppression: (alert) => this.dispatcher.suppression(alert),
      log: this.log.child({ worker: 'retry' }),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.silences.start();
    await this.startRetries();
    if (this.dispatcher.groups.active && !this.timer) {
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
    for (const message of batch.messages) out.push(...(await this.dispatcher.deliver(message, sleep)));
    const last = batch.messages.at(-1);
    // The lock may be held by a periodic flush retrying a receiver: stay in the group meanwhile.
    const beating = setInterval(() => void control.heartbeat().catch(() => undefined), HEARTBEAT_WHILE_WAITING_MS);
    try {
      await this.underGroupLock(async () => {
        if (this.dispatcher.groups.active) out.push(...(await this.dispatcher.flushGroups(sleep)));
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
    this.dispatcher.dropPartitions(mine);
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
    await this.stopRetries();
    await this.silences.stop().catch((error: unknown) => this.log.warn({ err: error }, 'silence follower did not stop cleanly'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.timer);
    await this.stopRetries();
    await this.silences.stop().catch(() => undefined);
    await this.producer.close();
  }
  /**
   * The retry worker's consumer: its own group, so alerts waiting for a receiver never hold back
   * the alerts consumer. Its handler only queues what it reads, so the consumer keeps heartbeating.
   */
  private async startRetries(): Promise<void> {
    if (this.retryConsumer) return;
    const consumer = this.core.kafka.consumer({
      groupId: `${groupId(this.core.template, 'notify')}.retry`,
      topics: [alertsRetryTopic(this.core.template)],
      fromBeginning: true,
      rebalance: { onRevoked: () => this.retries.revoke() },
    });
    this.retryConsumer = consumer;
    await consumer.run(async (batch) => this.retries.accept(batch.messages));
  }

  /** Waits end at once (the signal is aborted first); unfinished waiting alerts stay uncommitted. */
  private async stopRetries(): Promise<void> {
    const consumer = this.retryConsumer;
    this.retryConsumer = undefined;
    await this.retries.idle();
    await consumer?.stop().catch((error: unknown) => this.log.warn({ err: error }, 'retry consumer did not stop cleanly'));
  }

  /** Group notifications due while no alert arrives, then the commits their delivery allows. */
  private async tick(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      await this.underGroupLock(async () => {
        const out = await this.dispatcher.flushGroups(sleepWithSignal);
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
      const offset = commitPosition(this.handled.get(partition), this.dispatcher.groups.pinned(partition), this.committed.get(partition));
      return offset === undefined ? [] : [{ topic, partition, offset }];
    });
    if (offsets.length === 0) return;
    await this.consumer.commit(offsets.map(({ topic: t, partition, offset }) => ({ topic: t, partition, offset: offset.toString() })));
    for (const { partition, offset } of offsets) this.committed.set(partition, offset);
  }

  private underGroupLock<T>(work: () => Promise<T>): Promise<T> {
    return this.groupLock.run('groups', work);
  }

  private async send(messages: OutgoingMessage[]): Promise<void> {
    await (await this.producer.get()).send(messages);
  }
}

async function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
}
