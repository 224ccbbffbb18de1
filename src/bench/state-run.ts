import './quiet-warnings.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTemplateByRef } from '../app/build-core.js';
import { detectorSlots } from '../runtime/detector-slots.js';
import { loadConfig } from '../config/vigil-config.js';
import type { DetectorLogger } from '../model/detector.js';
import { VELOCITY_STORE } from '../detectors/velocity/velocity.detector.js';
import { describeError } from '../errors/vigil-error.js';
import { createKafkajsClient } from '../kafka/kafkajs.client.js';
import type { KafkaClient } from '../kafka/kafka.types.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { encodeRecord } from '../runtime/changelog.js';
import { ChangelogRestorer } from '../runtime/changelog-restorer.js';
import { DetectProcessor } from '../stages/detect/detect.processor.js';
import { EventDecoder } from '../runtime/event-decoder.js';
import { PartitionRuntime, type DetectorSlot } from '../runtime/partition-runtime.js';
import type { Template } from '../model/template/template.schema.js';
import { round } from './measurement.js';
import { financeEventJson, shortestStateTtlMs, STATE_RUN_START_MS } from './state-events.js';
import type { StateChangelog, StateFeed, StateMemory, StateRestore, StateResult } from './state-result.js';
import { ChangelogSpill } from './state-spill.js';

/**
 * Child process entry (spawned by state-measure.ts under `node --expose-gc`, so heap figures are
 * taken after full GCs on a heap holding nothing else of the bench):
 *   1. feeds `--keys` finance events, one per card, through a PartitionRuntime of the template's
 *      detectors (drainChanges() every `--drain-every` events, the records spilled to a file), then
 *      reports V8 heap per key of the state;
 *   2. writes the drained records to partition `--partition` of the compacted changelog topic
 *      `--topic` with Vigil's producer in batches of `--batch-bytes`;
 *   3. restores that partition into a fresh runtime exactly as DetectStage.restore does
 *      (kafka.readToEnd into the ChangelogRestorer, then its finish) and reports keys/s.
 * Prints one StateResult JSON line on stdout; progress and logs go to stderr.
 */

/** Events run through a throw-away runtime first, so the code they need is compiled before the heap is measured. */
const WARM_UP_EVENTS = 5_000;

const { values } = parseArgs({
  strict: true,
  options: {
    template: { type: 'string' },
    keys: { type: 'string' },
    topic: { type: 'string' },
    partition: { type: 'string', default: '0' },
    'spill-dir': { type: 'string' },
    'drain-every': { type: 'string', default: '5000' },
    'batch-bytes': { type: 'string', default: '900000' },
  },
});
const options = {
  template: values.template ?? '',
  keys: Number(values.keys),
  topic: values.topic ?? '',
  partition: Number(values.partition),
  spillDir: values['spill-dir'] ?? '',
  drainEvery: Number(values['drain-every']),
  batchBytes: Number(values['batch-bytes']),
};
const gc = (globalThis as { gc?: () => void }).gc;
if (!options.template || !options.topic || !options.spillDir || !(options.keys > 0) || !(options.partition >= 0) || !(options.drainEvery > 0) || !(options.batchBytes > 0)) {
  process.stderr.write('usage: node --expose-gc state-run.js --template FILE --keys N --topic T --spill-dir DIR [--partition P] [--drain-every N] [--batch-bytes N]\n');
  process.exit(2);
}
if (!gc) {
  process.stderr.write('state-run: needs node --expose-gc\n');
  process.exit(2);
}
const collect: () => void = gc;

// The parent holds our stdin open and never writes: EOF means it died without stopping us.
process.stdin.once('end', () => process.exit(3));
process.stdin.resume();

const result = await run();
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(result.ok ? 0 : 1));

interface Phases {
  feed?: StateFeed;
  memory?: StateMemory;
  changelog?: StateChangelog;
  restore?: StateRestore;
}

