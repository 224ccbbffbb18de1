import type { AnyDetectorDefinition, DetectorContext, DetectorInstance, DetectorLogger } from '../detectors/detector.js';
import type { Template } from '../templates/template.schema.js';
import { stableId } from './finding-id.js';
import { PartitionState } from './keyed-state.js';
import type { Finding, FindingInput, VigilEvent } from './records.js';
import { TimerQueue } from './timer-queue.js';

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
}

interface Attribution {
  readonly triggerId: string;
  readonly time: number;
  emitted: number;
}

/**
 * Runs a template's detectors over the events of ONE partition, in offset order. It owns their
 * state and timers; event time advances with the events, and timers fire once the watermark
 * (max event time minus the template's allowed out-of-orderness) passes them, so results depend
 * only on the input, never on the wall clock.
 */
export class PartitionRuntime {
  readonly state = new PartitionState();
  private readonly timers = new TimerQueue();
  private readonly instances = new Map<string, { slot: DetectorSlot; instance: DetectorInstance }>();
  private maxEventTime = -Infinity;
  private current: Attribution | undefined;
  private pending: Finding[] = [];

  constructor(
    private readonly template: Template,
    slots: readonly DetectorSlot[],
    private readonly log: DetectorLogger,
  ) {
    for (const slot of slots) {
      const instance = slot.definition.create(this.contextFor(slot), slot.params) as DetectorInstance;
      this.instances.set(slot.id, { slot, instance });
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
    if (event.time > this.maxEventTime) {
      this.maxEventTime = event.time;
      this.fireTimers(failures);
    }
    for (const { slot, instance } of this.instances.values()) {
      this.current = { triggerId: event.id, time: event.time, emitted: 0 };
      try {
        instance.process(event);
      } catch (error) {
        failures.push({ detector: slot.id, error });
      }
    }
    this.current = undefined;
    return { findings: this.drain(), failures };
  }

  private fireTimers(failures: DetectorFailure[]): void {
    for (const timer of this.timers.popDue(this.watermark)) {
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

  private drain(): Finding[] {
    const findings = this.pending;
    this.pending = [];
    return findings;
  }

  private contextFor(slot: DetectorSlot): DetectorContext {
    return {
      emit: (input) => this.emit(slot, input),
      store: <V>(name: string) => this.state.store<V>(slot.id, name),
      schedule: (name, key, time) => this.timers.schedule(slot.id, name, key, time),
      now: () => this.maxEventTime,
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
