import { setTimeout as sleep } from 'node:timers/promises';
import type { VigilCore } from '../core/vigil-core.js';
import { groupTiming } from '../model/template/route.config.js';
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

/** Longest wait for a group's first notification: the demo waits it out so the summary shows them. */
const MAX_GROUP_WAIT_MS = 60_000;

/**
 * After a drain in which alerts went into grouped routes' groups: waits (wall clock, as notify's
 * grouping does once alerts stop) until no group is still waiting for its first notification, for
 * at most the longest first-notification wait of the template's routes (and at most a minute).
 * Deliveries cannot tell when that is: one group notification carries several alerts.
 */
export async function waitForGroups(core: VigilCore, drained: DrainResult, options: { signal?: AbortSignal; onTick?: () => unknown }): Promise<DrainResult> {
  if (drained.counts.grouped === 0) return drained;
  const waits = core.template.alerts.routes.map((route) => groupTiming(route)?.groupWait ?? 0);
  const until = Date.now() + Math.min(MAX_GROUP_WAIT_MS, Math.max(0, ...waits) + 2_000);
  let counts = drained.counts;
  while (Date.now() < until && !options.signal?.aborted) {
    counts = await pipelineCounts(core);
    if (counts.groupsWaiting === 0 || counts.delivered + counts.alertsDeadLettered + counts.suppressed >= counts.alerts) break;
    await options.onTick?.();
    await sleep(250);
  }
  return { ...drained, counts };
}
