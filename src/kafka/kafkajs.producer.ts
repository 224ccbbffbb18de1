import { setTimeout as delay } from 'node:timers/promises';
import { Partitioners, type Kafka, type Producer as KafkajsProducer, type Transaction } from 'kafkajs';
import { VigilError } from '../errors/vigil-error.js';
import { kafkaCall } from './kafkajs.errors.js';
import { toKafkajsOffsets, toTopicMessages } from './kafkajs.messages.js';
import { sendChunks } from './send-chunks.js';
import type { OutgoingMessage, Producer, ProducerOptions, ProducerTransaction, TopicPartitionOffset } from './kafka.types.js';

/** acks=all: a send resolves only when every in-sync replica has the records. */
const ACKS_ALL = -1;

/**
 * A transaction's first request right after the previous commit often gets CONCURRENT_TRANSACTIONS
 * (the coordinator is still writing markers) and kafkajs retries it from its 300 ms default, which
 * held up every partition's fetch round (and the alerts behind it). Writing the markers takes a few
 * milliseconds on a local broker, so the first retry comes after 3 ms, doubling, for about the same
 * total budget (~12 s) as kafkajs' default; back-to-back transactions of one producer commit
 * several times sooner than with a 20 ms first retry (docs/performance.md).
 */
const TRANSACTIONAL_RETRY = { initialRetryTime: 3, retries: 12 };

/**
 * Idempotent producer (the broker de-duplicates retried sends). kafkajs retries a failing request
 * only the client's retry budget (5 by default: its unlimited default for idempotent producers is
 * skipped whenever the client has a retry object, which it always has), or TRANSACTIONAL_RETRY's
 * with a transactionalId; a send that still fails
 * surfaces as VIGIL_KAFKA and the stage backs off and re-processes the batch. One request in flight
 * per connection: kafkajs' idempotent sequence numbers have a history of OUT_OF_ORDER_SEQUENCE_NUMBER
 * failures with concurrent requests (tulios/kafkajs#598), and transactions require it.
 *
 * With a transactionalId, send() runs as its own one-record-set transaction (kafkajs would otherwise
 * send it with a separate idempotent producer id outside any transaction), and the producer is
 * returned only once it has fenced the id's earlier producers (fencePreviousOwners).
 */
export async function createKafkajsProducer(kafka: Kafka, options: ProducerOptions = {}): Promise<Producer> {
  const { transactionalId } = options;
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(transactionalId === undefined ? {} : { transactionalId, retry: TRANSACTIONAL_RETRY }),
  });
  await kafkaCall('connect producer', () => producer.connect());
  if (transactionalId !== undefined) {
    try {
      await kafkaCall(`initialize transactions (${transactionalId})`, () => fencePreviousOwners(producer));
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }
  return new KafkajsProducerAdapter(producer, transactionalId);
}

/**
 * The Java client's initTransactions(): registers the transactional id (InitProducerId with it),
 * which fences every earlier producer of that id and settles its last transaction first (a commit
 * the coordinator had accepted is completed, markers written; anything else is aborted). kafkajs'
 * connect() takes a producer id without the transactional id, fencing nobody, and registers the id
 * only at the first transaction(); a caller that reads what the previous owner committed (detect's
 * restore from the changelog) between the two could miss a commit still being completed, then
 * process the same input again. An empty transaction does it: aborting one that sent nothing
 * sends no request.
 */
async function fencePreviousOwners(producer: KafkajsProducer): Promise<void> {
  const tx = await producer.transaction();
  await tx.abort();
}

class KafkajsProducerAdapter implements Producer {
  constructor(
    private readonly producer: KafkajsProducer,
    private readonly transactionalId: string | undefined,
  ) {}

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (this.transactionalId !== undefined) {
      const tx = await this.transaction();
      try {
        await tx.send(messages);
        await tx.commit();
      } catch (error) {
        await tx.abort().catch(() => undefined);
        throw error;
      }
      return;
    }
    for (const chunk of sendChunks(messages)) {
      await kafkaCall('send', () => this.producer.sendBatch({ topicMessages: toTopicMessages(chunk), acks: ACKS_ALL }));
    }
  }

  async transaction(): Promise<ProducerTransaction> {
    if (this.transactionalId === undefined) {
      throw new VigilError('VIGIL_KAFKA', 'transaction() needs a producer created with a transactionalId');
    }
    const tx = await kafkaCall(`begin transaction (${this.transactionalId})`, () => this.producer.transaction());
    return new KafkajsTransaction(tx, this.transactionalId);
  }

  async close(): Promise<void> {
    await kafkaCall('disconnect producer', () => this.producer.disconnect());
  }
}

class KafkajsTransaction implements ProducerTransaction {
  constructor(
    private readonly tx: Transaction,
    private readonly transactionalId: string,
  ) {}

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const chunk of sendChunks(messages)) {
      await kafkaCall(`transactional send (${this.transactionalId})`, () =>
        whileConcurrentTransaction(() => this.tx.sendBatch({ topicMessages: toTopicMessages(chunk), acks: ACKS_ALL })),
      );
    }
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await kafkaCall(`send offsets of group ${groupId} (${this.transactionalId})`, () =>
      whileConcurrentTransaction(() => this.tx.sendOffsets({ consumerGroupId: groupId, topics: toKafkajsOffsets(offsets) })),
    );
  }

  async commit(): Promise<void> {
    await kafkaCall(`commit transaction (${this.transactionalId})`, () => this.tx.commit());
  }

  async abort(): Promise<void> {
    await kafkaCall(`abort transaction (${this.transactionalId})`, () => this.tx.abort());
  }
}

const CONCURRENT_TRANSACTIONS = 'CONCURRENT_TRANSACTIONS';
const CONCURRENT_ATTEMPTS = 10;

/**
 * Right after a commit the coordinator is still writing the previous transaction's markers and
 * answers CONCURRENT_TRANSACTIONS to the next one's first request. The Java client retries that
 * itself; kafkajs does not. The request was rejected, so repeating it is safe.
 */
async function whileConcurrentTransaction<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isConcurrentTransactions(error) || attempt >= CONCURRENT_ATTEMPTS) throw error;
      await delay(Math.min(500, 2 * 2 ** attempt));
    }
  }
}

/** kafkajs may wrap the protocol error in KafkaJSNumberOfRetriesExceeded; look through causes. */
function isConcurrentTransactions(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if ((e as { type?: unknown }).type === CONCURRENT_TRANSACTIONS) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
