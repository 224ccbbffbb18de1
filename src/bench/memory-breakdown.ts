import { mib } from './measurement.js';

/** One reading of process.memoryUsage(), in bytes. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Memory of C++ objects bound to JS objects, ArrayBuffers and Buffers included. */
  readonly external: number;
  readonly arrayBuffers: number;
}

/** Where a process's resident memory was, in MiB. */
export interface MemoryShareMiB {
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  /**
   * RSS outside the V8 heap and its external memory: native allocations V8 does not know of
   * (the embedded ClickHouse engine, the addon's buffers, thread stacks), code and libraries.
   */
  readonly otherMiB: number;
}

export interface MemoryBreakdownSummary {
  /** The highest value of each figure over the run (not necessarily at the same moment). */
  readonly peaks: MemoryShareMiB;
  /** The sample with the highest RSS, whole: how that peak was made up. */
  readonly atPeakRss: MemoryShareMiB;
  readonly samples: number;
}

/** Peaks of process.memoryUsage() over a run, and the breakdown of the sample with the highest RSS. */
export class MemoryBreakdown {
  private peak: MemorySample = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  private atPeak: MemorySample | undefined;
  private count = 0;

  add(sample: MemorySample): void {
    const p = this.peak;
    this.peak = {
      rss: Math.max(p.rss, sample.rss),
      heapUsed: Math.max(p.heapUsed, sample.heapUsed),
      heapTotal: Math.max(p.heapTotal, sample.heapTotal),
      external: Math.max(p.external, sample.external),
      arrayBuffers: Math.max(p.arrayBuffers, sample.arrayBuffers),
    };
    if (this.atPeak === undefined || sample.rss > this.atPeak.rss) this.atPeak = sample;
    this.count++;
  }

  summary(): MemoryBreakdownSummary {
    const atPeak = this.atPeak ?? this.peak;
    return { peaks: { ...share(this.peak), otherMiB: share(atPeak).otherMiB }, atPeakRss: share(atPeak), samples: this.count };
  }
}

/** The sample in MiB; `other` is RSS minus the V8 heap (as allocated) and external memory. */
export function share(sample: MemorySample): MemoryShareMiB {
  return {
    rssMiB: mib(sample.rss),
    heapUsedMiB: mib(sample.heapUsed),
    heapTotalMiB: mib(sample.heapTotal),
    externalMiB: mib(sample.external),
    arrayBuffersMiB: mib(sample.arrayBuffers),
    otherMiB: mib(Math.max(0, sample.rss - sample.heapTotal - sample.external)),
  };
}
