import { round } from './measurement.js';

export interface MemoryPeaksMiB {
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly rssMiB: number;
}

/** Peaks of process.memoryUsage() over the samples taken. */
export class MemoryPeaks {
  private heapUsed = 0;
  private heapTotal = 0;
  private external = 0;
  private rss = 0;

  sample(): void {
    const usage = process.memoryUsage();
    this.heapUsed = Math.max(this.heapUsed, usage.heapUsed);
    this.heapTotal = Math.max(this.heapTotal, usage.heapTotal);
    this.external = Math.max(this.external, usage.external);
    this.rss = Math.max(this.rss, usage.rss);
  }

  peaks(): MemoryPeaksMiB {
    const mib = (bytes: number) => round(bytes / 1024 / 1024, 1);
    return { heapUsedMiB: mib(this.heapUsed), heapTotalMiB: mib(this.heapTotal), externalMiB: mib(this.external), rssMiB: mib(this.rss) };
  }
}
