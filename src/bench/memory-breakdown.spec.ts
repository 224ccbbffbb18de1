import { MemoryBreakdown, share } from './memory-breakdown.js';

const MiB = 1024 * 1024;
const sample = (rss: number, heapUsed: number, heapTotal: number, external: number, arrayBuffers: number) => ({
  rss: rss * MiB,
  heapUsed: heapUsed * MiB,
  heapTotal: heapTotal * MiB,
  external: external * MiB,
  arrayBuffers: arrayBuffers * MiB,
});

describe('MemoryBreakdown', () => {
  it('keeps the peak of each figure and the whole sample at the highest RSS', () => {
    const breakdown = new MemoryBreakdown();
    breakdown.add(sample(500, 300, 350, 80, 70));
    breakdown.add(sample(900, 250, 400, 40, 30));
    breakdown.add(sample(800, 320, 380, 60, 50));
    const { peaks, atPeakRss, samples } = breakdown.summary();
    expect(samples).toBe(3);
    expect(atPeakRss).toEqual({ rssMiB: 900, heapUsedMiB: 250, heapTotalMiB: 400, externalMiB: 40, arrayBuffersMiB: 30, otherMiB: 460 });
    expect(peaks).toEqual({ rssMiB: 900, heapUsedMiB: 320, heapTotalMiB: 400, externalMiB: 80, arrayBuffersMiB: 70, otherMiB: 460 });
  });

  it('is all zeros before the first sample', () => {
    const { peaks, atPeakRss, samples } = new MemoryBreakdown().summary();
    expect(samples).toBe(0);
    expect(peaks.rssMiB).toBe(0);
    expect(atPeakRss.otherMiB).toBe(0);
  });
});

describe('share', () => {
  it('counts as other what is neither V8 heap nor external, never below zero', () => {
    expect(share(sample(1000, 600, 700, 100, 90)).otherMiB).toBe(200);
    expect(share(sample(100, 60, 90, 30, 20)).otherMiB).toBe(0);
  });
});
