import type { SignalLookup } from '../model/detector.js';

/**
 * The signals published about the event being processed, reused from event to event. Each name
 * gets a slot once (names come from a bounded set: detector ids and their signal names); a value
 * counts only if it was set since the last `reset`, which just moves a generation counter. So an
 * event costs no allocation and no clearing: a Map's clear() reallocates its table and a fresh
 * object per event gains dozens of keys one by one, both measurably slower in a replay. Callers
 * that publish or read the same names for every event keep their slots (`slotOf`) and skip the
 * name lookup.
 */
export class EventSignals implements SignalLookup {
  private readonly slots = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly values: number[] = [];
  private readonly generations: number[] = [];
  private generation = 0;

  reset(): void {
    this.generation++;
  }

  /** The slot of a signal name, given on first use and kept for the life of this object. */
  slotOf(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.keys.length;
      this.slots.set(name, slot);
      this.keys.push(name);
      this.values.push(0);
      this.generations.push(-1);
    }
    return slot;
  }

  set(name: string, value: number): void {
    this.setAt(this.slotOf(name), value);
  }

  setAt(slot: number, value: number): void {
    this.values[slot] = value;
    this.generations[slot] = this.generation;
  }

  get(name: string): number | undefined {
    const slot = this.slots.get(name);
    return slot === undefined ? undefined : this.valueAt(slot);
  }

  /** The value in `slot` for this event; undefined when it was not published since the reset. */
  valueAt(slot: number): number | undefined {
    return this.generations[slot] === this.generation ? this.values[slot] : undefined;
  }

  /** Names published for this event, in order of first use. */
  names(): string[] {
    return this.keys.filter((_, slot) => this.generations[slot] === this.generation);
  }
}
