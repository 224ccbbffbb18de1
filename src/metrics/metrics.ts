import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric Vigil exposes on GET /metrics. Label values come from closed sets (stage names,
 * detector ids, error codes, delivery reasons), never from event data, so cardinality stays bounded.
 */
export class VigilMetrics {
  readonly registry = new Registry();

  readonly consumed = new Counter({
    name: 'vigil_messages_consumed_total',
    help: 'Kafka messages handed to a stage',
    labelNames: ['template', 'stage', 'topic'] as const,
    registers: [this.registry],
  });

  readonly processed = new Counter({
    name: 'vigil_events_processed_total',
    help: 'Events decoded and run through the detectors',
    labelNames: ['template'] as const,
    registers: [this.registry],
  });

  readonly findings = new Counter({
    name: 'vigil_findings_total',
    help: 'Findings emitted by detectors',
    labelNames: ['template', 'detector', 'severity'] as const,
    registers: [this.registry],
  });

  readonly alerts = new Counter({
    name: 'vigil_alerts_total',
    help: 'Alerts raised (findings at or above the template minimum severity)',
    labelNames: ['template', 'detector', 'severity'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'vigil_dead_letters_total',
    help: 'Messages sent to a dead-letter topic, by error code',
    labelNames: ['template', 'stage', 'code'] as const,
    registers: [this.registry],
  });

  readonly lag = new Gauge({
    name: 'vigil_consumer_lag',
    help: 'Messages behind the partition high watermark after the last batch',
    labelNames: ['stage', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly consumerGroupLag = new Gauge({
    name: 'vigil_consumer_group_lag',
    help: 'Messages a stage\'s consumer group has not committed yet, per partition, at the last lag sample (VIGIL_LAG_SAMPLE_MS)',
    labelNames: ['template', 'stage', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly sinkBatchRows = new Histogram({
    name: 'vigil_sink_batch_rows',
    help: 'Rows per ClickHouse insert',
    labelNames: ['table'] as const,
    buckets: [1, 10, 100, 500, 1_000, 5_000, 10_000, 50_000],
    registers: [this.registry],
  });

  readonly sinkGroupedJobs = new Histogram({
    name: 'vigil_sink_insert_jobs',
    help: 'Partition jobs per ClickHouse insert (group commit: jobs of one table flushed together go as one insert)',
    labelNames: ['table'] as const,
    buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24],
    registers: [this.registry],
  });

  readonly sinkInsertSeconds = new Histogram({
    name: 'vigil_sink_insert_seconds',
    help: 'Latency of ClickHouse inserts',
    labelNames: ['table'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly sinkRows = new Counter({
    name: 'vigil_sink_rows_total',
    help: 'Rows written to ClickHouse',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  readonly sinkInsertFailures = new Counter({
    name: 'vigil_sink_insert_failures_total',
    help: 'Failed ClickHouse inserts (each is retried until it lands; the partition waits meanwhile)',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'vigil_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['receiver', 'reason'] as const,
    registers: [this.registry],
  });

  readonly alertsWaiting = new Gauge({
    name: 'vigil_alerts_waiting',
    help: 'Alerts waiting on <alerts>.retry for a receiver that failed them to come back',
    labelNames: ['receiver'] as const,
    registers: [this.registry],
  });

  readonly alertsSuppressed = new Counter({
    name: 'vigil_alerts_suppressed_total',
    help: 'Alerts not sent to a receiver: silenced, inhibited or held back by the storm guard',
    labelNames: ['receiver', 'reason'] as const,
    registers: [this.registry],
  });

  readonly alertsGrouped = new Counter({
    name: 'vigil_alerts_grouped_total',
    help: "Alerts taken into a grouped route's group (sent in the group's notifications, not one by one)",
    labelNames: ['receiver'] as const,
    registers: [this.registry],
  });

  readonly alertGroupsWaiting = new Gauge({
    name: 'vigil_alert_groups_waiting',
    help: "Alert groups of grouped routes whose first notification has not gone out yet (waiting out the route's groupWait)",
    labelNames: ['receiver'] as const,
    registers: [this.registry],
  });

  readonly webhookSeconds = new Histogram({
    name: 'vigil_webhook_latency_seconds',
    help: 'Latency of webhook attempts',
    labelNames: ['receiver'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly stateKeys = new Gauge({
    name: 'vigil_state_keys',
    help: 'Keys held in detector state',
    labelNames: ['template', 'partition'] as const,
    registers: [this.registry],
  });

  readonly stateBytes = new Gauge({
    name: 'vigil_state_bytes',
    help: 'Serialised (JSON) bytes of detector state values, estimated by sampling; heap use per key is about 4x (map entry, key string, array)',
    labelNames: ['template', 'partition'] as const,
    registers: [this.registry],
  });

  readonly stateEvicted = new Counter({
    name: 'vigil_state_evicted_keys_total',
    help: 'Keys evicted from detector state after being idle longer than the state TTL',
    labelNames: ['template'] as const,
    registers: [this.registry],
  });

  readonly stateRestoreSeconds = new Histogram({
    name: 'vigil_state_restore_seconds',
    help: 'Time to restore assigned partitions\' state from the changelog',
    labelNames: ['template'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly stateRestoredRecords = new Counter({
    name: 'vigil_state_restored_records_total',
    help: 'Changelog records applied while restoring state',
    labelNames: ['template'] as const,
    registers: [this.registry],
  });

  readonly lateEvents = new Counter({
    name: 'vigil_late_events_total',
    help: 'Events behind the watermark by more than the allowed lateness, sent to the late topic',
    labelNames: ['template'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
  }

  /** Sum of a counter or gauge across label sets matching `labels` (for progress display and tests). */
  async total(counter: Counter | Gauge, labels: Record<string, string> = {}): Promise<number> {
    const { values } = await counter.get();
    return values
      .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
      .reduce((sum, v) => sum + v.value, 0);
  }
}
