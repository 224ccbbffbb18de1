import type { KeyedStore } from '../model/detector.js';

/** One store's value of an entity: detector instance (`owner`), store name, value. */
export type EntityStoreValue = readonly [owner: string, name: string, value: unknown];

/**
 * An entity's values in every store that holds it after a change; `null`: none holds it. Shaped as
 * the changelog's entity record, so the drain's objects go to the changelog without a copy.
 */
export interface EntityChange {
  readonly kind: 'entity';
  readonly key: string;
  readonly values: readonly EntityStoreValue[] | null;
}

/**
 * One detector store of one partition, in two generations. `put` and `get` keep a key young;
 * `rotate` drops the old generation whole and ages the young one, so a key untouched for two
 * rotations is evicted without any per-key bookkeeping (a timer or a last-access time per key
 * would cost more than the state itself at millions of keys). Every put, delete and eviction is
 * recorded until `drainKeys`, for the changelog.
 */
export class GenerationalStore<V> implements KeyedStore<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  /** Keys changed since the last drain, once per change: the drain dedupes them (see PartitionState.drain). */
  private changes: string[] = [];
  /**
   * The key of the last `get`: it is in the young generation or nowhere (get moves an old key up),
   * and only `rotate` can age it, so a `put` of it right after (the usual read-modify-write of a
   * detector) can skip deleting it from the old generation, one hash lookup per event and store.
   */
  private lastRead: string | undefined;

  /** `recordChanges` false: nothing is kept for a changelog (a backtest has none). */
  constructor(private readonly recordChanges = true) {}

  get(key: string): V | undefined {
    this.lastRead = key;
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
    if (key !== this.lastRead) this.old.delete(key);
    if (this.recordChanges) this.changes.push(key);
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
    if (this.recordChanges) this.changes.push(key);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Deletes every key (recorded as changes); returns how many there were. */
  clear(): number {
    const keys = [...this.young.keys(), ...this.old.keys()];
    for (const key of keys) this.delete(key);
    return keys.length;
  }

  /** Evicts the old generation; returns how many keys went. */
  rotate(): number {
    const evicted = this.old.size;
    this.lastRead = undefined;
    if (this.recordChanges) for (const key of this.old.keys()) this.changes.push(key);
    this.old = this.young;
    this.young = new Map();
    return evicted;
  }

  /** The value of a key without counting it as use (it stays in its generation). */
  peek(key: string): V | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  /**
   * Keys changed since the last drain, in order of change, a key as often as it changed (a list is
   * cheaper to keep than a map, and the drain dedupes across stores anyway); what they hold now is
   * their latest change.
   */
  drainKeys(): readonly string[] {
    const keys = this.changes;
    this.changes = [];
    return keys;
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
  /** Keys of dropped stores (deleted with them), not drained yet. */
  private readonly dropped: (readonly string[])[] = [];

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

  /**
   * Drops every store for which `keep(owner, name)` is false, recording a deletion of each of its
   * keys for the changelog; returns the keys dropped.
   */
  dropUnless(keep: (owner: string, name: string) => boolean): number {
    let dropped = 0;
    for (const [id, entry] of this.stores) {
      if (keep(entry.owner, entry.name)) continue;
      dropped += entry.store.clear();
      this.dropped.push(entry.store.drainKeys());
      this.stores.delete(id);
    }
    return dropped;
  }

  /**
   * Every key changed in any store since the last call, with its values in ALL stores: one
   * changelog record per entity instead of one per store and entity. A template runs several
   * detectors over the same entity, so this divides the records the detect stage writes (and
   * restores) by the number of stores an event touches. A record holds the entity's whole state,
   * so compaction can keep only the latest; `values` null means no store holds the key any more.
   */
  drain(): EntityChange[] {
    const changed = new Set<string>();
    for (const keys of this.dropped.splice(0)) for (const key of keys) changed.add(key);
    const stores = [...this.stores.values()];
    for (const { store } of stores) for (const key of store.drainKeys()) changed.add(key);
    const keys = [...changed];
    const values: (EntityStoreValue[] | null)[] = new Array<EntityStoreValue[] | null>(keys.length).fill(null);
    // Store by store, not key by key: each store's hash table is walked for all keys while it is
    // in the CPU's cache, instead of every key jumping across all tables. Empty stores hold nothing.
    // A key's list is allocated once at the most it can hold (one value per non-empty store) and
    // cut to what it holds: grown by push, each would take room for 16.
    let held = 0;
    for (const { store } of stores) if (store.size > 0) held++;
    const counts = new Uint32Array(keys.length);
    for (const { owner, name, store } of stores) {
      if (store.size === 0) continue;
      for (let i = 0; i < keys.length; i++) {
        const value = store.peek(keys[i]!);
        if (value === undefined) continue;
        const list = (values[i] ??= new Array<EntityStoreValue>(held));
        list[counts[i]!++] = [owner, name, value];
      }
    }
    const changes = new Array<EntityChange>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const list = values[i]!;
      if (list !== null) list.length = counts[i]!;
      changes[i] = { kind: 'entity', key: keys[i]!, values: list };
    }
    return changes;
  }

  /** Applies an entity record: the key takes exactly these values, and leaves every other store. */
  restoreEntity(key: string, values: readonly EntityStoreValue[] | null): void {
    const present = new Set<string>();
    for (const [owner, name, value] of values ?? []) {
      this.store(owner, name).restore(key, value);
      present.add(storeId(owner, name));
    }
    for (const [id, { store }] of this.stores) if (!present.has(id)) store.restore(key, null);
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
