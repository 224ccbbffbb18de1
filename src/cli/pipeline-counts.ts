import type { VigilCore } from '../core/vigil-core.js';

/** How far this process's stages have got, from its own metrics (this run only). */
export interface PipelineCounts {
  readonly processed: number;
  readonly findings: number;
  readonly alerts: number;
  readonly deadLetters: number;
  /** Input events dead-lettered by detect, per error code (why). */
  readonly deadLetterReasons: Readonly<Record<string, number>>;
  /** Input events behind the watermark by more than the allowed lateness: not run through the detectors. */
  readonly late: number;
  readonly storedEvents: number;
  readonly storedFindings: number;
  readonly storedAlerts: number;
  readonly delivered: number;
  readonly alertsDeadLettered: number;
  /** Alerts a silence, inhibition or the storm guard kept from a receiver. */
  readonly suppressed: number;
  /** Alerts taken into a grouped route's group: sent in its notifications, not one by one. */
  readonly grouped: number;
  /** Groups of grouped routes whose first notification has not gone out yet. */
  readonly groupsWaiting: number;
  readonly lag: number;
}

export async function pipelineCounts(core: VigilCore): Promise<PipelineCounts> {
  const { metrics, template } = core;
  const t = { template: template.name };
  const lag = (await metrics.lag.get()).values.filter((v) => v.labels.stage === 'detect').reduce((sum, v) => sum + v.value, 0);
  const deadLetterReasons: Record<string, number> = {};
  for (const v of (await metrics.deadLetters.get()).values) {
    if (v.labels.template !== template.name || v.labels.stage !== 'detect' || v.value === 0) continue;
    const code = String(v.labels.code);
    deadLetterReasons[code] = (deadLetterReasons[code] ?? 0) + v.value;
  }
  return {
    processed: await metrics.total(metrics.processed, t),
    findings: await metrics.total(metrics.findings, t),
    alerts: await metrics.total(metrics.alerts, t),
    deadLetters: await metrics.total(metrics.deadLetters, { ...t, stage: 'detect' }),
    deadLetterReasons,
    late: await metrics.total(metrics.lateEvents, t),
    storedEvents: await metrics.total(metrics.sinkRows, { table: template.tables.events }),
    storedFindings: await metrics.total(metrics.sinkRows, { table: 'findings' }),
    storedAlerts: await metrics.total(metrics.sinkRows, { table: 'alerts' }),
    delivered: await metrics.total(metrics.webhookDeliveries, { reason: 'ok' }),
    alertsDeadLettered: await metrics.total(metrics.deadLetters, { ...t, stage: 'notify' }),
    suppressed: await metrics.total(metrics.alertsSuppressed),
    grouped: await metrics.total(metrics.alertsGrouped),
    groupsWaiting: await metrics.total(metrics.alertGroupsWaiting),
    lag,
  };
}
