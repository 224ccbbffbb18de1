import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, IMemberAssignment, Kafka } from 'kafkajs';
import type { Logger } from '../logging/logger.js';
import { VigilError, describeError } from '../errors/vigil-error.js';
import { AssignmentTracker, partitionKey } from './assignment-tracker.js';
import { kafkaCall } from './kafkajs.errors.js';
import { toIncomingMessage } from './kafkajs.messages.js';
import { RebalanceNotifier } from './rebalance-notifier.js';
import type {
  BatchConsumer,
  BatchControl,
  BatchHandler,
  ConsumerOptions,
  MessageBatch,
  TopicPartition,
  TopicPartitionOffset,
} from './kafka.types.js';

/** Long-poll bound of an idle fetch; also bounds how long stop() waits for the fetch loop. */
const MAX_WAIT_MS = 1000;
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 10_000;

/**
 * BatchConsumer on kafkajs' eachBatch with auto-commit and auto-resolve off.
 *
 * Delivery contract (at-least-once):
 *  - A batch is "resolved" (kafkajs' fetch position moves past it) only after the handler resolved
 *    and the batch is not stale. Committing is separate and explicit (commit()).
 *  - A handler that throws gets the same partition's batch again, from the failed batch's first
 *    offset, after a backoff (100 ms doubling to 10 s), without leaving the group. We rely on
 *    kafkajs fetching each partition from its last resolved offset. (We do not rethrow into
 *    kafkajs: it would retry the whole fetch loop a few times, then crash and rejoin the group,
 *    rebalancing every other member, and it gives up for good on TypeErrors.)
 *  - After a crash/restart or when a partition moves to another member, delivery resumes from the
 *    last commit. A crash kafkajs does not restart from (it gives up for good on errors it does not
 *    classify as retriable) gets a new kafkajs consumer after a backoff, instead of leaving the
 *    process running without one.
 *
 * Rebalances: see AssignmentTracker and RebalanceNotifier. Every batch waits for the pending
 * listener calls, so onAssigned has completed before a newly assigned partition's first batch is
 * handed out. If onAssigned throws, batches are refused (thrown into kafkajs, which retries and
 * finally restarts the consumer, assigning everything afresh and calling onAssigned again).
 *
 * pause() is exact: no batch of a paused partition reaches the handler after pause() returns (a
 * batch already fetched is dropped unresolved and fetched again after resume()). A new assignment
 * of a partition starts unpaused, as in the Java client.
 *
 * With `partitionsConsumedConcurrently` > 1, kafkajs runs the batches of one fetch for different
 * partitions at the same time (never two of one partition: the next fetch waits for every batch
 * of the previous one). Everything kept here is per partition (tracker epochs and in-flight
 * counts, pauses, failure counts) or a plain counter, so it holds with concurrent batches; a
 * failing partition still delays the next fetch of all of them by its backoff.
 */
