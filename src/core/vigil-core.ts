import type { ClickHouseClient } from '@clickhouse/client';
import type { VigilConfig } from '../config/vigil-config.js';
import type { KafkaClient } from '../kafka/kafka.types.js';
import type { Logger } from '../logging/logger.js';
import type { VigilMetrics } from '../metrics/metrics.js';
import type { DetectorSlot } from '../runtime/partition-runtime.js';
import type { LoadedTemplate, Template } from '../model/template/template.schema.js';

/**
 * What every stage of one running template shares: configuration, the validated template, the
 * Kafka client, metrics and, in the process that owns it, the ClickHouse client. It is built once
 * by the CLI and handed to each stage's Nest module as a value provider.
 */
export interface VigilCore {
  readonly config: VigilConfig;
  readonly logger: Logger;
  readonly metrics: VigilMetrics;
  readonly loaded: LoadedTemplate;
  readonly template: Template;
  readonly detectors: readonly DetectorSlot[];
  readonly kafka: KafkaClient;
  /** Present in the process that runs the sink or the API (chdb allows one process per directory). */
  readonly clickhouse: ClickHouseClient | undefined;
}

export const VIGIL_CORE = Symbol('VIGIL_CORE');
