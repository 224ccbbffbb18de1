import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { VigilConfig } from '../config/vigil-config.js';
import { createKafkajsClient } from '../kafka/kafkajs.client.js';
import { startLocalBroker, type LocalBroker } from '../kafka/local-broker.js';
import type { KafkaClient } from '../kafka/kafka.types.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { VigilMetrics } from '../metrics/metrics.js';
import { detectorSlots } from '../runtime/detector-slots.js';
import { openClickHouse } from '../sink/clickhouse.client.js';
import { ensureEventsTable } from '../sink/events-table.js';
import { runMigrations } from '../sink/migrations.js';
import { ensureTemplateViews } from '../sink/template-views.js';
import { TemplateCatalog } from '../templates/template.catalog.js';
import { loadTemplate } from '../templates/template.loader.js';
import type { LoadedTemplate } from '../model/template/template.schema.js';
import { templateTopics } from '../model/topics.js';
import type { VigilCore } from '../core/vigil-core.js';
import { builtIns } from '../domains/domains.js';

export interface CoreOptions {
  readonly config: VigilConfig;
  /** A template name in the templates directory, or a path to a template file. */
  readonly template: string;
  /** Open ClickHouse (and run migrations) in this process. */
  readonly clickhouse: boolean;
  readonly logger?: Logger;
  readonly metrics?: VigilMetrics;
}

export interface OwnedCore {
  readonly core: VigilCore;
  /** Brokers in use; a local broker was started when KAFKA_BROKERS was unset. */
  readonly brokers: readonly string[];
  close(): Promise<void>;
}

/** Validates the template first (a bad template must fail before anything starts), then connects. */
export async function loadTemplateByRef(config: VigilConfig, ref: string): Promise<LoadedTemplate> {
  const file = new TemplateCatalog(config.templatesDir).resolve(ref);
  return loadTemplate(file, { env: config.templateEnv, ...builtIns() });
}

export async function buildCore(options: CoreOptions): Promise<OwnedCore> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const loaded = await loadTemplateByRef(config, options.template);
  const cleanup: (() => Promise<void>)[] = [];
  try {
    let brokers = config.kafkaBrokers;
    if (!brokers) {
      const broker: LocalBroker = await startLocalBroker({
        cacheDir: config.kafkaCacheDir,
        logger,
        partitions: loaded.template.topics.partitions,
        dataDir: path.join(config.dataDir, 'kafka'),
      });
      cleanup.push(() => broker.stop());
      brokers = broker.brokers;
      logger.info({ brokers }, 'KAFKA_BROKERS unset: started a local Kafka broker');
    }
    const kafka: KafkaClient = createKafkajsClient({ brokers, clientId: config.kafkaClientId, logger });
    const admin = await kafka.admin();
    try {
      await admin.ensureTopics(templateTopics(loaded.template));
    } finally {
      await admin.close();
    }
    let clickhouse: ClickHouseClient | undefined;
    if (options.clickhouse) {
      clickhouse = await openClickHouse(config.clickhouse);
      const client = clickhouse;
      cleanup.push(() => client.close());
      await runMigrations(client, config.clickhouse.database);
      await ensureEventsTable(client, config.clickhouse.database, loaded.template);
      await ensureTemplateViews(client, config.clickhouse.database, loaded.template);
    }
    const core: VigilCore = {
      config,
      logger,
      metrics: options.metrics ?? new VigilMetrics(),
      loaded,
      template: loaded.template,
      detectors: detectorSlots(loaded),
      kafka,
      clickhouse,
    };
    return { core, brokers, close: () => runCleanup(cleanup) };
  } catch (error) {
    await runCleanup(cleanup);
    throw error;
  }
}

async function runCleanup(steps: (() => Promise<void>)[]): Promise<void> {
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch {
      // Best effort: shutting down must not hide the error that caused it.
    }
  }
  steps.length = 0;
}