export class KafkajsBatchConsumer implements BatchConsumer {
  private consumer: Consumer | undefined;
  private readonly tracker = new AssignmentTracker();
  private readonly paused = new Map<string, TopicPartition>();
  private readonly failures = new Map<string, number>();
  private readonly notifier: RebalanceNotifier;
  private fatal: unknown;
  /** Set once run() succeeded: a later crash kafkajs does not restart from is replaced (see onCrash). */
  private handler: BatchHandler | undefined;
  private replacing: Promise<void> | undefined;
  private replaceAgain = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();
  private readonly log: Logger | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions,
    logger?: Logger,
  ) {
    this.log = logger?.child({ component: 'kafka-consumer', groupId: options.groupId });
    this.notifier = new RebalanceNotifier(options.rebalance, this.log);
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.consumer || this.stopping) {
      throw new VigilError('VIGIL_KAFKA', `consumer of group ${this.options.groupId} was already started`);
    }
    try {
      await this.start(handler);
    } catch (error) {
      this.consumer = undefined;
      throw error;
    }
    this.handler = handler;
  }

  /** Creates, connects and runs a kafkajs consumer; throws if it cannot start. */
  private async start(handler: BatchHandler): Promise<void> {
    const { groupId, topics, sessionTimeoutMs, maxBytesPerPartition, partitionsConsumedConcurrently, fetch } = this.options;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: Math.min(fetch?.maxWaitMs ?? MAX_WAIT_MS, MAX_WAIT_MS),
      ...(fetch === undefined ? {} : { minBytes: fetch.minBytes }),
      readUncommitted: false,
      ...(sessionTimeoutMs === undefined ? {} : { sessionTimeout: sessionTimeoutMs }),
      ...(maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition }),
    });
    this.consumer = consumer;
    this.fatal = undefined;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.onGroupJoin(consumer, event.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (event) => this.onCrash(event.payload.error, event.payload.restart));
    try {
      await kafkaCall(`connect consumer of group ${groupId}`, () => consumer.connect());
      await kafkaCall(`subscribe group ${groupId} to ${topics.join(', ')}`, () =>
        consumer.subscribe({ topics: [...topics], fromBeginning: this.options.fromBeginning ?? true }),
      );
      await kafkaCall(`start consumer of group ${groupId}`, () =>
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          ...(partitionsConsumedConcurrently === undefined ? {} : { partitionsConsumedConcurrently }),
          eachBatch: (payload) => this.onBatch(payload, handler),
        }),
      );
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.fatal !== undefined) {
      throw new VigilError('VIGIL_KAFKA', `consumer of group ${groupId} failed to start: ${describeError(this.fatal)}`, {
        cause: this.fatal,
      });
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || this.stopped) {
      throw new VigilError('VIGIL_KAFKA', `commit on consumer of group ${this.options.groupId}, which is not running`);
    }
    // Classic group commits are checked by generation only, not by ownership: a late commit for a
    // partition another member now owns would overwrite that member's progress.
    const owned = offsets.filter((o) => this.tracker.isOwned(o));
    if (owned.length < offsets.length) {
      const notOwned = offsets.filter((o) => !this.tracker.isOwned(o));
      this.log?.warn({ offsets: notOwned }, 'not committing offsets of partitions this member does not own');
    }
    if (owned.length === 0) return;
    await kafkaCall(`commit offsets of group ${this.options.groupId}`, () =>
      consumer.commitOffsets(owned.map(({ topic, partition, offset }) => ({ topic, partition, offset }))),
    );
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.paused.set(partitionKey(tp), { topic: tp.topic, partition: tp.partition });
    this.withGroup((consumer) => consumer.pause(byTopic(partitions)));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.paused.delete(partitionKey(tp));
    this.withGroup((consumer) => consumer.resume(byTopic(partitions)));
  }

  assignment(): readonly TopicPartition[] {
    return this.tracker.assigned();
  }

  async stop(): Promise<void> {
    if (!this.consumer) return;
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    // A replacement under way (see onCrash) ends first: what it started is what stops.
    await this.replacing;
    const consumer = this.consumer!;
    // Paused partitions are not fetched, so the fetch loop idles while the last batch finishes.
    this.withGroup((c) => c.pause(this.options.topics.map((topic) => ({ topic }))));
    await this.whenIdle();
    // kafkajs still runs here, so a handler finishing its batch could still commit.
    this.notifier.notify(this.tracker.revokeAll(), []);
    await this.notifier.settled();
    await kafkaCall(`stop consumer of group ${this.options.groupId}`, () => consumer.disconnect());
    // A rebalance that completed while we waited assigned partitions we will never consume.
    this.notifier.notify(this.tracker.revokeAll(), []);
    await this.notifier.settled();
    this.log?.info('consumer stopped');
  }

  private async onBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch } = payload;
    const tp: TopicPartition = { topic: batch.topic, partition: batch.partition };
    const key = partitionKey(tp);
    if (this.stopping || this.paused.has(key)) return;
    await this.notifier.settled();
    const assignFailure = this.notifier.assignFailure();
    if (assignFailure) {
      throw new VigilError('VIGIL_KAFKA', `onAssigned failed: ${describeError(assignFailure.error)}`, {
        retryable: true,
        cause: assignFailure.error,
      });
    }
    if (this.stopping || this.paused.has(key)) return;
    const epoch = this.tracker.begin(tp);
    if (epoch === undefined) return;

    this.inFlight++;
    let position: string | undefined;
    try {
      const lastOffset = batch.lastOffset();
      const messageBatch: MessageBatch = {
        topic: batch.topic,
        partition: batch.partition,
        messages: batch.messages.map((m) => toIncomingMessage(batch.topic, batch.partition, m)),
        highWatermark: batch.highWatermark,
        // Handed out only with messages, so lastOffset() is the fetch's last record (not the watermark).
        nextOffset: (BigInt(lastOffset) + 1n).toString(),
      };
      const control: BatchControl = {
        heartbeat: () => kafkaCall('heartbeat', () => payload.heartbeat()),
        isStale: () => !this.tracker.isCurrent(tp, epoch) || payload.isStale(),
      };
      if (messageBatch.messages.length > 0) {
        try {
          await handler(messageBatch, control);
        } catch (error) {
          await this.backOff(messageBatch, error);
          return;
        }
        if (control.isStale()) return;
      }
      this.failures.delete(key);
      payload.resolveOffset(lastOffset);
      position = (BigInt(lastOffset) + 1n).toString();
    } finally {
      this.tracker.end(tp, epoch, position);
      if (--this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async backOff(batch: MessageBatch, error: unknown): Promise<void> {
    const key = partitionKey(batch);
    const attempt = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, attempt);
    const retryInMs = Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
    this.log?.error(
      {
        err: error,
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: batch.messages[0]?.offset,
        lastOffset: batch.messages.at(-1)?.offset,
        attempt,
        retryInMs,
      },
      'batch handler failed; the batch will be delivered again',
    );
    await sleep(retryInMs, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
  }

  /** GROUP_JOIN is emitted synchronously inside kafkajs' join, before the next fetch. */
  private onGroupJoin(consumer: Consumer, memberAssignment: IMemberAssignment): void {
    const next = Object.entries(memberAssignment).flatMap(([topic, partitions]) =>
      partitions.map((partition) => ({ topic, partition })),
    );
    const change = this.tracker.rebalance(next);
    const unpause = change.revoked.filter((tp) => this.paused.delete(partitionKey(tp)));
    for (const tp of change.revoked) this.failures.delete(partitionKey(tp));
    // A throw here would abort kafkajs' join; these calls only fail on invalid input.
    try {
      for (const seek of change.seeks) consumer.seek(seek);
      if (unpause.length > 0) consumer.resume(byTopic(unpause));
      // A restarted kafkajs consumer group starts with no pauses; re-apply ours.
      if (this.paused.size > 0) consumer.pause(byTopic([...this.paused.values()]));
    } catch (error) {
      this.log?.error({ err: error }, 'could not re-apply positions or pauses after a rebalance');
    }
    this.log?.info({ assigned: change.assigned, revoked: change.revoked, kept: change.seeks }, 'partition assignment changed');
    this.notifier.notify(change.revoked, change.assigned);
  }

  private onCrash(error: Error, restart: boolean): void {
    this.notifier.reset();
    this.paused.clear();
    this.failures.clear();
    this.notifier.notify(this.tracker.revokeAll(), []);
    if (restart) {
      this.log?.warn({ err: error }, 'consumer crashed; kafkajs restarts it and it resumes from the last commit');
    } else if (this.handler && !this.stopping) {
      // kafkajs gives up for good on errors it does not classify as retriable, such as a TypeError
      // from a race in its own metadata refresh; the process would run on without this consumer.
      this.log?.error({ err: error }, 'consumer crashed and kafkajs will not restart it; a new consumer replaces it and resumes from the last commit');
      if (this.replacing) this.replaceAgain = true;
      else this.replacing = this.replace(this.handler);
    } else {
      this.fatal = error;
      this.log?.error({ err: error }, 'consumer crashed and will not restart');
    }
  }

  /** A new kafkajs consumer in place of one that crashed for good, after a backoff, until one starts. */
  private async replace(handler: BatchHandler): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      await sleep(Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS), undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
      if (this.stopping) break;
      try {
        await this.start(handler);
        this.log?.info('a new consumer replaced the crashed one');
        break;
      } catch (error) {
        this.log?.error({ err: error, attempt }, 'the replacement consumer did not start; trying again');
      }
    }
    this.replacing = undefined;
    // It crashed for good again while starting: replace that one too.
    if (this.replaceAgain && !this.stopping) {
      this.replaceAgain = false;
      this.replacing = this.replace(handler);
    }
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** kafkajs pause/resume throw while its group object does not exist (before run, mid-restart). */
  private withGroup(action: (consumer: Consumer) => void): void {
    if (!this.consumer) return;
    try {
      action(this.consumer);
    } catch {
      // Applied from `paused` at the next group join.
    }
  }
}

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = grouped.get(topic);
    if (list) list.push(partition);
    else grouped.set(topic, [partition]);
  }
  return [...grouped].map(([topic, list]) => ({ topic, partitions: list }));
}
