import { z } from 'zod';
import {
  defineDetector,
  type AnyDetectorDefinition,
  type DetectorContext,
  type DetectorInstance,
  type DetectorLogger,
  type KeyedStore,
  type SignalLookup,
} from '../../model/detector.js';
import type { FeedbackLabel, FieldValue, FindingInput, VigilEvent } from '../../model/records.js';
import type { Template } from '../../model/template/template.schema.js';
import { decodeRecord, encodeRecord, type RecordValue } from '../changelog.js';
import { ChangelogRestorer } from '../changelog-restorer.js';
import { PartitionRuntime } from '../partition-runtime.js';

/** The id the detector under test runs as: its stores are `store(name)` of this context. */
const SLOT = 'detector';
/** Events of this id only move event time: the detector under test never sees them. */
const TICK_ID = '\u0000tick';

export interface TestContextOptions {
  /** The template's `event.maxOutOfOrderness` (ms); default 0: the watermark is the latest event time. */
  readonly maxOutOfOrderness?: number;
  /** The template's `event.allowedLateness` (ms); default 0. */
  readonly allowedLateness?: number;
}

/**
 * Drives one detector on the real PartitionRuntime, without Kafka or a clock: feed events, move
 * event time by hand, look at what it emitted and what state it holds, and restart it from its own
 * changelog. What the runtime does, the detector gets: late events are dropped, timers fire as the
 * watermark passes them, idle keys are evicted after the detector's state TTL, and `emit` outside
 * `process`/`onTimer` throws.
 */
export class DetectorTestContext {
  /** What the detector emitted, in order, as it passed it to `emit`. */
  readonly emitted: FindingInput[] = [];
  readonly logs: { level: string; message: string }[] = [];
  /** What the detector published about the last processed event, by the name it used. */
  published: Record<string, number> = {};
  /** Events the runtime dropped as late (behind the watermark by more than the allowed lateness). */
  readonly late: VigilEvent[] = [];
  /** Every changelog record the runtime wrote, encoded as on the changelog topic. */
  private readonly changelog: { key: string; value: RecordValue }[] = [];
  private inputSignals: SignalLookup = new Map<string, number>();
  private readonly runtime: PartitionRuntime;
  private lastInner: DetectorContext | undefined;

  readonly log: DetectorLogger = {
    debug: (message) => this.logs.push({ level: 'debug', message }),
    info: (message) => this.logs.push({ level: 'info', message }),
    warn: (message) => this.logs.push({ level: 'warn', message }),
  };

  private constructor(
    private readonly definition: AnyDetectorDefinition,
    private readonly params: unknown,
    private readonly options: TestContextOptions,
  ) {
    this.runtime = new PartitionRuntime(testTemplate(options), [{ id: SLOT, definition: this.recording(), params }], this.log);
  }

  /** Parses `params` with the detector's own schema (as the loader does) and starts it. */
  static start(definition: AnyDetectorDefinition, params: unknown, options: TestContextOptions = {}): DetectorTestContext {
    return new DetectorTestContext(definition, definition.meta.params.parse(params), options);
  }

  /**
   * A new runtime and detector instance with the state restored from this one's changelog, as
   * after a crash or a rebalance (through the real codec and ChangelogRestorer).
   */
  restarted(): DetectorTestContext {
    this.drain();
    const next = new DetectorTestContext(this.definition, this.params, this.options);
    const restorer = new ChangelogRestorer(new Map([[0, next.runtime]]));
    restorer.apply(
      0,
      this.changelog.map(({ key, value }) => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value) })),
    );
    restorer.finish();
    next.changelog.push(...this.changelog);
    return next;
  }

  /** `signals`: what earlier detectors of the template published about this event, by full name. */
  process(event: VigilEvent, signals: Readonly<Record<string, number>> = {}): FindingInput[] {
    const before = this.emitted.length;
    this.inputSignals = new Map(Object.entries(signals));
    this.published = {};
    const result = this.runtime.process(event);
    if (result.late) this.late.push(event);
    this.check(result.failures);
    this.drain();
    return this.emitted.slice(before);
  }

  /** Moves event time to `time` (never back), firing the timers and labels that come due. */
  advanceTo(time: number): void {
    if (time <= this.now()) return;
    const result = this.runtime.process({ id: TICK_ID, time, key: '', fields: {}, source: { topic: 'test', partition: 0, offset: '-1' } });
    this.check(result.failures);
    this.drain();
  }

  /** Hands a label to the detector, as the runtime does once event time reaches `labelled_at`. */
  feedback(label: FeedbackLabel): void {
    this.advanceTo(label.labelled_at);
    this.check(this.runtime.deliverLabel(label));
    this.drain();
  }

  store<V>(name: string): KeyedStore<V> {
    return this.runtime.state.store<V>(SLOT, name);
  }

  /** Latest event time seen (−Infinity before the first event). */
  now(): number {
    return this.lastInner?.now() ?? -Infinity;
  }

  watermark(): number {
    return this.runtime.watermark;
  }

  timerCount(): number {
    return this.runtime.timerCount;
  }

  keyCount(): number {
    return this.runtime.state.keyCount();
  }

  /** The detector under test, recording what it emits and publishes, and skipping tick events. */
  private recording(): AnyDetectorDefinition {
    const { definition } = this;
    return defineDetector<unknown>({
      meta: { ...definition.meta, params: z.unknown() },
      create: (inner, params) => {
        this.lastInner = inner;
        const context: DetectorContext = {
          ...inner,
          emit: (finding) => {
            inner.emit(finding);
            this.emitted.push(finding);
          },
          signal: (name, value) => {
            inner.signal(name, value);
            this.published[name] = value;
          },
          signals: () => this.inputSignals,
        };
        const instance = definition.create(context, params) as DetectorInstance;
        return {
          ...instance,
          process: (event) => {
            if (event.id !== TICK_ID) instance.process(event);
          },
          ...(instance.onTimer === undefined ? {} : { onTimer: instance.onTimer.bind(instance) }),
          ...(instance.onFeedback === undefined ? {} : { onFeedback: instance.onFeedback.bind(instance) }),
        };
      },
    }) as AnyDetectorDefinition;
  }

  private drain(): void {
    for (const record of this.runtime.drainChanges()) {
      const { key, value } = encodeRecord(record);
      decodeRecord(key, value); // every record must survive the codec the changelog uses
      this.changelog.push({ key, value });
    }
  }

  /** A detector that throws fails the spec, as it would fail the event in the stage. */
  private check(failures: readonly { readonly detector: string; readonly error: unknown }[]): void {
    const [failure] = failures;
    if (failure) throw failure.error;
  }
}

/** Only what the runtime reads of a template: its name and event-time settings. */
function testTemplate(options: TestContextOptions): Template {
  const event = { maxOutOfOrderness: options.maxOutOfOrderness ?? 0, allowedLateness: options.allowedLateness ?? 0 };
  return { name: 'test', event } as unknown as Template;
}

let counter = 0;

/** A mapped event as the runtime would hand it to detectors. */
export function testEvent(time: number, fields: Record<string, FieldValue>, key?: string): VigilEvent {
  const id = `e${++counter}`;
  return {
    id,
    time,
    key: key ?? String(Object.values(fields)[0] ?? ''),
    fields,
    source: { topic: 'test', partition: 0, offset: String(counter) },
  };
}
