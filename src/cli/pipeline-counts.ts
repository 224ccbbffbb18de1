import type { VigilCore } from '../core/vigil-core.js';

/** How far this process's stages have got, from its own metrics (this run only). */
export interface PipelineCounts {
  readonly processed: number;
  readonly findings: number;
  readonly alerts: number;
  readonly deadLetters: number;
  readonly storedEvents: number;
  readonly storedFindings: number;
  readonly storedAlerts: number;
  readonly delivered: number;
  readonly alertsDeadLettered: number;
  readonly lag: number;
}

export async function pipelineCounts(core: VigilCore): Promise<PipelineCounts> {
  const { metrics, template } = core;
  const t = { template: template.name };
  const lag = (await metrics.lag.get()).values.filter((v) => v.labels.stage === 'detect').reduce((sum, v) => sum + v.value, 0);
  return {
    processed: await metrics.total(metrics.processed, t),
    findings: await metrics.total(metrics.findings, t),
    alerts: await metrics.total(metrics.alerts, t),
    deadLetters: await metrics.total(metrics.deadLetters, { ...t, stage: 'detect' }),
    storedEvents: await metrics.total(metrics.sinkRows, { table: template.tables.events }),
    storedFindings: await metrics.total(metrics.sinkRows, { table: 'findings' }),
    storedAlerts: await metrics.total(metrics.sinkRows, { table: 'alerts' }),
    delivered: await metrics.total(metrics.webhookDeliveries, { reason: 'ok' }),
    alertsDeadLettered: await metrics.total(metrics.deadLetters, { ...t, stage: 'notify' }),
    lag,
  };
}
