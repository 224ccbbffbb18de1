import type { KafkaClient, OutgoingMessage } from '../kafka/kafka.types.js';
import type { Template } from '../model/template/template.schema.js';
import { BenchError, round } from './measurement.js';
import { builtInGenerators } from '../domains/domains.js';

/**
 * Event time of the first event of a fill spanning `spanMs` of event time: 08:00 UTC of the latest
 * day on which the whole fill lies in the past. Recent, so the events table's TTL (90 days in the finance template) keeps every row as it
 * would for live traffic (ClickHouse drops expired rows when it writes and merges parts, so a fixed
 * date in the past would leave the table empty); a fixed time of day, so the daily rhythm and hence
 * the findings count repeat from run to run; in the past, because the peers write their output
 * with the event's time and a broker refuses records more than an hour ahead of its clock
 * (`log.message.timestamp.after.max.ms`): a fill starting at 08:00 today made the peers fail
 * whenever the bench ran before about 07:00 UTC.
 */
export function fillStartTimeMs(spanMs: number, nowMs: number): number {
  const now = new Date(nowMs);
  let start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 8, 0, 0);
  while (start + spanMs > nowMs) start -= DAY_MS;
  return start;
}
/** Virtual time between events: the template's simulator rate (200/s). */
const STEP_MS = 5;
const DAY_MS = 86_400_000;

export interface FillMeasurement {
  readonly events: number;
  readonly fraud: number;
  readonly bytes: number;
  readonly batches: number;
  /** Wall time of the whole fill: generating, serialising and producing (overlapped). */
  readonly seconds: number;
  /** Of which generating and JSON-encoding events on the main thread. */
  readonly generateSeconds: number;
  readonly rate: number;
}

export interface FillOptions {
  readonly kafka: KafkaClient;
  /** The base template: its simulator and partition count. */
  readonly template: Template;
  readonly topic: string;
  readonly events: number;
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

/**
 * Creates `topic` (the template's partition count) and fills it with `events` finance events in
 * the shape the template maps (JSON value, key = card id), through Vigil's own producer
 * (idempotent, acks=all) in large batches. Virtual time advances 5 ms per event, so detectors see
 * the same traffic as `vigil simulate` at its default rate, only produced as fast as Kafka takes it.
 * Generating batch k+1 overlaps with producing batch k.
 */
export async function fillTopic(options: FillOptions): Promise<FillMeasurement> {
  const { kafka, template, topic, events, batchSize, signal } = options;
  const simulator = template.simulator;
  if (!simulator) throw new BenchError(`template ${template.name} has no simulator section`);
  const admin = await kafka.admin();
  try {
    await admin.ensureTopics([{ topic, partitions: template.topics.partitions }]);
  } finally {
    await admin.close();
  }
  const start = fillStartTimeMs(events * STEP_MS, Date.now());
  const generator = builtInGenerators().create(simulator.generator, { seed: simulator.seed, params: simulator.params });
  const producer = await kafka.producer();
  const started = performance.now();
  let generateMs = 0;
  let produced = 0;
  let fraud = 0;
  let bytes = 0;
  let batches = 0;
  let inFlight: Promise<void> | undefined;
  try {
    while (produced < events) {
      if (signal.aborted) throw new BenchError('fill: aborted', { cause: signal.reason });
      const generateStarted = performance.now();
      const batch: OutgoingMessage[] = [];
      const size = Math.min(batchSize, events - produced);
      for (let i = 0; i < size; i++) {
        const event = generator.next(start + (produced + i) * STEP_MS);
        const value = JSON.stringify(event.value);
        bytes += value.length;
        if (event.label.fraud) fraud++;
        batch.push({ topic, key: event.key, value });
      }
      generateMs += performance.now() - generateStarted;
      await inFlight;
      inFlight = producer.send(batch);
      produced += size;
      batches++;
    }
    await inFlight;
  } finally {
    // A failed send must not leave another one dangling unobserved.
    await inFlight?.catch(() => undefined);
    await producer.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    events,
    fraud,
    bytes,
    batches,
    seconds: round(seconds, 3),
    generateSeconds: round(generateMs / 1000, 3),
    rate: Math.round(events / seconds),
  };
}
