import { readFileSync, writeFileSync } from 'node:fs';
import { MemoryBreakdown } from './memory-breakdown.js';

/**
 * Preloaded (`node --import`) into the `vigil run` process of the all-in-one memory run
 * (memory-measure.ts), so that process runs Vigil's CLI unchanged and still says where its memory
 * is: it samples process.memoryUsage() every SAMPLE_MS and rewrites BENCH_MEMORY_OUT with the
 * summary (peaks, the sample at the highest RSS) and the kernel's high-water mark (VmHWM), once a
 * second and at exit, so the parent has the last state even after a kill.
 */

const SAMPLE_MS = 100;
const WRITE_EVERY = 10;

const out = process.env.BENCH_MEMORY_OUT;
if (out !== undefined && out !== '') {
  const breakdown = new MemoryBreakdown();
  const write = () => writeFileSync(out, `${JSON.stringify({ ...breakdown.summary(), vmHwmBytes: vmHwmBytes() })}\n`);
  const timer = setInterval(() => {
    breakdown.add(process.memoryUsage());
    if (breakdown.summary().samples % WRITE_EVERY === 0) write();
  }, SAMPLE_MS);
  timer.unref();
  process.once('exit', write);
}

/** The process's peak resident set as the kernel counts it, in bytes (Linux; 0 elsewhere). */
function vmHwmBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
