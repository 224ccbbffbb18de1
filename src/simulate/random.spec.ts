import { cumulativeWeights, hashNormal, hashUnit, pickCumulative, Random } from './random.js';

describe('Random', () => {
  it('repeats its sequence for a seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const first = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(first);
  });

  it('is uniform in [0, 1) and its normals have mean 0 and sd 1', () => {
    const random = new Random(1);
    const uniforms = Array.from({ length: 100_000 }, () => random.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(mean(uniforms)).toBeCloseTo(0.5, 2);
    const tenths = new Array<number>(10).fill(0);
    for (const u of uniforms) tenths[Math.floor(u * 10)]!++;
    expect(tenths.every((n) => n > 9_500 && n < 10_500)).toBe(true);

    const normals = Array.from({ length: 100_000 }, () => random.normal());
    expect(mean(normals)).toBeCloseTo(0, 1);
    expect(Math.sqrt(mean(normals.map((x) => x * x)))).toBeCloseTo(1, 1);
  });

  it('int covers both bounds', () => {
    const random = new Random(5);
    const seen = new Set(Array.from({ length: 1_000 }, () => random.int(1, 3)));
    expect(seen).toEqual(new Set([1, 2, 3]));
  });
});

describe('stateless hashes', () => {
  it('give the same value for the same (seed, index, salt) and differ otherwise', () => {
    expect(hashUnit(7, 123, 1)).toBe(hashUnit(7, 123, 1));
    expect(hashUnit(7, 123, 1)).not.toBe(hashUnit(7, 123, 2));
    expect(hashUnit(7, 123, 1)).not.toBe(hashUnit(8, 123, 1));
    const units = Array.from({ length: 50_000 }, (_, i) => hashUnit(7, i, 3));
    expect(mean(units)).toBeCloseTo(0.5, 2);
    const normals = Array.from({ length: 50_000 }, (_, i) => hashNormal(7, i, 3));
    expect(mean(normals)).toBeCloseTo(0, 1);
  });

  it('pickCumulative picks in proportion to weight', () => {
    const cumulative = cumulativeWeights([1, 3]);
    expect(pickCumulative(cumulative, 0)).toBe(0);
    expect(pickCumulative(cumulative, 0.24)).toBe(0);
    expect(pickCumulative(cumulative, 0.26)).toBe(1);
    expect(pickCumulative(cumulative, 0.999)).toBe(1);
  });
});

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