async function run(): Promise<StateResult> {
  const cpuBefore = process.cpuUsage();
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, 'vigil-bench-state');
  const phases: Phases = {};
  let detectors: string[] = [];
  let error: string | undefined;
  try {
    if (!config.kafkaBrokers) throw new Error('KAFKA_BROKERS is not set');
    const loaded = await loadTemplateByRef(config, options.template);
    const slots = detectorSlots(loaded);
    detectors = slots.map((s) => s.id);
    const log = detectorLogger(logger);
    const kafka = createKafkajsClient({ brokers: config.kafkaBrokers, clientId: 'vigil-bench-state', logger });
    const spill = new ChangelogSpill(path.join(options.spillDir, 'state-changelog.bin'));
    let expected: { digest: string; keyCount: number };
    try {
      // Only the digest comes back: the live runtime is unreachable once feed() returns.
      expected = feed(loaded.template, slots, log, spill, phases);
    } finally {
      spill.close();
    }
    phases.changelog = await writeChangelog(kafka, loaded.template, spill);
    phases.restore = await restore(kafka, loaded.template, slots, log, expected, spill.records);
  } catch (caught) {
    error = describeError(caught);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    keys: options.keys,
    partition: options.partition,
    detectors,
    ...phases,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
  };
}

/** Phase 1: one event per card through a fresh runtime; returns the digest of its state. */
function feed(template: Template, slots: readonly DetectorSlot[], log: DetectorLogger, spill: ChangelogSpill, phases: Phases): { digest: string; keyCount: number } {
  const { keys, drainEvery } = options;
  const ttlMs = shortestStateTtlMs(template, slots);
  // Under one TTL of event time, so the runtime never rotates (nor evicts) during the run.
  const spanMs = Math.floor(ttlMs * 0.9);
  const decoder = new EventDecoder(template);
  const source = { topic: template.topics.input, partition: options.partition };
  const run = (runtime: PartitionRuntime, events: number, drain: () => void) => {
    let findings = 0;
    for (let i = 0; i < events; i++) {
      const time = STATE_RUN_START_MS + Math.floor((i * spanMs) / events);
      const event = decoder.decode(financeEventJson(i, time), { ...source, offset: String(i) });
      const processed = runtime.process(event);
      if (processed.late) throw new Error(`event ${i} was late (watermark ${processed.late.watermark})`);
      const failure = processed.failures[0];
      if (failure) throw new Error(`detector ${failure.detector} failed on event ${i}: ${describeError(failure.error)}`);
      findings += processed.findings.length;
      if ((i + 1) % drainEvery === 0) drain();
    }
    drain();
    return findings;
  };
  const warmUp = new PartitionRuntime(template, slots, log);
  run(warmUp, Math.min(WARM_UP_EVENTS, keys), () => warmUp.drainChanges().map(encodeRecord));

  const runtime = new PartitionRuntime(template, slots, log);
  const heapBefore = heapAfterGc();
  const started = performance.now();
  let drains = 0;
  const findings = run(runtime, keys, () => {
    spill.append(runtime.drainChanges().map(encodeRecord));
    drains++;
  });
  const seconds = (performance.now() - started) / 1000;
  const heapAfter = heapAfterGc();
  const keyCount = runtime.state.keyCount();
  if (runtime.evicted > 0) throw new Error(`the runtime evicted ${runtime.evicted} keys during the run: the per-key figures would not hold`);
  // Every detector keeps its own store, so the keys held are (stores per card) × cards; each card
  // is in the velocity store exactly once.
  const cards = velocityKeys(runtime, slots);
  if (cards !== keys) throw new Error(`the velocity store holds ${cards} keys after ${keys} distinct cards`);
  phases.feed = {
    events: keys,
    seconds: round(seconds, 3),
    rate: Math.round(keys / seconds),
    drains,
    drainEvery,
    eventSpanSeconds: round(spanMs / 1000, 1),
    stateTtlSeconds: round(ttlMs / 1000, 1),
    evicted: runtime.evicted,
    findings,
  };
  phases.memory = {
    keyCount,
    heapDeltaBytes: heapAfter - heapBefore,
    heapBytesPerKey: round((heapAfter - heapBefore) / keyCount, 1),
    heapBytesPerCard: round((heapAfter - heapBefore) / keys, 1),
    estimateBytesPerKey: round(runtime.state.estimateBytes() / keyCount, 1),
    changelogBytesPerKey: round(spill.bytes / keyCount, 1),
  };
  progress(`fed ${keys} events in ${phases.feed.seconds} s: ${phases.memory.heapBytesPerKey} heap bytes/key, ${spill.records} changelog records`);
  return { digest: stateDigest(runtime, slots), keyCount };
}

