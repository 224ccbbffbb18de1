import type { AnyDetectorDefinition, DetectorContext, DetectorInstance, DetectorLogger } from '../model/detector.js';
import type { Template } from '../model/template/template.schema.js';
import { Attribution } from './attribution.js';
import { EventLabels, LABELS_OWNER } from './event-labels.js';
import type { ChangelogRecord, RuntimeMeta } from './changelog.js';
import { EventSignals } from './event-signals.js';
import { stableId } from '../model/finding-id.js';
import { PartitionState } from './keyed-state.js';
import type { FeedbackBuffer } from './feedback-buffer.js';
import type { FeedbackLabel, Finding, FindingInput, VigilEvent } from '../model/records.js';
import { TimerQueue, type DueTimer } from './timer-queue.js';

/** One configured detector of a template: its instance id, definition and parsed params. */
export interface DetectorSlot {
  readonly id: string;
  readonly definition: AnyDetectorDefinition;
  readonly params: unknown;
  /** Overrides `definition.meta.version` in findings: a declarative rule names its own version. */
  readonly version?: string;
}

export interface DetectorFailure {
  readonly detector: string;
  readonly error: unknown;
}

export interface ProcessResult {
  readonly findings: readonly Finding[];
  readonly failures: readonly DetectorFailure[];
  /** Set when the event was behind the watermark by more than the allowed lateness: not processed. */
  readonly late?: { readonly watermark: number };
}

interface Installed {
  readonly slot: DetectorSlot;
  readonly instance: DetectorInstance;
  readonly ttl: number;
}

