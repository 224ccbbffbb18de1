import type { VigilEvent } from '../model/records.js';
import type { Template } from '../model/template/template.schema.js';
import type { GenerationalStore, PartitionState } from './keyed-state.js';

/** The runtime's own store owner: no detector id can hold a NUL. */
export const LABELS_OWNER = '\u0000labels';
const LATEST = 'latest';

/**
 * The labels a finding carries (`event.fields.<name>.label` in the template: the health template's
 * ward): for a finding raised while an event is processed, the latest label values the event's key
 * carried, this event's first; for one raised by a timer, the timer key's. They are kept per key in
 * a runtime store, so a timer that fires after a restart still finds them; only a change is written.
 * A template without label fields costs nothing: no store, no lookup.
 */
export class EventLabels {
  private readonly fields: readonly string[];
  private readonly store: GenerationalStore<Record<string, string>> | undefined;
  /** The labels of the finding being attributed now (undefined: none). */
  current: Readonly<Record<string, string>> | undefined;

  constructor(template: Template, state: PartitionState) {
    this.fields = Object.entries(template.event.fields ?? {})
      .filter(([, spec]) => spec.label)
      .map(([name]) => name);
    this.store = this.fields.length > 0 ? state.store(LABELS_OWNER, LATEST) : undefined;
  }

  /** Whether the template names label fields (then LABELS_OWNER's store is kept and rotated). */
  get enabled(): boolean {
    return this.store !== undefined;
  }

  toEvent(event: VigilEvent): void {
    const store = this.store;
    if (store === undefined) return;
    const known = store.get(event.key);
    let latest = known;
    for (const name of this.fields) {
      const value = event.fields[name];
      if (value === null || value === undefined || value === '' || Array.isArray(value)) continue;
      const text = String(value);
      if (latest?.[name] === text) continue;
      latest = { ...latest, [name]: text };
    }
    if (latest !== known) store.put(event.key, latest!);
    this.current = latest;
  }

  toTimer(key: string): void {
    this.current = this.store?.get(key);
  }

  clear(): void {
    this.current = undefined;
  }
}