function velocityKeys(runtime: PartitionRuntime, slots: readonly DetectorSlot[]): number {
  const slot = slots.find((s) => s.definition.meta.name === 'velocity');
  return slot === undefined ? runtime.state.keyCount() : runtime.state.store<unknown>(slot.id, VELOCITY_STORE).size;
}

/** Phase 2: the spilled records to one partition of a compacted topic, as the detect stage's changelog is. */
async function writeChangelog(kafka: KafkaClient, template: Template, spill: ChangelogSpill): Promise<StateChangelog> {
  const { topic, partition, batchBytes } = options;
  const admin = await kafka.admin();
  try {
    await admin.ensureTopics([{ topic, partitions: Math.max(template.topics.partitions, partition + 1), config: { 'cleanup.policy': 'compact' } }]);
  } finally {
    await admin.close();
  }
  const producer = await kafka.producer();
  const started = performance.now();
  let sends = 0;
  try {
    for (const batch of spill.batches(batchBytes)) {
      await producer.send(batch.map((r) => ({ topic, partition, key: r.key, value: r.value })));
      sends++;
    }
  } finally {
    await producer.close();
  }
  const seconds = (performance.now() - started) / 1000;
  progress(`wrote ${spill.records} changelog records (${round(spill.bytes / 1024 / 1024, 1)} MiB) in ${round(seconds, 2)} s`);
  return { topic, records: spill.records, bytes: spill.bytes, sends, batchBytes, seconds: round(seconds, 3), rate: Math.round(spill.records / seconds) };
}

/** Phase 3: DetectStage.restore for one partition, timed from readToEnd's call to the last record applied. */
async function restore(kafka: KafkaClient, template: Template, slots: readonly DetectorSlot[], log: DetectorLogger, expected: { digest: string; keyCount: number }, written: number): Promise<StateRestore> {
  const { partition } = options;
  const processor = new DetectProcessor(template, slots, log);
  const heapBefore = heapAfterGc();
  const cpuBefore = process.cpuUsage();
  // In a function of its own, so nothing of the read (records, batches) is left on this frame.
  const timed = await timedRestore(kafka, processor);
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = heapAfterGc();
  const { keys, records } = timed;
  if (records !== written) throw new Error(`restore read ${records} records, ${written} were written`);
  const matches = keys === expected.keyCount && stateDigest(processor.runtime(partition), slots) === expected.digest;
  const seconds = timed.appliedMs / 1000;
  const result: StateRestore = {
    keys,
    records,
    seconds: round(seconds, 3),
    rate: Math.round(keys / seconds),
    readSeconds: round(timed.readSeconds, 3),
    firstMessageSeconds: round(timed.firstMessageMs / 1000, 3),
    lastMessageSeconds: round(timed.lastMessageMs / 1000, 3),
    decodeSeconds: round(timed.decodeMs / 1000, 3),
    applySeconds: round((timed.appliedMs - timed.readDoneMs) / 1000, 3),
    batches: timed.batches,
    meanBatchRecords: timed.batches > 0 ? Math.round(records / timed.batches) : 0,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    heapBytesPerKey: keys > 0 ? round((heapAfter - heapBefore) / keys, 1) : 0,
    matches,
  };
  progress(`restored ${keys} keys in ${result.seconds} s (${result.rate} keys/s), ${result.heapBytesPerKey} heap bytes/key restored`);
  return result;
}

