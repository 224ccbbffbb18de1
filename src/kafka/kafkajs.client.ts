import { Kafka } from 'kafkajs';
import type { Logger } from '../logging/logger.js';
import { createKafkajsAdmin } from './kafkajs.admin.js';
import { KafkajsBatchConsumer } from './kafkajs.consumer.js';
import { KAFKAJS_LOG_LEVEL, kafkajsLogCreator } from './kafkajs.logger.js';
import { createKafkajsProducer } from './kafkajs.producer.js';
import { readToEnd } from './kafkajs.reader.js';
import type { KafkaClient } from './kafka.types.js';

export interface KafkajsClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** kafkajs' own warnings and errors go here (component: 'kafkajs'); none when omitted. */
  readonly logger?: Logger;
  /**
   * How many times kafkajs retries a failing request (connect, metadata, commit...) before the
   * error surfaces as VIGIL_KAFKA. Default: kafkajs' own (5, backing off from 300 ms to 30 s).
   * Producers are idempotent and always retry without limit.
   */
  readonly retries?: number;
  /** While this returns true, kafkajs' log entries are dropped (e.g. once the broker is known to be gone). */
  readonly muted?: () => boolean;
}

/**
 * KafkaClient (kafka.types.ts) on kafkajs. One kafkajs instance per client; every consumer,
 * producer and admin made from it opens its own connections and must be stopped/closed.
 */
export function createKafkajsClient(options: KafkajsClientOptions): KafkaClient {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: KAFKAJS_LOG_LEVEL,
    logCreator: kafkajsLogCreator(options.logger, options.muted),
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
  });
  return {
    consumer: (consumerOptions) => new KafkajsBatchConsumer(kafka, consumerOptions, options.logger),
    producer: (producerOptions) => createKafkajsProducer(kafka, producerOptions),
    admin: () => createKafkajsAdmin(kafka),
    readToEnd: (topic, partitions, onMessages, readOptions) =>
      readToEnd(kafka, topic, partitions, onMessages, { ...(options.logger ? { logger: options.logger } : {}), ...readOptions }),
  };
}
