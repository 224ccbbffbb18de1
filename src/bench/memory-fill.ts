import type { KafkaClient, OutgoingMessage } from '../kafka/kafka.types.js';
import type { Template } from '../model/template/template.schema.js';
import { fillStartTimeMs } from './fill-topic.js';
import { BenchError, round } from './measurement.js';
import { cardId, financeEventJson } from './state-events.js';

export interface CardsFill {
  readonly events: number;
  readonly cards: number;
  /** Event time from the first event to the last. */
  readonly eventSpanSeconds: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly rate: number;
}

export interface CardsFillOptions {
  readonly kafka: KafkaClient;
  readonly template: Template;
  readonly topic: string;
  readonly events: number;
  /** Event i is card i mod `cards`, so every card is seen once `events` >= `cards`. */
  readonly cards: number;
  /** Event time the events span, evenly spaced. */
  readonly spanMs: number;
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

/**
 * Creates `topic` (the template's partition count) and fills it with finance payments cycling
 * through `cards` distinct cards (JSON values of state-events.ts, key = card id, so each card has
 * one partition), through Vigil's producer. Event time starts at fill-topic's start and spans
 * `spanMs`: kept under the detectors' state TTL, every card stays in state to the end.
 */
export async function fillCardsTopic(options: CardsFillOptions): Promise<CardsFill> {
  const { kafka, template, topic, events, cards, spanMs, batchSize, signal } = options;
  const admin = await kafka.admin();
  try {
    await admin.ensureTopics([{ topic, partitions: template.topics.partitions }]);
  } finally {
    await admin.close();
  }
  const start = fillStartTimeMs(spanMs, Date.now());
  const producer = await kafka.producer();
  const started = performance.now();
  let produced = 0;
  let bytes = 0;
  let inFlight: Promise<void> | undefined;
  try {
    while (produced < events) {
      if (signal.aborted) throw new BenchError('fill: aborted', { cause: signal.reason });
      const batch: OutgoingMessage[] = [];
      const size = Math.min(batchSize, events - produced);
      for (let i = produced; i < produced + size; i++) {
        const card = i % cards;
        const value = financeEventJson(i, start + Math.floor((i * spanMs) / events), card);
        bytes += value.length;
        batch.push({ topic, key: cardId(card), value });
      }
      await inFlight;
      inFlight = producer.send(batch);
      produced += size;
    }
    await inFlight;
  } finally {
    await inFlight?.catch(() => undefined);
    await producer.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, cards, eventSpanSeconds: round(spanMs / 1000, 1), bytes, seconds: round(seconds, 3), rate: Math.round(events / seconds) };
}
