import type { KeyedStore } from '../detectors/detector.js';

/** A change to runtime state, in the order it happened; `null` deletes. */
export interface StateChange {
  readonly key: string;
  readonly value: unknown;
}

/**
 * One detector store of one partition, in two generations. `put` and `get` keep a key young;
 * `rotate` drops the old generation whole and ages the young one, so a key untouched for two
 * rotations is evicted without any per-key bookkeeping (a timer or a last-access time per key
 * would cost more than the state itself at millions of keys). Every put, delete and eviction is
 * recorded until `drain`, for the changelog.
 */
export class GenerationalStore<V> implements KeyedStore<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private changes = new Map<string, V | null>();

  /** `recordChanges` false: nothing is kept for a changelog (a backtest has none). */
  constructor(private readonly recordChanges = true) {}

  get(key: string): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged === undefined) return undefined;
    // Reading counts as use: the key moves back to the young generation.
    this.old.delete(key);
    this.young.set(key, aged);
    return aged;
  }

  put(key: string, value: V): void {
    this.young.set(key, value);
    this.old.delete(key);
    if (this.recordChanges) this.changes.set(key, value);
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
    if (this.recordChanges) this.changes.set(key, null);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Evicts the old generation; returns how many keys went. */
  rotate(): number {
    const evicted = this.old.size;
    if (this.recordChanges) for (const key of this.old.keys()) this.changes.set(key, null);
    this.old = this.young;
    this.young = new Map();
    return evicted;
  }

  /** Changes since the last drain, latest per key. */
  drain(): StateChange[] {
    const out: StateChange[] = [];
    for (const [key, value] of this.changes) out.push({ key, value });
    this.changes = new Map();
    return out;
  }

  /** Restores a key without recording a change (it came from the changelog). */
  restore(key: string, value: V | null): void {
    if (value === null) {
      this.young.delete(key);
      this.old.delete(key);
    } else {
      this.young.set(key, value);
      this.old.delete(key);
    }
  }

  /** A few values, to estimate bytes of state without serialising all of it. */
  sample(limit: number): V[] {
    const values: V[] = [];
    for (const map of [this.young, this.old]) {
      for (const value of map.values()) {
        if (values.length >= limit) return values;
        values.push(value);
      }
    }
    return values;
  }
}

/** All stores of one partition, by detector instance (`owner`) and store name. */
export class PartitionState {
  /** `recordChanges` false: stores keep no changes for a changelog (a backtest has none). */
  constructor(private readonly recordChanges = true) {}

  private readonly stores = new Map<string, { owner: string; name: string; store: GenerationalStore<unknown> }>();

  /** The store `name` of detector instance `owner`; created on first use. */
  store<V>(owner: string, name: string): GenerationalStore<V> {
    const id = storeId(owner, name);
    let entry = this.stores.get(id);
    if (!entry) {
      entry = { owner, name, store: new GenerationalStore<unknown>(this.recordChanges) };
      this.stores.set(id, entry);
    }
    return entry.store as GenerationalStore<V>;
  }

  /** Rotates every store of one detector instance; returns keys evicted. */
  rotate(owner: string): number {
    let evicted = 0;
    for (const entry of this.stores.values()) if (entry.owner === owner) evicted += entry.store.rotate();
    return evicted;
  }

  /** Changes of every store, each keyed by `owner`, store `name` and key. */
  drain(): { owner: string; name: string; key: string; value: unknown }[] {
    const out: { owner: string; name: string; key: string; value: unknown }[] = [];
    for (const { owner, name, store } of this.stores.values()) {
      for (const change of store.drain()) out.push({ owner, name, ...change });
    }
    return out;
  }

  /** Keys held across all stores, for metrics. */
  keyCount(): number {
    let total = 0;
    for (const { store } of this.stores.values()) total += store.size;
    return total;
  }

  /** Estimated serialised bytes of all values (sampled), for metrics. */
  estimateBytes(sampleSize = 200): number {
    let total = 0;
    for (const { store } of this.stores.values()) {
      const sample = store.sample(sampleSize);
      if (sample.length === 0) continue;
      const average = sample.reduce<number>((sum, value) => sum + JSON.stringify(value).length, 0) / sample.length;
      total += average * store.size;
    }
    return Math.round(total);
  }
}

function storeId(owner: string, name: string): string {
  return `${owner}\u0000${name}`;
}
