import { GenerationalStore, PartitionState } from './keyed-state.js';

describe('PartitionState entity changes', () => {
  it('gives one change per entity with its values in every store, changed or not', () => {
    const state = new PartitionState();
    state.store<number>('velocity', 'window').put('c1', 1);
    state.store<number>('rule', 'r1').put('c1', 2);
    state.store<number>('rule', 'r1').put('c2', 3);
    expect(state.drain()).toEqual([
      { kind: 'entity', key: 'c1', values: [['velocity', 'window', 1], ['rule', 'r1', 2]] },
      { kind: 'entity', key: 'c2', values: [['rule', 'r1', 3]] },
    ]);
    // Only c1 changes, in one store; its record still carries the unchanged store's value.
    state.store<number>('rule', 'r1').put('c1', 5);
    expect(state.drain()).toEqual([{ kind: 'entity', key: 'c1', values: [['velocity', 'window', 1], ['rule', 'r1', 5]] }]);
    expect(state.drain()).toEqual([]);
  });

  it('records a tombstone once no store holds the entity (delete, eviction, dropped store)', () => {
    const state = new PartitionState();
    state.store<number>('a', 's').put('k', 1);
    state.store<number>('b', 's').put('k', 2);
    state.drain();
    state.store<number>('a', 's').delete('k');
    expect(state.drain()).toEqual([{ kind: 'entity', key: 'k', values: [['b', 's', 2]] }]);
    state.rotate('b');
    state.rotate('b');
    expect(state.drain()).toEqual([{ kind: 'entity', key: 'k', values: null }]);
    state.store<number>('a', 's').put('j', 1);
    state.drain();
    state.dropUnless((owner) => owner !== 'a');
    expect(state.drain()).toEqual([{ kind: 'entity', key: 'j', values: null }]);
  });

  it('restores an entity to exactly the recorded values, removing it from the other stores', () => {
    const source = new PartitionState();
    source.store<number[]>('a', 's').put('k', [1]);
    source.store<number>('b', 's').put('k', 2);
    const first = source.drain();
    source.store<number>('b', 's').delete('k');
    const second = source.drain();

    const restored = new PartitionState();
    for (const change of [...first, ...second]) restored.restoreEntity(change.key, change.values);
    expect(restored.store('a', 's').get('k')).toEqual([1]);
    expect(restored.store('b', 's').get('k')).toBeUndefined();
    restored.restoreEntity('k', null);
    expect(restored.keyCount()).toBe(0);
    // Restoring records nothing new for the changelog.
    expect(restored.drain()).toEqual([]);
  });
});

describe('GenerationalStore generations', () => {
  it('keeps a key in one generation whatever the order of reads, writes and rotations', () => {
    const store = new GenerationalStore<number>(false);
    store.put('k', 1);
    expect(store.get('k')).toBe(1);
    store.rotate();
    // Read before the rotation, written after it: the aged copy must go.
    store.put('k', 2);
    expect(store.size).toBe(1);
    store.rotate();
    expect(store.get('k')).toBe(2);
    store.rotate();
    // Read from the old generation (moved up), then written.
    expect(store.get('k')).toBe(2);
    store.put('k', 3);
    expect(store.size).toBe(1);
    store.rotate();
    store.rotate();
    expect(store.get('k')).toBeUndefined();
  });
});
