import type { AnyDetectorDefinition, DetectorContext, DetectorInstance, DetectorLogger } from '../detectors/detector.js';
import type { Template } from '../templates/template.schema.js';
import type { ChangelogRecord, RuntimeMeta } from './changelog.js';
import { EventSignals } from './event-signals.js';
import { stableId } from './finding-id.js';
import { PartitionState } from './keyed-state.js';
import type { FeedbackLabel, Finding, FindingInput, VigilEvent } from './records.js';
import { TimerQueue, type DueTimer } from './timer-queue.js';

/** One configured detector of a template: its instance id, definition and parsed params. */
export interface DetectorSlot {
  readonly id: string;
  readonly definition: AnyDetectorDefinition;
  readonly params: unknown;
}

export interface DetectorFailure {
  readonly detector: string;
  readonly error: unknown;
}

export interface ProcessResult {
  readonly findings: Finding[];
  readonly failures: DetectorFailure[];
  /** Set when the event was behind the watermark by more than the allowed lateness: not processed. */
  readonly late?: { readonly watermark: number };
}

interface Attribution {
  readonly triggerId: string;
  readonly time: number;
  emitted: number;
}

/** Keys idle for at least this long may always be evicted, whatever a detector declares. */
const MIN_STATE_TTL_MS = 60_000;

/**
 * Runs a template's detectors over the events of ONE partition, in offset order. It owns their
 * state and timers; event time advances with the events, and timers fire once the watermark
 * (max event time minus the template's allowed out-of-orderness) passes them, so results depend
 * only on the input, never on the wall clock. Every change to state is kept for the changelog
 * (`drainChanges`) and can be applied back (`restore`), which is what makes the state survive
 * crashes and rebalances. Keys idle longer than a detector's state TTL are evicted.
 */
export class PartitionRuntime {
  readonly state: PartitionState;
  private readonly timers = new TimerQueue();
  private readonly instances = new Map<string, { slot: DetectorSlot; instance: DetectorInstance; ttl: number }>();
  private maxEventTime = -Infinity;
  private rotatedAt = new Map<string, number>();
  private metaChanged = false;
  private current: Attribution | undefined;
  private pending: Finding[] = [];
  /** Reused for every event (see EventSignals for why). */
  private readonly eventSignals = new EventSignals();
  /** Keys evicted for idleness since creation, for metrics. */
  evicted = 0;

  constructor(
    private readonly template: Template,
    slots: readonly DetectorSlot[],
    private readonly log: DetectorLogger,
    options: { readonly recordChanges?: boolean } = {},
  ) {
    // Without a changelog (backtests) recording every state change would only cost time.
    this.state = new PartitionState(options.recordChanges ?? true);
    for (const slot of slots) {
      const instance = slot.definition.create(this.contextFor(slot), slot.params) as DetectorInstance;
      const ttl = Math.max(MIN_STATE_TTL_MS, slot.definition.meta.stateTtl(slot.params) + template.event.maxOutOfOrderness);
      this.instances.set(slot.id, { slot, instance, ttl });
    }
  }

  get watermark(): number {
    return this.maxEventTime - this.template.event.maxOutOfOrderness;
  }

  get timerCount(): number {
    return this.timers.size;
  }

  process(event: VigilEvent): ProcessResult {
    const failures: DetectorFailure[] = [];
    if (event.time < this.watermark - this.template.event.allowedLateness) {
      return { findings: [], failures, late: { watermark: this.watermark } };
    }
    if (event.time > this.maxEventTime) {
      this.maxEventTime = event.time;
      this.metaChanged = true;
      this.fireTimers(failures);
      this.evictIdleKeys();
    }
    this.eventSignals.reset();
    for (const { slot, instance } of this.instances.values()) {
      this.current = { triggerId: event.id, time: event.time, emitted: 0 };
      try {
        instance.process(event);
      } catch (error) {
        failures.push({ detector: slot.id, error });
      }
    }
    this.current = undefined;
    return { findings: this.drainFindings(), failures };
  }

  /** Signals the detectors published about the last processed event (see DetectorContext.signal). */
  get signals(): EventSignals {
    return this.eventSignals;
  }

  /**
   * Hands a fraud label to every detector that learns from labels. The caller (detect stage,
   * backtest) calls it only once event time has reached `label.labelled_at`. A detector that throws
   * is reported like a failing event; the others still get the label.
   */
  feedback(label: FeedbackLabel): DetectorFailure[] {
    const failures: DetectorFailure[] = [];
    for (const { slot, instance } of this.instances.values()) {
      if (!instance.onFeedback) continue;
      try {
        instance.onFeedback(label);
      } catch (error) {
        failures.push({ detector: slot.id, error });
      }
    }
    return failures;
  }

