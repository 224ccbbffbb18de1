import { CONSUMING_STAGES, stageTopics } from '../model/topics.js';
import { type VigilCore } from '../core/vigil-core.js';
import { groupId } from '../model/topics.js';
import type { KafkaAdmin, PartitionWatermarks, TopicPartitionOffset } from '../kafka/kafka.types.js';
import type { Logger } from '../logging/logger.js';
import { ClickHouseSink } from '../sink/clickhouse.sink.js';
import { groupLag, type PartitionLag } from './consumer-lag.js';
import { CONSUMER_LAG_COLUMNS, consumerLagRow } from './consumer-lag-row.js';

/**
 * Every `intervalMs`, asks Kafka how far each stage's consumer group of the template is behind
 * (committed offsets against end offsets) and stores one sample in `consumer_lag`, because
 * dashboards read ClickHouse only; it also sets the vigil_consumer_group_lag gauge.
 *
 * It runs in every process that has ClickHouse open (the sink's, and the API's on a server), so a
 * deployment that splits stages still records lag, and one that runs everything in one process
 * records it once. Several processes recording at once store one sample per interval: the insert's
 * deduplication token is the interval the sample falls in, so a second process's sample of the
 * same interval is a no-op. Samples never overlap: the next is scheduled when one ends. A failed
 * sample is logged and skipped; the next interval tries again.
 */
export class LagRecorder {
  private readonly sink: ClickHouseSink;
  private readonly log: Logger;
  private admin: Promise<KafkaAdmin> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly core: VigilCore,
    private readonly intervalMs: number,
  ) {
    if (!core.clickhouse) throw new Error('the lag recorder needs ClickHouse open in this process');
    this.sink = new ClickHouseSink(core.clickhouse, core.config.clickhouse.database);
    this.log = core.logger.child({ component: 'lag-recorder' });
  }

  /** Samples now, then every interval until stop(). */
  start(): void {
    this.schedule(0);
  }

  /** Takes one sample and stores it; returns what it stored. */
  async record(now = Date.now()): Promise<PartitionLag[]> {
    const lags = await this.sample();
    const template = this.core.template.name;
    await this.sink.insert({
      table: 'consumer_lag',
      columns: CONSUMER_LAG_COLUMNS,
      rows: lags.map((lag) => consumerLagRow(template, now, lag)),
      token: `vigil-lag:${template}:${this.intervalMs}:${Math.floor(now / this.intervalMs)}`,
    });
    for (const lag of lags) {
      this.core.metrics.consumerGroupLag.set({ template, stage: lag.stage, topic: lag.topic, partition: String(lag.partition) }, Number(lag.lag));
    }
    return lags;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    const admin = await this.admin?.catch(() => undefined);
    this.admin = undefined;
    await admin?.close().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.record()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.log.warn({ err: error }, 'consumer lag sample failed; trying again next interval');
          this.dropAdmin();
        })
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async sample(): Promise<PartitionLag[]> {
    const admin = await this.connectedAdmin();
    const topics = stageTopics(this.core.template);
    // Committed offsets first, end offsets after: a commit landing between the two reads then
    // cannot put a group past the end it is compared with.
    const committed = new Map<string, TopicPartitionOffset[]>();
    for (const stage of CONSUMING_STAGES) committed.set(stage, await admin.groupOffsets(groupId(this.core.template, stage), topics[stage]));
    // Stages share topics (input, alerts): one watermark request per topic per sample.
    const watermarks = new Map<string, readonly PartitionWatermarks[]>();
    for (const topic of new Set(Object.values(topics).flat())) watermarks.set(topic, await admin.topicWatermarks(topic));
    return CONSUMING_STAGES.flatMap((stage) =>
      groupLag({
        stage,
        group: groupId(this.core.template, stage),
        topics: new Map(topics[stage].map((t) => [t, watermarks.get(t)!])),
        committed: committed.get(stage)!,
      }),
    );
  }

  /** One admin connection for the recorder's life, re-made after a failed sample. */
  private connectedAdmin(): Promise<KafkaAdmin> {
    this.admin ??= this.core.kafka.admin();
    return this.admin;
  }

  private dropAdmin(): void {
    const admin = this.admin;
    this.admin = undefined;
    void admin?.then((a) => a.close()).catch(() => undefined);
  }
}
