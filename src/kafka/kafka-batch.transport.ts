import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { VigilError, describeError } from '../errors/vigil-error.js';
import { KafkaBatchContext } from './kafka-batch.context.js';
import type { BatchConsumer, BatchControl, ConsumerOptions, KafkaClient, MessageBatch } from './kafka.types.js';

export { KafkaBatchContext } from './kafka-batch.context.js';

/** transportId of KafkaBatchTransport, for `@EventPattern(pattern, KAFKA_BATCH_TRANSPORT)`. */
export const KAFKA_BATCH_TRANSPORT: unique symbol = Symbol('VIGIL_KAFKA_BATCH');

export interface KafkaBatchTransportOptions {
  readonly client: KafkaClient;
  readonly consumer: ConsumerOptions;
  /** The `@EventPattern` whose handler receives every batch. */
  readonly pattern: string;
  /**
   * 'after-handler': the transport commits `last offset + 1` of the batch's partition once the
   * handler resolved (not when the batch went stale). 'by-handler': the handler commits itself,
   * e.g. with ProducerTransaction.sendOffsets for exactly-once output.
   */
  readonly commit: 'after-handler' | 'by-handler';
}

type TransportEvents = { error: (error: Error) => void };
type TransportStatus = 'connected' | 'disconnected';

/**
 * NestJS microservice transport that hands whole Kafka batches (one partition each) to one
 * `@EventPattern` handler: `handle(batch: MessageBatch, context: KafkaBatchContext)`.
 *
 * A handler that throws (or whose observable errors) commits nothing; the consumer logs the failure
 * and delivers the batch again after a backoff (see KafkajsBatchConsumer). `on('error', fn)` sees
 * each failure too. Nest's default RPC exception filter logs an unknown error and replaces it with
 * `{ status: 'error', message }`; that message is what reaches us.
 */
export class KafkaBatchTransport extends Server<TransportEvents, TransportStatus> implements CustomTransportStrategy {
  override transportId = KAFKA_BATCH_TRANSPORT;
  /** We await the handler and act on its failure, so Nest need not report it a second time. */
  override readonly propagatesEventHandlerErrors = true;
  private consumer: BatchConsumer | undefined;
  private readonly errorListeners = new Set<(error: Error) => void>();

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
  }

  /** Nest calls this from app.listen(); the callback gets an error when the consumer cannot start. */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops fetching, lets the batch in progress finish (and commit), leaves the group. */
  async close(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    await consumer.stop();
    this._status$.next('disconnected');
  }

  on<EventKey extends keyof TransportEvents = keyof TransportEvents>(event: EventKey, callback: TransportEvents[EventKey]): void {
    if (event !== 'error') throw new VigilError('VIGIL_KAFKA', `KafkaBatchTransport has no '${String(event)}' event`);
    this.errorListeners.add(callback);
  }

  /** The BatchConsumer (after listen()). */
  unwrap<T>(): T {
    if (!this.consumer) {
      throw new VigilError('VIGIL_KAFKA', 'KafkaBatchTransport is not listening yet: call app.listen() first');
    }
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const { pattern } = this.options;
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      throw new VigilError('VIGIL_KAFKA', `no @EventPattern('${pattern}') handler is registered for KafkaBatchTransport`);
    }
    const consumer = this.options.client.consumer(this.options.consumer);
    this.consumer = consumer;
    await consumer.run(async (batch, control) => {
      await this.handleBatch(consumer, batch, control);
    });
    this._status$.next('connected');
  }

  private async handleBatch(consumer: BatchConsumer, batch: MessageBatch, control: BatchControl): Promise<void> {
    const handler = this.getHandlerByPattern(this.options.pattern);
    if (!handler) throw new VigilError('VIGIL_KAFKA', `@EventPattern('${this.options.pattern}') handler disappeared`);
    try {
      const result: unknown = await handler(batch, new KafkaBatchContext([batch, control, consumer]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } catch (error) {
      const failure = asError(error);
      for (const listener of this.errorListeners) listener(failure);
      throw failure;
    }
    if (this.options.commit !== 'after-handler' || control.isStale()) return;
    const last = batch.messages.at(-1);
    if (!last) return;
    await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
  }
}

/** Nest's RPC exception filter rejects with plain `{ status, message }` objects. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? describeError(error.message) : describeError(error);
  return new VigilError('VIGIL_KAFKA', `batch handler failed: ${message}`, { cause: error });
}
