import fc from 'fast-check';
import {
  countAt, createSpaceSaving, errorAt, indexOfItem, itemAt, offerSpaceSaving, samplesAt, sizeOf, totalOf, unheldBound,
} from './space-saving.js';

/** Skewed streams over a small alphabet, so that some items are heavy and counters get replaced. */
const stream = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c') }, { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 2 }) }), {
  maxLength: 400,
});

function run(items: readonly string[], capacity: number, samples = 2) {
  const sketch = createSpaceSaving();
  items.forEach((item, i) => offerSpaceSaving(sketch, capacity, samples, item, `e${i}`));
  const truth = new Map<string, number>();
  for (const item of items) truth.set(item, (truth.get(item) ?? 0) + 1);
  return { sketch, truth };
}

describe('Space-Saving sketch', () => {
  it('keeps every item whose true count exceeds N / capacity', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 12 }), (items, capacity) => {
        const { sketch, truth } = run(items, capacity);
        for (const [item, count] of truth) if (count > items.length / capacity) expect(indexOfItem(sketch, item)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('brackets the true count of every item it holds: count − error ≤ true ≤ count', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 12 }), (items, capacity) => {
        const { sketch, truth } = run(items, capacity);
        for (let i = 0; i < sizeOf(sketch); i++) {
          const trueCount = truth.get(itemAt(sketch, i)) ?? 0;
          expect(countAt(sketch, i) - errorAt(sketch, i)).toBeLessThanOrEqual(trueCount);
          expect(trueCount).toBeLessThanOrEqual(countAt(sketch, i));
        }
      }),
    );
  });

  it('bounds every item it does not hold, keeps counters sorted and counts sum to N', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 12 }), (items, capacity) => {
        const { sketch, truth } = run(items, capacity);
        expect(totalOf(sketch)).toBe(items.length);
        expect(sizeOf(sketch)).toBe(Math.min(capacity, truth.size));
        let sum = 0;
        for (let i = 0; i < sizeOf(sketch); i++) {
          sum += countAt(sketch, i);
          expect(indexOfItem(sketch, itemAt(sketch, i))).toBe(i); // the derived index follows every swap and replacement
          if (i > 0) expect(countAt(sketch, i)).toBeLessThanOrEqual(countAt(sketch, i - 1));
        }
        expect(sum).toBe(items.length);
        for (const [item, count] of truth) if (indexOfItem(sketch, item) < 0) expect(count).toBeLessThanOrEqual(unheldBound(sketch, capacity));
      }),
    );
  });

  it('is exact while the distinct items fit in its counters', () => {
    fc.assert(
      fc.property(stream, (items) => {
        const { sketch, truth } = run(items, 1_000);
        for (const [item, count] of truth) {
          const i = indexOfItem(sketch, item);
          expect([countAt(sketch, i), errorAt(sketch, i)]).toEqual([count, 0]);
        }
      }),
    );
  });

  it('remembers the last events of each counter, latest first', () => {
    const sketch = createSpaceSaving();
    ['a', 'b', 'a', 'a', 'c'].forEach((item, i) => offerSpaceSaving(sketch, 10, 2, item, `e${i}`));
    expect(samplesAt(sketch, indexOfItem(sketch, 'a'), 2)).toEqual(['e3', 'e2']);
    expect(samplesAt(sketch, indexOfItem(sketch, 'b'), 2)).toEqual(['e1']);
    // A replaced counter forgets the previous item's events.
    const full = createSpaceSaving();
    ['a', 'a', 'b', 'c'].forEach((item, i) => offerSpaceSaving(full, 2, 2, item, `f${i}`));
    expect(itemAt(full, 1)).toBe('c');
    expect([countAt(full, 1), errorAt(full, 1)]).toEqual([2, 1]);
    expect(samplesAt(full, 1, 2)).toEqual(['f3']);
  });

  it('keeps ids only from the sampleFrom-th occurrence of a counter on', () => {
    const sketch = createSpaceSaving();
    ['a', 'a', 'a', 'a', 'b'].forEach((item, i) => offerSpaceSaving(sketch, 10, 3, item, `e${i}`, 3));
    expect(samplesAt(sketch, indexOfItem(sketch, 'a'), 3)).toEqual(['e3', 'e2']);
    expect(samplesAt(sketch, indexOfItem(sketch, 'b'), 3)).toEqual([]);
  });

  it('survives a JSON round trip (it is a store value)', () => {
    const { sketch } = run(['a', 'b', 'a', 'c', 'd', 'a'], 3);
    const copy = JSON.parse(JSON.stringify(sketch)) as typeof sketch;
    offerSpaceSaving(sketch, 3, 2, 'b', 'x');
    offerSpaceSaving(copy, 3, 2, 'b', 'x');
    expect(copy).toEqual(sketch);
  });
});
