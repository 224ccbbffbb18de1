import type { KeyedStore } from '../detectors/detector.js';

/**
 * The runtime-owned state of one partition: named stores per detector instance. Detectors only see
 * KeyedStore; keeping all state here is what lets the runtime snapshot, restore and evict it.
 */
export class InMemoryKeyedStore<V> implements KeyedStore<V> {
  private readonly map = new Map<string, V>();

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  put(key: string, value: V): void {
    this.map.set(key, value);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

export class PartitionState {
  private readonly stores = new Map<string, InMemoryKeyedStore<unknown>>();

  /** The store `name` of detector instance `owner`; created on first use. */
  store<V>(owner: string, name: string): KeyedStore<V> {
    const id = `${owner}/${name}`;
    let store = this.stores.get(id);
    if (!store) {
      store = new InMemoryKeyedStore<unknown>();
      this.stores.set(id, store);
    }
    return store as KeyedStore<V>;
  }

  /** Keys held across all stores, for metrics. */
  keyCount(): number {
    let total = 0;
    for (const store of this.stores.values()) total += store.size;
    return total;
  }
}