/** Shared by every result without findings or failures (nearly all of them): nothing to allocate. */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
const NO_FAILURES: readonly DetectorFailure[] = Object.freeze([]);

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
  private readonly instances = new Map<string, Installed>();
  /** `instances` in their order, as arrays: iterated for every event and label. */
  private running: Installed[] = [];
  private learning: Installed[] = [];
  /** Stores current detectors asked for through their context (owner ␀ name). */
  private readonly opened = new Set<string>();
  private maxEventTime = -Infinity;
  private rotatedAt = new Map<string, number>();
  /** Watermark at which some detector's stores are due to rotate (see evictIdleKeys). */
  private nextRotation = -Infinity;
  /** Per feedback partition, the offset of the last label delivered (absent: none yet). */
  private feedbackCursors = new Map<number, number>();
  private feedback: FeedbackBuffer | undefined;
  private metaChanged = false;
  private readonly attribution = new Attribution();
  /** The template's label fields per key, for the findings' `labels`. */
  private readonly labels: EventLabels;
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
    this.labels = new EventLabels(template, this.state);
    for (const slot of slots) this.install(slot);
  }

  /**
   * Switches to a new set of detectors between batches (declarative rules changed at runtime).
   * Unchanged slots (same object) keep their instance; changed ones are created afresh and find
   * their state in the stores they open; removed ones lose their state. Stores nobody opened any
   * more are dropped with deletions for the changelog (see `prune`).
   */
  updateSlots(slots: readonly DetectorSlot[]): void {
    const wanted = new Map(slots.map((slot) => [slot.id, slot]));
    for (const id of [...this.instances.keys()]) {
      if (wanted.get(id) !== this.instances.get(id)!.slot) {
        this.instances.delete(id);
        this.rotatedAt.delete(id);
        for (const store of [...this.opened]) if (store.startsWith(`${id}\u0000`)) this.opened.delete(store);
      }
    }
    this.listInstances();
    for (const slot of slots) if (!this.instances.has(slot.id)) this.install(slot);
    this.nextRotation = -Infinity;
    this.prune();
  }

  /**
   * Drops state nobody will read: stores of detectors that no longer run (a deleted rule, a
   * detector removed from the template), and stores a versioned slot (a rule) did not open, which
   * a version aggregating something else left behind. Stores of other detectors are kept even when
   * not opened yet, since a detector may open a store lazily. Deletions go to the changelog with
   * the next batch, so a restore does not bring the state back.
   */
  prune(): number {
    return this.state.dropUnless((owner, name) => {
      if (owner === LABELS_OWNER) return this.labels.enabled;
      const entry = this.instances.get(owner);
      return entry !== undefined && (entry.slot.version === undefined || this.opened.has(storeKey(owner, name)));
    });
  }

  private install(slot: DetectorSlot): void {
    const instance = slot.definition.create(this.contextFor(slot), slot.params) as DetectorInstance;
    const ttl = Math.max(MIN_STATE_TTL_MS, slot.definition.meta.stateTtl(slot.params) + this.template.event.maxOutOfOrderness);
    this.instances.set(slot.id, { slot, instance, ttl });
    this.listInstances();
  }

  private listInstances(): void {
    this.running = [...this.instances.values()];
    this.learning = this.running.filter((entry) => entry.instance.onFeedback !== undefined);
  }

  /** Where fraud labels come from; without one no `onFeedback` is called. */
  useFeedback(buffer: FeedbackBuffer): void {
    this.feedback = buffer;
  }

  /** Offset of the last label delivered from a feedback partition; −1 when none was. */
  feedbackCursor(partition: number): number {
    return this.feedbackCursors.get(partition) ?? -1;
  }

  /**
   * Gives the detectors every buffered label whose labelled_at the partition's event time has
   * reached, before the event that advanced it. A label read after event time passed its
   * labelled_at goes with the next advance. Failures are the event's, like a timer's.
   */
  private deliverFeedback(failures: DetectorFailure[]): void {
    const buffer = this.feedback;
    if (!buffer || this.maxEventTime === -Infinity) return;
    for (const partition of buffer.feedbackPartitions()) {
      const cursor = this.feedbackCursor(partition);
      const next = buffer.deliverDue(partition, cursor, this.maxEventTime, (label) => this.deliverLabel(label, failures));
      if (next !== cursor) {
        this.feedbackCursors.set(partition, next);
        this.metaChanged = true;
      }
    }
  }

  /**
   * Hands a fraud label to every detector that learns from labels. Callers (the feedback buffer
   * above, a backtest) do so only once event time has reached `label.labelled_at`. A detector that
   * throws is reported like a failing event; the others still get the label.
   */
  deliverLabel(label: FeedbackLabel, failures?: DetectorFailure[]): readonly DetectorFailure[] {
    let out = failures;
    this.labels.clear();
    for (const { slot, instance } of this.learning) {
      this.attribution.toFeedback(label);
      try {
        instance.onFeedback!(label);
      } catch (error) {
        (out ??= []).push({ detector: slot.id, error });
      }
    }
    this.attribution.clear();
    return out ?? NO_FAILURES;
  }

  get watermark(): number {
    return this.maxEventTime - this.template.event.maxOutOfOrderness;
  }

  get timerCount(): number {
    return this.timers.size;
  }

  process(event: VigilEvent): ProcessResult {
    if (event.time < this.watermark - this.template.event.allowedLateness) {
      return { findings: NO_FINDINGS, failures: NO_FAILURES, late: { watermark: this.watermark } };
    }
    // Allocated on the first failure only: nearly every event has none.
    let failures: DetectorFailure[] | undefined;
    if (event.time > this.maxEventTime) {
      this.maxEventTime = event.time;
      this.metaChanged = true;
      if (this.feedback !== undefined) this.deliverFeedback((failures ??= []));
      if (this.timers.hasDue(this.watermark)) this.fireTimers((failures ??= []));
      if (this.watermark >= this.nextRotation) this.evictIdleKeys();
    }
    this.eventSignals.reset();
    this.labels.toEvent(event);
    const attribution = this.attribution;
    for (const { slot, instance } of this.running) {
      attribution.toEvent(event.id, event.time);
      try {
        instance.process(event);
      } catch (error) {
        (failures ??= []).push({ detector: slot.id, error });
      }
    }
    attribution.clear();
    this.labels.clear();
    return { findings: this.drainFindings(), failures: failures === undefined || failures.length === 0 ? NO_FAILURES : failures };
  }

  /** Signals the detectors published about the last processed event (see DetectorContext.signal). */
  get signals(): EventSignals {
    return this.eventSignals;
  }

  /** Every change to state, timers and event-time progress since the last call. */
  drainChanges(): ChangelogRecord[] {
    const records: ChangelogRecord[] = this.state.drain();
    for (const change of this.timers.drain()) records.push({ kind: 'timer', ...change });
    if (this.metaChanged) {
      records.push({
        kind: 'meta',
        meta: {
          maxEventTime: this.maxEventTime,
          rotatedAt: Object.fromEntries(this.rotatedAt),
          ...(this.feedbackCursors.size > 0 ? { feedback: Object.fromEntries(this.feedbackCursors) } : {}),
        },
      });
      this.metaChanged = false;
    }
    return records;
  }

  /** Applies changelog records (in changelog order) without recording them as new changes. */
  restore(record: ChangelogRecord): void {
    switch (record.kind) {
      case 'entity':
        this.state.restoreEntity(record.key, record.values);
        break;
      case 'store':
        this.state.store(record.owner, record.name).restore(record.key, record.value as unknown);
        break;
      case 'timer':
        this.timers.restore(record.owner, record.name, record.key, record.time);
        break;
      case 'meta':
        this.restoreMeta(record.meta);
        break;
      case 'input':
        // The stage's: where its consumer resumes (see DetectStage.restore), not detector state.
        break;
    }
  }

  private restoreMeta(meta: RuntimeMeta): void {
    this.maxEventTime = meta.maxEventTime ?? -Infinity;
    this.rotatedAt = new Map(Object.entries(meta.rotatedAt ?? {}));
    this.nextRotation = -Infinity;
    this.feedbackCursors = new Map(Object.entries(meta.feedback ?? {}).map(([partition, offset]) => [Number(partition), offset]));
  }

  /**
   * Rotates the stores of every detector whose TTL has passed since its last rotation. Called only
   * once the watermark reaches `nextRotation`, the earliest such moment (reset to −Infinity
   * whenever `rotatedAt` changes from outside), instead of checking every detector on every event.
   */
  private evictIdleKeys(): void {
    const watermark = this.watermark;
    let next = Infinity;
    const owners = this.running.map(({ slot, ttl }) => ({ owner: slot.id, ttl }));
    // The labels are kept as long as the longest-lived detector state may still raise a finding.
    if (this.labels.enabled) owners.push({ owner: LABELS_OWNER, ttl: Math.max(MIN_STATE_TTL_MS, ...owners.map((o) => o.ttl)) });
    for (const { owner, ttl } of owners) {
      const last = this.rotatedAt.get(owner);
      if (last === undefined) {
        this.rotatedAt.set(owner, watermark);
      } else if (watermark - last >= ttl) {
        // A key survives one rotation untouched and goes at the second: idle between ttl and 2 ttl.
        this.evicted += this.state.rotate(owner);
        this.rotatedAt.set(owner, watermark);
      }
      next = Math.min(next, this.rotatedAt.get(owner)! + ttl);
    }
    this.nextRotation = next;
  }

  private fireTimers(failures: DetectorFailure[]): void {
    // A timer set by onTimer may already be due: keep going until nothing is.
    while (this.timers.hasDue(this.watermark)) this.fire(this.timers.popDue(this.watermark), failures);
  }

  private fire(due: readonly DueTimer[], failures: DetectorFailure[]): void {
    for (const timer of due) {
      const entry = this.instances.get(timer.owner);
      if (!entry?.instance.onTimer) continue;
      this.attribution.toTimer(timer.owner, timer.name, timer.key, timer.time);
      this.labels.toTimer(timer.key);
      try {
        entry.instance.onTimer({ key: timer.key, name: timer.name, time: timer.time });
      } catch (error) {
        failures.push({ detector: timer.owner, error });
      }
    }
    this.attribution.clear();
    this.labels.clear();
  }

  private drainFindings(): readonly Finding[] {
    const findings = this.pending;
    if (findings.length === 0) return NO_FINDINGS;
    this.pending = [];
    return findings;
  }

  private contextFor(slot: DetectorSlot): DetectorContext {
    // A signal's slot is looked up by its full name once per name, not once per event.
    const signalSlots = new Map<string, number>();
    return {
      signal: (name, value) => {
        let signalSlot = signalSlots.get(name);
        if (signalSlot === undefined) signalSlots.set(name, (signalSlot = this.eventSignals.slotOf(`${slot.id}.${name}`)));
        this.eventSignals.setAt(signalSlot, value);
      },
      signals: () => this.eventSignals,
      emit: (input) => this.emit(slot, input),
      store: <V>(name: string) => {
        this.opened.add(storeKey(slot.id, name));
        return this.state.store<V>(slot.id, name);
      },
      schedule: (name, key, time) => this.timers.schedule(slot.id, name, key, time),
      now: () => this.maxEventTime,
      watermark: () => this.watermark,
      log: this.log,
    };
  }

  private emit(slot: DetectorSlot, input: FindingInput): void {
    const at = this.attribution;
    if (!at.active) throw new Error(`detector ${slot.id} emitted outside process/onTimer`);
    const sequence = at.emitted++;
    const triggerId = at.triggerId;
    this.pending.push({
      id: stableId('fnd', this.template.name, slot.id, triggerId, input.kind, sequence),
      template: this.template.name,
      detector: slot.id,
      detector_type: slot.definition.meta.name,
      detector_version: slot.version ?? slot.definition.meta.version,
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
      trigger_event_id: triggerId,
      ...(this.labels.current === undefined ? {} : { labels: this.labels.current }),
    });
  }
}

function storeKey(owner: string, name: string): string {
  return `${owner}\u0000${name}`;
}
