import { setTimeout as sleep } from 'node:timers/promises';
import type { VigilCore } from '../core/vigil-core.js';
import { pipelineCounts, type PipelineCounts } from './pipeline-counts.js';

export interface DrainResult {
  readonly ok: boolean;
  readonly counts: PipelineCounts;
  readonly waitedMs: number;
}

/**
 * Waits until everything produced has gone all the way: every event processed (or dead-lettered,
 * or set aside as late) and stored, every finding and alert stored, every alert delivered or
 * dead-lettered, suppressed (silenced, inhibited, held back) or taken into a grouped route's group
 * (whose notifications follow the group's own timing). False on timeout or abort.
 */
export async function waitForDrain(
  core: VigilCore,
  sent: number,
  options: { timeoutMs: number; signal?: AbortSignal; onTick?: () => unknown },
): Promise<DrainResult> {
  const started = Date.now();
  for (;;) {
    const counts = await pipelineCounts(core);
    const done =
      counts.processed + counts.deadLetters + counts.late >= sent &&
      counts.storedEvents >= counts.processed &&
      counts.storedFindings >= counts.findings &&
      counts.storedAlerts >= counts.alerts &&
      counts.delivered + counts.alertsDeadLettered + counts.suppressed + counts.grouped >= counts.alerts;
    const waitedMs = Date.now() - started;
    if (done || waitedMs > options.timeoutMs || options.signal?.aborted) return { ok: done, counts, waitedMs };
    await options.onTick?.();
    await sleep(250);
  }
}
