import { burstScore, type BurstReading } from './burst-score.js';

const WINDOW = 5;

/** Burst scores of a series from a fresh ring, as the core calls it. */
function scores(values: readonly number[], drops = false): number[] {
  const s = new Array<number>(1 + WINDOW).fill(0);
  const out: BurstReading = { reference: 0, ratio: 1 };
  return values.map((v) => burstScore(s, 0, WINDOW, 2, 4, drops, v, out));
}

/** The published volume baseline, written out independently: count ÷ median of up to 5 previous. */
function ratios(values: readonly number[]): number[] {
  return values.map((v, i) => {
    const prev = values.slice(Math.max(0, i - WINDOW), i).sort((a, b) => a - b);
    if (prev.length === 0) return 1;
    const m = Math.floor(prev.length / 2);
    return v / (prev.length % 2 ? prev[m]! : (prev[m - 1]! + prev[m]!) / 2);
  });
}

describe('burst score', () => {
  const series = [120, 95, 130, 101, 88, 260, 140, 97, 99, 310, 800, 450, 300, 150, 60, 75, 110, 105, 98, 400];

  it('ranks points exactly as the ratio to the median of the previous 5 does', () => {
    const s = scores(series);
    const r = ratios(series);
    for (let i = 0; i < series.length; i++) {
      for (let j = 0; j < series.length; j++) {
        if (r[i]! > r[j]!) expect(s[i]!).toBeGreaterThan(s[j]!);
      }
    }
  });

  it('scores ½ at twice the recent median, little at no change and towards 0 for a drop', () => {
    const [, same, double, half] = scores([100, 100, 200, 50]);
    expect(same).toBeCloseTo(1 / 17, 6);
    expect(double).toBeCloseTo(0.5, 6);
    expect(half).toBeLessThan(0.01);
  });

  it('scores a drop as the burst of the inverse ratio when asked', () => {
    const [, , , half] = scores([100, 100, 100, 50], true);
    const [, , , double] = scores([100, 100, 100, 200], true);
    expect(half).toBeCloseTo(double!, 9);
    expect(scores([40, 40, 40, 0], true)[3]).toBe(1);
  });

  it('scores the first post after silence 1, and silence after silence as no change', () => {
    const s = scores([0, 0, 0, 3, 0]);
    expect(s[1]).toBeCloseTo(1 / 17, 6);
    expect(s[3]).toBe(1);
  });

  it('keeps only the last 5 points: an old burst stops counting once it leaves the ring', () => {
    const s = scores([100, 100, 100, 100, 100, 5000, 100, 100, 100, 100, 100, 200]);
    expect(s[11]).toBeCloseTo(0.5, 6);
  });
});