  /** Every change to state, timers and event-time progress since the last call. */
  drainChanges(): ChangelogRecord[] {
    const records: ChangelogRecord[] = [];
    for (const change of this.state.drain()) records.push({ kind: 'store', ...change });
    for (const change of this.timers.drain()) records.push({ kind: 'timer', ...change });
    if (this.metaChanged) {
      records.push({ kind: 'meta', meta: { maxEventTime: this.maxEventTime, rotatedAt: Object.fromEntries(this.rotatedAt) } });
      this.metaChanged = false;
    }
    return records;
  }

  /** Applies changelog records (in changelog order) without recording them as new changes. */
  restore(record: ChangelogRecord): void {
    switch (record.kind) {
      case 'store':
        this.state.store(record.owner, record.name).restore(record.key, record.value as unknown);
        break;
      case 'timer':
        this.timers.restore(record.owner, record.name, record.key, record.time);
        break;
      case 'meta':
        this.restoreMeta(record.meta);
        break;
    }
  }

  private restoreMeta(meta: RuntimeMeta): void {
    this.maxEventTime = meta.maxEventTime ?? -Infinity;
    this.rotatedAt = new Map(Object.entries(meta.rotatedAt ?? {}));
  }

  private evictIdleKeys(): void {
    const watermark = this.watermark;
    for (const [owner, { ttl }] of this.instances) {
      const last = this.rotatedAt.get(owner);
      if (last === undefined) {
        this.rotatedAt.set(owner, watermark);
      } else if (watermark - last >= ttl) {
        // A key survives one rotation untouched and goes at the second: idle between ttl and 2 ttl.
        this.evicted += this.state.rotate(owner);
        this.rotatedAt.set(owner, watermark);
      }
    }
  }

  private fireTimers(failures: DetectorFailure[]): void {
    // A timer set by onTimer may already be due: keep going until nothing is.
    for (let due = this.timers.popDue(this.watermark); due.length > 0; due = this.timers.popDue(this.watermark)) this.fire(due, failures);
  }

  private fire(due: readonly DueTimer[], failures: DetectorFailure[]): void {
    for (const timer of due) {
      const entry = this.instances.get(timer.owner);
      if (!entry?.instance.onTimer) continue;
      this.current = { triggerId: `timer:${timer.owner}:${timer.name}:${timer.key}:${timer.time}`, time: timer.time, emitted: 0 };
      try {
        entry.instance.onTimer({ key: timer.key, name: timer.name, time: timer.time });
      } catch (error) {
        failures.push({ detector: timer.owner, error });
      }
    }
  }

  private drainFindings(): Finding[] {
    const findings = this.pending;
    this.pending = [];
    return findings;
  }

  private contextFor(slot: DetectorSlot): DetectorContext {
    // Full signal names are built once per name, not once per event.
    const names = new Map<string, string>();
    const fullName = (name: string): string => {
      let full = names.get(name);
      if (full === undefined) names.set(name, (full = `${slot.id}.${name}`));
      return full;
    };
    return {
      signal: (name, value) => {
        this.eventSignals.set(fullName(name), value);
      },
      signals: () => this.eventSignals,
      emit: (input) => this.emit(slot, input),
      store: <V>(name: string) => this.state.store<V>(slot.id, name),
      schedule: (name, key, time) => this.timers.schedule(slot.id, name, key, time),
      now: () => this.maxEventTime,
      watermark: () => this.watermark,
      log: this.log,
    };
  }

  private emit(slot: DetectorSlot, input: FindingInput): void {
    const at = this.current;
    if (!at) throw new Error(`detector ${slot.id} emitted outside process/onTimer`);
    const sequence = at.emitted++;
    this.pending.push({
      id: stableId('fnd', this.template.name, slot.id, at.triggerId, input.kind, sequence),
      template: this.template.name,
      detector: slot.id,
      detector_type: slot.definition.meta.name,
      detector_version: slot.definition.meta.version,
      entity: input.entity,
      severity: input.severity,
      kind: input.kind,
      title: input.title,
      score: input.score ?? 1,
      time: at.time,
      window_start: input.windowStart,
      window_end: input.windowEnd,
      values: input.values ?? {},
      thresholds: input.thresholds ?? {},
      event_ids: input.eventIds ?? [],
      trigger_event_id: at.triggerId,
    });
  }
}
