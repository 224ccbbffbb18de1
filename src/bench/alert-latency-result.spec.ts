import { halves, isSteady, percentile, summarize } from './alert-latency-result.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 · n)', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives nearest-rank percentiles, max and mean of unsorted values', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ p50: 20, p90: 40, p99: 40, max: 40, mean: 25 });
    expect(summarize([])).toBeNull();
  });
});

describe('halves and isSteady', () => {
  it('splits probes by send time, not by the order they are given in', () => {
    const probes = [
      { at: 4, ms: 400 },
      { at: 1, ms: 10 },
      { at: 3, ms: 300 },
      { at: 2, ms: 20 },
    ];
    const split = halves(probes);
    expect(split.first?.p50).toBe(10);
    expect(split.first?.max).toBe(20);
    expect(split.second?.p50).toBe(300);
    expect(split.second?.max).toBe(400);
  });

  it('calls a run steady unless the second half is over twice as slow at the median', () => {
    const run = (first: number[], second: number[]) => ({
      halvesMs: halves([...first.map((ms, i) => ({ at: i, ms })), ...second.map((ms, i) => ({ at: 100 + i, ms }))]),
    });
    expect(isSteady(run([40, 50, 60], [60, 100, 200]))).toBe(true);
    expect(isSteady(run([40, 50, 60], [90, 101, 120]))).toBe(false);
    expect(isSteady({})).toBeUndefined();
  });
});