/** Milliseconds from calling readToEnd. */
interface RestoreTiming {
  readonly keys: number;
  readonly records: number;
  readonly readSeconds: number;
  readonly firstMessageMs: number;
  readonly lastMessageMs: number;
  readonly decodeMs: number;
  readonly readDoneMs: number;
  readonly appliedMs: number;
  readonly batches: number;
}

async function timedRestore(kafka: KafkaClient, processor: DetectProcessor): Promise<RestoreTiming> {
  const { topic, partition } = options;
  let firstAt: number | undefined;
  let lastAt = 0;
  let decodeMs = 0;
  let batches = 0;
  // Offsets must only go forward. A reader handing out offsets again never reaches the end and
  // piles up decoded copies until the heap runs out: stop at the first one, with the offsets.
  const next = new Map<number, bigint>();
  let reread: ((error: Error) => void) | undefined;
  const rereadSeen = new Promise<never>((_, reject) => (reread = reject));
  rereadSeen.catch(() => undefined);
  const t0 = performance.now();
  // From here to `applied`, the same steps as DetectStage.restore([partition]), plus the offset check.
  const restorer = new ChangelogRestorer(new Map([[partition, processor.fresh(partition)]]));
  const reading = kafka.readToEnd(topic, [partition], (p, messages) => {
    const decodeStarted = performance.now();
    firstAt ??= decodeStarted;
    const first = messages[0];
    const expected = next.get(p) ?? 0n;
    if (first && BigInt(first.offset) < expected) {
      reread?.(new Error(`readToEnd handed out partition ${p} offsets ${first.offset}..${messages.at(-1)!.offset} again after reading up to ${expected - 1n} (batch ${batches + 1}): it would never reach the end (kafkajs fetches from the last resolved offset; is each batch resolved?)`));
      reread = undefined;
      return;
    }
    restorer.apply(p, messages);
    if (messages.length > 0) next.set(p, BigInt(messages.at(-1)!.offset) + 1n);
    lastAt = performance.now();
    decodeMs += lastAt - decodeStarted;
    batches++;
  });
  // On a re-read the reader goes on until its own timeout; the child exits before that.
  reading.catch(() => undefined);
  const read = await Promise.race([reading, rereadSeen]);
  const readDone = performance.now();
  const { keys } = restorer.finish();
  const applied = performance.now();
  return {
    keys,
    records: read.messages,
    readSeconds: read.seconds,
    firstMessageMs: (firstAt ?? readDone) - t0,
    lastMessageMs: lastAt - t0,
    decodeMs,
    readDoneMs: readDone - t0,
    appliedMs: applied - t0,
    batches,
  };
}

/**
 * A hash of every velocity store's values in store order (the order keys were put or restored),
 * to check the restore rebuilt the same state. Stores of other detector types are not covered.
 */
function stateDigest(runtime: PartitionRuntime, slots: readonly DetectorSlot[]): string {
  const hash = createHash('sha256');
  for (const slot of slots) {
    if (slot.definition.meta.name !== 'velocity') continue;
    const store = runtime.state.store<unknown>(slot.id, VELOCITY_STORE);
    for (const value of store.sample(store.size)) hash.update(JSON.stringify(value)).update('\n');
  }
  return hash.digest('hex');
}

function heapAfterGc(): number {
  // Twice: objects with finalizers or weak references can need a second full collection.
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

function detectorLogger(logger: Logger): DetectorLogger {
  return {
    debug: (message, details) => logger.debug(details ?? {}, message),
    info: (message, details) => logger.info(details ?? {}, message),
    warn: (message, details) => logger.warn(details ?? {}, message),
  };
}

function progress(line: string): void {
  process.stderr.write(`  state: ${line}\n`);
}
