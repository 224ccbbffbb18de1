import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { VigilConfig } from '../config/vigil-config.js';
import { VigilError } from '../errors/vigil-error.js';
import { createKafkajsClient } from '../kafka/kafkajs.client.js';
import { startLocalBroker, type LocalBroker } from '../kafka/local-broker.js';
import type { KafkaClient } from '../kafka/kafka.types.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { VigilMetrics } from '../metrics/metrics.js';
import { detectorSlots } from '../runtime/detector-slots.js';
import { openClickHouse } from '../sink/clickhouse.client.js';
import { ensureEventsTable } from '../sink/events-table.js';
import { ensureEventsView } from '../sink/events-view.js';
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
  /** Plain progress lines for a person watching a slow start (the local broker's first jar download). */
  notice?(line: string): void;
}

export interface OwnedCore {
  readonly core: VigilCore;
  /** Brokers in use; a local broker was started when KAFKA_BROKERS was unset. */
  readonly brokers: readonly string[];
  /**
   * Aborted, with a VIGIL_KAFKA error as its reason, when the local broker this process started
   * exits under it (never with KAFKA_BROKERS): nothing can progress or commit any more, so a
   * command stops at once with that one message rather than letting kafkajs retry without end.
   */
  readonly brokerLost: AbortSignal;
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
  const lost = new AbortController();
  try {
    let brokers = config.kafkaBrokers;
    if (!brokers) {
      const broker: LocalBroker = await startLocalBroker({
        cacheDir: config.kafkaCacheDir,
        logger,
        partitions: loaded.template.topics.partitions,
        dataDir: path.join(config.dataDir, 'kafka'),
        ...(options.notice ? { notice: options.notice } : {}),
        onUnexpectedExit: (exit, logFile) =>
          lost.abort(new VigilError('VIGIL_KAFKA', `the local Kafka broker exited unexpectedly (${exit}); its log: ${logFile}`)),
      });
      cleanup.push(() => broker.stop());
      brokers = broker.brokers;
      logger.info({ brokers }, 'KAFKA_BROKERS unset: started a local Kafka broker');
    }
    // Once the broker is gone every client retries and logs each failure: the one message is brokerLost's.
    const kafka: KafkaClient = createKafkajsClient({ brokers, clientId: config.kafkaClientId, logger, muted: () => lost.signal.aborted });
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
      await ensureEventsView(client, config.clickhouse.database, loaded.template);
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
    return { core, brokers, brokerLost: lost.signal, close: () => runCleanup(cleanup) };
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
