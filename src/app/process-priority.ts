import { readdirSync } from 'node:fs';
import os from 'node:os';

/**
 * Lowers the CPU priority of this whole process to `nice` (0-19; higher gives way more). On Linux
 * a priority belongs to a thread: setpriority on the process id changes the main thread only. So
 * every thread under /proc/self/task is set, and threads started later (the embedded engine's
 * pools, libuv's workers) inherit it from the thread that starts them. A thread already at a
 * lower priority is left alone (raising it back needs privileges). Returns the threads changed.
 */
export function lowerProcessPriority(nice: number): number {
  let changed = 0;
  for (const tid of threadIds()) {
    try {
      if (os.getPriority(tid) >= nice) continue;
      os.setPriority(tid, nice);
      changed++;
    } catch {
      // The thread ended between listing and setting.
    }
  }
  return changed;
}

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter(Number.isSafeInteger);
  } catch {
    // No procfs (not Linux): elsewhere the process id covers every thread.
    return [process.pid];
  }
}
