import type { DetectorLogger } from '../../model/detector.js';
import { describeError } from '../../errors/vigil-error.js';
import type { IncomingMessage, KafkaClient } from '../../kafka/kafka.types.js';
import { BroadcastReader } from './broadcast-reader.js';
import type { FeedbackBuffer } from '../../runtime/feedback-buffer.js';
import { decodeFeedbackLabel } from '../../model/feedback-label.js';
import type { PartitionRuntime } from '../../runtime/partition-runtime.js';
import type { FeedbackLabel } from '../../model/records.js';

/** Labels held before trimming is worth its cost (an array splice per feedback partition). */
const DEFAULT_TRIM_ABOVE = 50_000;

/**
 * The feedback topic as the detect stage sees it: every label of every partition (a broadcast
 * reader), buffered until each partition runtime this instance holds has been given it. A runtime
 * that arrives later (a rebalance) with an older cursor gets what was trimmed read back first.
 * A label that cannot be decoded is logged and skipped here; the sink reports it too.
 */
export class FeedbackFeed {
  private reader: BroadcastReader | undefined;
  skipped = 0;

  private constructor(
    private readonly kafka: KafkaClient,
    private readonly topic: string,
    private readonly log: DetectorLogger,
    readonly buffer: FeedbackBuffer,
    private readonly trimAbove: number,
  ) {}

  /** Reads the topic to its end into `buffer`, then keeps tailing it. */
  static async start(
    kafka: KafkaClient,
    topic: string,
    purpose: string,
    log: DetectorLogger,
    buffer: FeedbackBuffer,
    trimAbove = DEFAULT_TRIM_ABOVE,
  ): Promise<FeedbackFeed> {
    const feed = new FeedbackFeed(kafka, topic, log, buffer, trimAbove);
    feed.reader = await BroadcastReader.start({ kafka, topic, purpose, onMessages: (partition, messages) => feed.add(partition, messages) });
    return feed;
  }

  /** Reads back trimmed labels the given runtimes have not been given yet; call before they process events. */
  async backfill(runtimes: readonly PartitionRuntime[]): Promise<void> {
    for (const partition of this.buffer.feedbackPartitions()) {
      const cursors = runtimes.map((runtime) => runtime.feedbackCursor(partition)).filter((cursor) => this.buffer.missing(partition, cursor));
      if (cursors.length === 0) continue;
      const from = Math.min(...cursors) + 1;
      const entries: { offset: number; label: FeedbackLabel }[] = [];
      await this.kafka.readToEnd(this.topic, [partition], (_p, messages) => {
        for (const message of messages) {
          const offset = Number(message.offset);
          if (offset < from) continue;
          const label = this.decode(message);
          if (label) entries.push({ offset, label });
        }
      });
      this.buffer.backfill(partition, from, entries);
      this.log.info('read back fraud labels for a partition that arrived behind the buffer', { partition, from, labels: entries.length });
    }
  }

  /** Drops labels every held runtime was given, once enough are held to be worth it. */
  trim(runtimes: readonly PartitionRuntime[]): void {
    if (this.buffer.size() < this.trimAbove || runtimes.length === 0) return;
    for (const partition of this.buffer.feedbackPartitions()) {
      this.buffer.trimBefore(partition, Math.min(...runtimes.map((runtime) => runtime.feedbackCursor(partition))));
    }
  }

  async stop(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    await reader?.stop();
  }

  private add(partition: number, messages: readonly IncomingMessage[]): void {
    for (const message of messages) {
      const label = this.decode(message);
      if (label) this.buffer.add(partition, Number(message.offset), label);
    }
  }

  private decode(message: IncomingMessage): FeedbackLabel | undefined {
    try {
      return decodeFeedbackLabel(message.value);
    } catch (error) {
      this.skipped++;
      this.log.warn('skipping a feedback record that is not a label', { partition: message.partition, offset: message.offset, reason: describeError(error) });
      return undefined;
    }
  }
}
