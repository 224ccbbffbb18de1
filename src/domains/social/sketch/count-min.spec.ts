import fc from 'fast-check';
import { addCountMin, estimateCountMin, scaleCountMin } from './count-min.js';

const shape = { depth: 4, width: 64 };

describe('Count-Min sketch', () => {
  it('never estimates below the true count, and is exact without collisions', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 300 }), (items) => {
        const cells = new Array<number>(2 + shape.depth * shape.width).fill(0);
        const truth = new Map<string, number>();
        for (const item of items) {
          addCountMin(cells, 2, shape, item, 1);
          truth.set(item, (truth.get(item) ?? 0) + 1);
        }
        expect(cells[0]).toBe(0); // the header before the offset is untouched
        for (const [item, count] of truth) expect(estimateCountMin(cells, 2, shape, item)).toBeGreaterThanOrEqual(count);
        if (truth.size === 1) for (const [item, count] of truth) expect(estimateCountMin(cells, 2, shape, item)).toBe(count);
      }),
    );
  });

  it('overestimates by little on a skewed stream: within e·N/width for nearly every item', () => {
    const wide = { depth: 4, width: 512 };
    const cells = new Array<number>(wide.depth * wide.width).fill(0);
    const truth = new Map<string, number>();
    let n = 0;
    for (let i = 1; i <= 2_000; i++) {
      const count = Math.ceil(200 / i); // Zipf-like
      addCountMin(cells, 0, wide, `term${i}`, count);
      truth.set(`term${i}`, count);
      n += count;
    }
    let over = 0;
    for (const [item, count] of truth) if (estimateCountMin(cells, 0, wide, item) - count > (Math.E * n) / wide.width) over++;
    expect(over / truth.size).toBeLessThan(Math.exp(-wide.depth));
  });

  it('scales every cell (decay)', () => {
    const cells = new Array<number>(shape.depth * shape.width).fill(0);
    addCountMin(cells, 0, shape, 'x', 8);
    scaleCountMin(cells, 0, shape, 0.25);
    expect(estimateCountMin(cells, 0, shape, 'x')).toBe(2);
  });
});
