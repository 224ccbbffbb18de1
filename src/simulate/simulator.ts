import { realClock, type SimulatorClock } from './clock.js';
import type { FeedbackLabel } from '../model/records.js';
import type { EventGenerator } from './generator.js';

export interface SimulatedMessage {
  /** The Kafka key (the template's event.key value). */
  readonly key: string;
  /** The event JSON, including its `_label`; the caller serialises it. */
  readonly value: Record<string, unknown>;
  /** Event time, epoch ms. */
  readonly time: number;
  /** Its label for the feedback topic, due at `labelled_at`, when the generator makes one. */
  readonly feedback?: FeedbackLabel;
}

export interface SimulatorProgress {
  readonly events: number;
  readonly fraud: number;
  readonly batches: number;
  /** Event time of the last event sent, epoch ms. */
  readonly time: number;
}

export interface SimulatorOptions {
  readonly generator: EventGenerator;
  /** Average events per second; the generator's `intensity` shapes it over the day. */
  readonly rate: number;
  /** Stop after this many events. */
  readonly count?: number;
  /** Stop after this much time on the clock (simulated time with a VirtualClock). */
  readonly durationMs?: number;
  /** Stop when aborted (after the batch in flight). */
  readonly signal?: AbortSignal;
  /** Delivers one batch; the next batch waits for it, so a slow sink slows the simulator. */
  send(batch: SimulatedMessage[]): Promise<void>;
  onProgress?(progress: SimulatorProgress): void;
  /** Default: the wall clock. A VirtualClock runs a simulated period as fast as `send` allows. */
  readonly clock?: SimulatorClock;
  /** Largest batch; default about 50 ms worth of events at `rate`, between 1 and 500. */
  readonly batchSize?: number;
  /** Bucket capacity: how far behind the clock the simulator may fall before it skips ahead. Default 1000 ms. */
  readonly maxLagMs?: number;
}

export interface SimulatorResult {
  readonly events: number;
  /** Events labelled as fraud. */
  readonly fraud: number;
  readonly batches: number;
}

/** Longest single sleep, so an abort is noticed promptly even at low rates. */
const MAX_SLEEP_MS = 250;
/** Longest an event waits for its batch to fill, so a large `batchSize` cannot add latency. */
const MAX_BATCH_WAIT_MS = 100;
/** Floor for the generator's intensity, so a quiet hour cannot stall the simulator. */
const MIN_INTENSITY = 0.01;

/**
 * Sends generated events at `rate` per second, paced by a token bucket and sent in small batches.
 * Tokens accrue at rate x intensity; each token carries the instant it accrued, which becomes its
 * event's time, so event times are evenly spread rather than clumped per batch. The bucket holds
 * at most `maxLagMs` of tokens: after a stall (a slow broker) the simulator skips ahead instead of
 * replaying a backlog, so the rate is capped, never exceeded for long.
 */
export async function runSimulator(options: SimulatorOptions): Promise<SimulatorResult> {
  const { generator, rate, count, durationMs, signal, clock = realClock } = options;
  if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
  const batchSize = options.batchSize ?? Math.min(500, Math.max(1, Math.ceil(rate / 20)));
  const maxLagMs = options.maxLagMs ?? 1000;
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  const start = clock.now();
  const end = durationMs === undefined ? Infinity : start + durationMs;
  let due = start;
  let events = 0;
  let fraud = 0;
  let batches = 0;
  let lastTime = start;

  const gapAt = (time: number): number => 1000 / (rate * Math.max(MIN_INTENSITY, generator.intensity?.(time) ?? 1));
  const done = (): boolean => (count !== undefined && events >= count) || due >= end;
  while (!done() && signal?.aborted !== true) {
    const now = clock.now();
    if (now - due > maxLagMs) due = now - maxLagMs;
    // Wait until a full batch worth of tokens has accrued (or the last event this run will send).
    const wanted = Math.min(batchSize, count === undefined ? batchSize : count - events);
    const filledAt = Math.min(due + (wanted - 1) * gapAt(due), due + MAX_BATCH_WAIT_MS, end);
    if (filledAt > now) {
      await clock.sleep(Math.min(filledAt - now, MAX_SLEEP_MS));
      continue;
    }
    const batch: SimulatedMessage[] = [];
    let batchFraud = 0;
    while (batch.length < batchSize && due <= now && due < end && (count === undefined || events + batch.length < count)) {
      lastTime = Math.floor(due);
      const event = generator.next(lastTime);
      batch.push({ key: event.key, value: event.value, time: lastTime, ...(event.feedback === undefined ? {} : { feedback: event.feedback }) });
      if (event.label.fraud) batchFraud++;
      due += gapAt(due);
    }
    await options.send(batch);
    events += batch.length;
    fraud += batchFraud;
    batches++;
    options.onProgress?.({ events, fraud, batches, time: lastTime });
  }
  return { events, fraud, batches };
}
