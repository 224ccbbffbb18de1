import type { KafkaClient, Producer, ProducerOptions } from '../kafka/kafka.types.js';

/**
 * A producer created on first use and shared by whoever asks meanwhile (partitions run
 * concurrently, so it must be created once). One that failed to start is forgotten, so the next
 * use tries again instead of failing forever.
 */
export class LazyProducer {
  private producer: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly options?: ProducerOptions,
  ) {}

  get(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer(this.options);
      this.producer = producer;
      producer.catch(() => {
        if (this.producer === producer) this.producer = undefined;
      });
    }
    return this.producer;
  }

  /** Closes it if it started; a producer that failed to start has nothing to close. */
  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((p) => p.close()).catch(() => undefined);
  }
}
