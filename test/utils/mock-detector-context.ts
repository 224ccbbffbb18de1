import type { AnyDetectorDefinition, DetectorContext, DetectorInstance, DetectorLogger, KeyedStore, SignalLookup } from '../../src/model/detector.js';
import { PartitionState } from '../../src/runtime/keyed-state.js';
import type { FeedbackLabel, FieldValue, FindingInput, VigilEvent } from '../../src/model/records.js';
import { TimerQueue } from '../../src/runtime/timer-queue.js';

/**
 * Drives one detector without Kafka or a clock: feed events, move event time by hand, and look at
 * what it emitted and what state it holds. Timers fire when `advanceTo` (or an event) moves event
 * time past them, exactly as the runtime does with zero allowed out-of-orderness.
 */
export class MockDetectorContext implements DetectorContext {
  readonly emitted: FindingInput[] = [];
  readonly logs: { level: string; message: string }[] = [];
  private readonly state = new PartitionState();
  private readonly timers = new TimerQueue();
  private time = -Infinity;
  private instance: DetectorInstance | undefined;
  private inputSignals: SignalLookup = new Map<string, number>();
  /** What the detector published about the last processed event, by the name it used. */
  published: Record<string, number> = {};

  readonly log: DetectorLogger = {
    debug: (message) => this.logs.push({ level: 'debug', message }),
    info: (message) => this.logs.push({ level: 'info', message }),
    warn: (message) => this.logs.push({ level: 'warn', message }),
  };

  /** Parses `params` with the detector's own schema (as the loader does) and creates it. */
  static start(definition: AnyDetectorDefinition, params: unknown): MockDetectorContext {
    const context = new MockDetectorContext();
    context.instance = definition.create(context, definition.meta.params.parse(params)) as DetectorInstance;
    return context;
  }

  emit(finding: FindingInput): void {
    this.emitted.push(finding);
  }

  store<V>(name: string): KeyedStore<V> {
    return this.state.store<V>('detector', name);
  }

  schedule(name: string, key: string, time: number): void {
    this.timers.schedule('detector', name, key, time);
  }

  signal(name: string, value: number): void {
    this.published[name] = value;
  }

  /** The signals given to `process` as if earlier detectors had published them. */
  signals(): SignalLookup {
    return this.inputSignals;
  }

  /** Hands a label to the detector, as the runtime does once event time reaches `labelled_at`. */
  feedback(label: FeedbackLabel): void {
    this.advanceTo(label.labelled_at);
    this.detector().onFeedback?.(label);
  }

  now(): number {
    return this.time;
  }

  /** The mock allows no out-of-orderness: the watermark is the latest event time. */
  watermark(): number {
    return this.time;
  }

  timerCount(): number {
    return this.timers.size;
  }

  /** `signals`: what earlier detectors in the template published about this event. */
  process(event: VigilEvent, signals: Readonly<Record<string, number>> = {}): FindingInput[] {
    const before = this.emitted.length;
    this.advanceTo(event.time);
    this.inputSignals = new Map(Object.entries(signals));
    this.published = {};
    this.detector().process(event);
    return this.emitted.slice(before);
  }

  advanceTo(time: number): void {
    if (time <= this.time) return;
    this.time = time;
    for (let due = this.timers.popDue(time); due.length > 0; due = this.timers.popDue(time)) {
      for (const timer of due) this.detector().onTimer?.(timer);
    }
  }

  keyCount(): number {
    return this.state.keyCount();
  }

  private detector(): DetectorInstance {
    if (!this.instance) throw new Error('MockDetectorContext.start() was not called');
    return this.instance;
  }
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
