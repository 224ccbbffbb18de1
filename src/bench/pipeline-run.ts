import 'reflect-metadata';
import './quiet-warnings.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildCore } from '../app/build-core.js';
import { startStages } from '../app/stage-launcher.js';
import type { VigilCore } from '../core/vigil-core.js';
import { loadConfig } from '../config/vigil-config.js';
import { describeError } from '../errors/vigil-error.js';
import { createLogger } from '../logging/logger.js';
import { round } from './measurement.js';
import { MemoryPeaks } from './memory-peaks.js';
import { PIPELINE_STAGE_CHOICES, type PipelineResult, type PipelineStage } from './pipeline-result.js';

/**
 * Child process entry (spawned by pipeline-measure.ts), so the pipeline's peak RSS is its own:
 * runs the chosen stages of the given template on its (already filled) input topic, with the
 * environment's KAFKA_BROKERS and VIGIL_DATA_DIR, until they have gone through `--events` events,
 * then closes cleanly and prints one PipelineResult JSON line on stdout. Logs go to stderr.
 */

const POLL_MS = 20;

const { values } = parseArgs({
  strict: true,
  options: {
    template: { type: 'string' },
    events: { type: 'string' },
    'timeout-ms': { type: 'string' },
    stages: { type: 'string', default: 'detect,sink' },
  },
});
const template = values.template;
const events = Number(values.events);
const timeoutMs = Number(values['timeout-ms'] ?? 120_000);
const stages = (values.stages ?? '').split(',').filter((s): s is PipelineStage => (PIPELINE_STAGE_CHOICES as readonly string[]).includes(s));
if (template === undefined || !(events > 0) || stages.length === 0) {
  process.stderr.write('usage: pipeline-run --template FILE --events N [--timeout-ms MS] [--stages detect,sink]\n');
  process.exit(2);
}

// The parent holds our stdin open and never writes: EOF means it died without stopping us
// (SIGKILL, OOM), so we stop too instead of lingering on a shared machine.
process.stdin.once('end', () => process.exit(3));
process.stdin.resume();

const result = await run(template, events, timeoutMs, stages);
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(result.ok ? 0 : 1));

async function run(templateFile: string, expected: number, limitMs: number, chosen: readonly PipelineStage[]): Promise<PipelineResult> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, 'vigil-bench-pipeline');
  const owned = await buildCore({ config, template: templateFile, clickhouse: chosen.includes('sink'), logger });
  const { core } = owned;
  const watchDetect = chosen.includes('detect');
  const watchSink = chosen.includes('sink');
  const marks: { first?: number; detect?: number; sink?: number } = {};
  const memory = new MemoryPeaks();
  let error: string | undefined;
  let startMs = 0;
  let closeMs = 0;
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const t0 = performance.now();
  let tEnd = t0;
  try {
    const running = await startStages(core, chosen);
    startMs = performance.now() - t0;
    try {
      const deadline = t0 + limitMs;
      for (;;) {
        const { processed, stored, outputsStored } = await progress(core);
        memory.sample();
        const now = performance.now();
        if ((processed > 0 || stored > 0) && marks.first === undefined) marks.first = now;
        if (processed >= expected && marks.detect === undefined) marks.detect = now;
        // With detect here too, the sink is done when detect's findings and alerts are stored as
        // well, not only the events: those arrive last (detect's final transactions).
        const sinkDone = stored >= expected && (!watchDetect || (marks.detect !== undefined && outputsStored));
        if (sinkDone && marks.sink === undefined) marks.sink = now;
        if ((!watchDetect || marks.detect !== undefined) && (!watchSink || marks.sink !== undefined)) break;
        if (now > deadline) {
          error = `timed out after ${limitMs} ms: processed ${processed}, stored ${stored} of ${expected}`;
          break;
        }
        await sleep(POLL_MS);
      }
    } finally {
      tEnd = performance.now();
      const closing = performance.now();
      await running.close();
      closeMs = performance.now() - closing;
    }
  } catch (caught) {
    error = describeError(caught);
  } finally {
    await owned.close();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  const seconds = error === undefined ? (tEnd - t0) / 1000 : null;
  const since = (mark: number | undefined) => (mark === undefined ? null : round((mark - t0) / 1000, 3));
  const counts = await finalCounts(core);
  return {
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    stages: chosen,
    events: expected,
    ...counts,
    startSeconds: round(startMs / 1000, 3),
    firstEventSeconds: since(marks.first),
    detectSeconds: since(marks.detect),
    sinkSeconds: since(marks.sink),
    seconds: seconds === null ? null : round(seconds, 3),
    rate: seconds === null ? null : Math.round(expected / seconds),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    eventLoopUtilization: round(elu.utilization, 3),
    eventInserts: await eventInserts(core),
    closeSeconds: round(closeMs / 1000, 3),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
    memory: memory.peaks(),
    sinkBatchRows: core.config.sink.batchRows,
    sinkFlushMs: core.config.sink.flushMs,
  };
}

async function progress(core: VigilCore): Promise<{ processed: number; stored: number; outputsStored: boolean }> {
  const counts = await finalCounts(core);
  return {
    processed: counts.processed,
    stored: counts.storedEvents,
    outputsStored: counts.storedFindings >= counts.findings && counts.storedAlerts >= counts.alerts,
  };
}

async function finalCounts(core: VigilCore) {
  const { metrics, template } = core;
  return {
    processed: await metrics.total(metrics.processed, { template: template.name }),
    storedEvents: await metrics.total(metrics.sinkRows, { table: template.tables.events }),
    findings: await metrics.total(metrics.findings, { template: template.name }),
    alerts: await metrics.total(metrics.alerts, { template: template.name }),
    storedFindings: await metrics.total(metrics.sinkRows, { table: 'findings' }),
    storedAlerts: await metrics.total(metrics.sinkRows, { table: 'alerts' }),
  };
}

async function eventInserts(core: VigilCore): Promise<PipelineResult['eventInserts']> {
  const table = core.template.tables.events;
  const { values: samples } = await core.metrics.sinkInsertSeconds.get();
  const pick = (suffix: string) =>
    samples.filter((s) => s.metricName?.endsWith(suffix) === true && s.labels.table === table).reduce((sum, s) => sum + s.value, 0);
  const count = pick('_count');
  const rows = await core.metrics.total(core.metrics.sinkRows, { table });
  return { count, seconds: round(pick('_sum'), 3), meanRows: count > 0 ? Math.round(rows / count) : 0 };
}
