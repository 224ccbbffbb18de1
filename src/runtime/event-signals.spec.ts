import { EventSignals } from './event-signals.js';

describe('EventSignals', () => {
  it('holds one value per name for the current event and forgets them on reset', () => {
    const signals = new EventSignals();
    signals.set('a.x', 1);
    signals.set('b.y', 2);
    signals.set('a.x', 3);
    expect([signals.get('a.x'), signals.get('b.y'), signals.get('c.z')]).toEqual([3, 2, undefined]);
    expect(signals.names()).toEqual(['a.x', 'b.y']);
    signals.reset();
    expect(signals.get('a.x')).toBeUndefined();
    signals.set('c.z', 4);
    expect(signals.names()).toEqual(['c.z']);
  });

  it('keeps a slot per name for callers that skip the lookup, unset until published', () => {
    const signals = new EventSignals();
    const slot = signals.slotOf('a.x');
    expect(signals.slotOf('a.x')).toBe(slot);
    expect(signals.valueAt(slot)).toBeUndefined();
    expect(signals.names()).toEqual([]);
    signals.setAt(slot, 5);
    expect([signals.get('a.x'), signals.valueAt(slot)]).toEqual([5, 5]);
    signals.reset();
    expect(signals.valueAt(slot)).toBeUndefined();
  });
});
