import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { assertSafeListen } from '../api/auth/listen-policy.js';
import { startApi } from '../api/start-api.js';
import { KafkaBatchTransport } from '../kafka/kafka-batch.transport.js';
import { ClickHouseSink } from '../sink/clickhouse.sink.js';
import { stageModule, stagePattern } from '../stages/stage.module.js';
import type { Stage } from '../stages/stage.js';
import { DetectStage } from '../stages/detect/detect.stage.js';
import { SINK_WRITER, SinkStage } from '../stages/sink/sink.stage.js';
import type { SinkWriter } from '../sink/sink-writer.js';
import { NotifyStage } from '../stages/notify/notify.stage.js';
import { LagRecorder } from '../lag/lag-recorder.js';
import { RebalanceRelay } from './rebalance-relay.js';
import { stageTopics } from '../model/topics.js';
import type { ServiceName } from './services.js';
import { type VigilCore } from '../core/vigil-core.js';
import { groupId } from '../model/topics.js';
import { NestPinoLogger } from './nest-logger.js';
import { RethrowRpcFilter } from './rethrow-rpc.filter.js';

export interface RunningStages {
  readonly services: readonly ServiceName[];
  /** Base URL of the HTTP API when it runs here. */
  readonly apiUrl: string | undefined;
  /** Stops consuming, lets in-flight batches finish and commit, then closes. */
  close(): Promise<void>;
}

interface StageSpec {
  readonly pattern: string;
  readonly topics: readonly string[];
  readonly module: Parameters<typeof NestFactory.createMicroservice>[0];
  readonly stage: abstract new (...args: never[]) => Stage;
  /** Detect commits in its Kafka transaction, the sink per insert job, notify up to what grouped routes still need. */
  readonly commit: 'after-handler' | 'by-handler';
  /** How its fetches wait for data (ConsumerOptions.fetch); default: answered as soon as anything is there. */
  readonly fetch?: { readonly minBytes: number; readonly maxWaitMs: number };
}

/**
 * The sink inserts every VIGIL_SINK_FLUSH_MS anyway, so its fetches may wait up to a fifth of that
 * for a megabyte: at 10k events/s a fetch answered at once carries a few milliseconds of events,
 * and the sink and the broker spent their CPU on fetch requests and per-batch handling that alerts
 * (detect, notify: answered at once) were waiting for.
 */
function sinkFetch(flushMs: number): { minBytes: number; maxWaitMs: number } {
  return { minBytes: 1024 * 1024, maxWaitMs: Math.max(10, Math.floor(flushMs / 5)) };
}

export interface StartStagesOptions {
  /**
   * Wraps the store the sink writes to, e.g. to take ClickHouse away for a while in an outage
   * test: the stage then meets the errors a server that is down gives, with the real engine behind.
   */
  readonly wrapSinkWriter?: (writer: SinkWriter) => SinkWriter;
}

/** Starts the chosen stages of one template in this process, each a Nest microservice with its own consumer group. */
export async function startStages(core: VigilCore, services: readonly ServiceName[], options: StartStagesOptions = {}): Promise<RunningStages> {
  const wrap = options.wrapSinkWriter ?? ((writer: SinkWriter) => writer);
  const { template } = core;
  // Before any stage starts: an open API on a reachable address is refused at once.
  if (services.includes('api')) assertSafeListen(core.config.api.host, core.config.api.auth.tokens.length);
  const topics = stageTopics(template);
  const specs: Partial<Record<ServiceName, StageSpec>> = {
    detect: { pattern: stagePattern('detect'), topics: topics.detect, module: stageModule('detect', DetectStage, core), stage: DetectStage, commit: 'by-handler' },
    sink: {
      pattern: stagePattern('sink'),
      topics: topics.sink,
      module: stageModule('sink', SinkStage, core, [{ provide: SINK_WRITER, useFactory: () => wrap(clickHouseWriter(core)) }]),
      stage: SinkStage,
      commit: 'by-handler',
      fetch: sinkFetch(core.config.sink.flushMs),
    },
    notify: { pattern: stagePattern('notify'), topics: topics.notify, module: stageModule('notify', NotifyStage, core), stage: NotifyStage, commit: 'by-handler' },
  };
  const microservices: INestMicroservice[] = [];
  const hooks: Stage[] = [];
  let api: INestApplication | undefined;
  let apiUrl: string | undefined;
  const logger = new NestPinoLogger(core.logger);
  // Where ClickHouse is open (see lag-recorder.ts for why there, and why several are fine).
  const lagRecorder = core.clickhouse && core.config.lagSampleMs > 0 ? new LagRecorder(core, core.config.lagSampleMs) : undefined;
  const close = async () => {
    await lagRecorder?.stop();
    await closeAll(microservices, hooks, api);
  };
  try {
    for (const name of services) {
      const spec = specs[name];
      if (!spec) continue;
      const relay = new RebalanceRelay();
      const strategy = new KafkaBatchTransport({
        client: core.kafka,
        consumer: {
          groupId: groupId(template, name),
          topics: spec.topics,
          fromBeginning: true,
          rebalance: relay,
          sessionTimeoutMs: core.config.kafkaSessionTimeoutMs,
          maxBytesPerPartition: 4 * 1024 * 1024,
          // Every stage keeps its work per partition, so partitions proceed side by side (a slow
          // receiver or insert holds back only its own partition).
          partitionsConsumedConcurrently: template.topics.partitions,
          ...(spec.fetch === undefined ? {} : { fetch: spec.fetch }),
        },
        pattern: spec.pattern,
        commit: spec.commit,
      });
      const app = await NestFactory.createMicroservice(spec.module, { strategy, logger });
      app.useGlobalFilters(new RethrowRpcFilter());
      await app.init();
      const stage = app.get(spec.stage);
      relay.target = stage;
      hooks.push(stage);
      await app.listen();
      microservices.push(app);
    }
    if (services.includes('api')) {
      const started = await startApi(core, services, logger);
      api = started.app;
      apiUrl = started.url;
    }
    lagRecorder?.start();
  } catch (error) {
    await close();
    throw error;
  }
  return { services, apiUrl, close };
}

async function closeAll(microservices: INestMicroservice[], hooks: Stage[], api: INestApplication | undefined): Promise<void> {
  await api?.close();
  await Promise.all(hooks.map(async (stage) => stage.prepareStop?.()));
  // Upstream first: detect stops producing before the sink and notify stop consuming.
  for (const app of microservices.splice(0)) await app.close();
}

/** The sink stores into ClickHouse, open in the process that runs it (chdb allows one process per directory). */
function clickHouseWriter(core: VigilCore): ClickHouseSink {
  if (!core.clickhouse) throw new Error('the sink stage needs ClickHouse open in this process');
  return new ClickHouseSink(core.clickhouse, core.config.clickhouse.database);
}
