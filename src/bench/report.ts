import { writeFile } from 'node:fs/promises';
import { formatTable } from '../cli/format-table.js';
import type { FillMeasurement } from './fill-topic.js';
import { mib, round, type ConsumeMeasurement } from './measurement.js';
import { isSteady, SINK_CATCH_UP_MS, UNSTEADY_FACTOR, type AlertLatencyResult } from './alert-latency-result.js';
import type { PipelineResult } from './pipeline-result.js';
import type { SeparatePipelineResult } from './pipeline-separate.js';
import type { StateResult } from './state-result.js';
import type { MemoryResult } from './memory-result.js';

/** The targets shown next to the numbers. */
export const TARGETS = { pipelineVsKafkajsMin: 0.5, peakRssMiBMax: 1536, stateHeapBytesPerKeyMax: 200, restoreKeysPerSecondMin: 100_000, alertP99MsMax: 100, allInOneRssMiBMax: 1024 } as const;

export interface BenchRun {
  readonly startedAt: string;
  readonly node: string;
  readonly events: number;
  readonly partitions: number;
  readonly broker: 'local' | 'external';
  /** Absent with --alerts-only. */
  readonly fill?: FillMeasurement;
  readonly kcat?: ConsumeMeasurement;
  readonly kafkajs?: ConsumeMeasurement;
  readonly platformatic?: ConsumeMeasurement;
  readonly pipeline?: PipelineResult;
  /** Detect and sink each in its own process, started together (the docker-compose shape). */
  readonly separatePipeline?: SeparatePipelineResult;
  readonly detectOnly?: PipelineResult;
  readonly sinkOnly?: PipelineResult;
  /** The state run (issue 4): heap per key of one partition's state, and its restore rate. */
  readonly state?: StateResult;
  /** One `vigil run` with every service through payments of 1M (--memory-cards) distinct cards. */
  readonly memory?: MemoryResult;
  /**
   * The alert-latency runs (issue 5): triggering event → receiver's 200 while events flow, with the
   * stages in one process and/or each in its own (the docker-compose shape).
   */
  readonly alerts?: readonly AlertLatencyResult[];
  /** Measurements that failed, by name; the others still count. */
  readonly errors: Readonly<Record<string, string>>;
}

export interface BenchReport extends BenchRun {
  readonly ratios: {
    readonly pipelineVsKafkajs: number | null;
    readonly pipelineVsKcat: number | null;
    /** The separate-process pipeline's rate over the bare kafkajs consumer's. */
    readonly separateVsKafkajs: number | null;
    readonly platformaticVsKafkajs: number | null;
    /** The same ratios on flow rates (first message to last, start-up excluded). */
    readonly flow: { readonly pipelineVsKafkajs: number | null; readonly pipelineVsKcat: number | null; readonly platformaticVsKafkajs: number | null };
  };
  readonly targets: {
    /** The better of the two pipeline shapes measured, named in `shape`. */
    readonly pipelineVsKafkajs: { readonly min: number; readonly value: number | null; readonly met: boolean; readonly shape: string | null };
    readonly peakRssMiB: { readonly max: number; readonly value: number | null; readonly met: boolean };
    /** V8 heap per key of the live state (state run); null when it did not run. */
    readonly stateHeapBytesPerKey: { readonly max: number; readonly value: number | null; readonly met: boolean };
    /** The same after a restore from the changelog (the state a restarted or rebalanced Vigil holds). */
    readonly restoredStateHeapBytesPerKey: { readonly max: number; readonly value: number | null; readonly met: boolean };
    /** Keys per second restoring one partition's state from its changelog, group join included. */
    readonly restoreKeysPerSecond: { readonly min: number; readonly value: number | null; readonly met: boolean };
    /** p99 of alert latency (the separate-process run when measured, as deployed); null when none ran. */
    readonly alertP99Ms: { readonly max: number; readonly value: number | null; readonly met: boolean };
    /** Peak RSS (VmHWM) of the all-in-one `vigil run` of the memory run; null when it did not run. */
    readonly allInOnePeakRssMiB: { readonly max: number; readonly value: number | null; readonly met: boolean };
  };
}

export function buildReport(run: BenchRun): BenchReport {
  const pipelineRate = run.pipeline?.rate ?? undefined;
  const pipelineFlow = run.pipeline ? pipelineFlowRate(run.pipeline) : undefined;
  const oneProcess = ratio(pipelineRate, run.kafkajs?.rate);
  const separate = ratio(run.separatePipeline?.rate, run.kafkajs?.rate);
  const best = (separate ?? -1) > (oneProcess ?? -1) ? { value: separate, shape: 'separate processes' } : { value: oneProcess, shape: oneProcess === null ? null : 'one process' };
  const vsKafkajs = best.value;
  const rss = run.pipeline?.peakRssMiB ?? run.separatePipeline?.peakRssMiB ?? null;
  const bytesPerKey = run.state?.memory?.heapBytesPerKey ?? null;
  const restoredBytesPerKey = run.state?.restore?.heapBytesPerKey ?? null;
  const restoreRate = run.state?.restore?.rate ?? null;
  const deployed = run.alerts?.find((a) => a.shape === 'separate') ?? run.alerts?.[0];
  const alertP99 = deployed?.latencyMs?.p99 ?? null;
  const allInOneRss = run.memory?.ok ? run.memory.peakRssMiB : null;
  return {
    ...run,
    ratios: {
      pipelineVsKafkajs: oneProcess,
      separateVsKafkajs: separate,
      pipelineVsKcat: ratio(pipelineRate, run.kcat?.rate),
      platformaticVsKafkajs: ratio(run.platformatic?.rate, run.kafkajs?.rate),
      flow: {
        pipelineVsKafkajs: ratio(pipelineFlow, run.kafkajs?.flowRate),
        pipelineVsKcat: ratio(pipelineFlow, run.kcat?.flowRate),
        platformaticVsKafkajs: ratio(run.platformatic?.flowRate, run.kafkajs?.flowRate),
      },
    },
    targets: {
      pipelineVsKafkajs: { min: TARGETS.pipelineVsKafkajsMin, value: vsKafkajs, met: vsKafkajs !== null && vsKafkajs >= TARGETS.pipelineVsKafkajsMin, shape: best.shape },
      peakRssMiB: { max: TARGETS.peakRssMiBMax, value: rss, met: rss !== null && rss < TARGETS.peakRssMiBMax },
      stateHeapBytesPerKey: { max: TARGETS.stateHeapBytesPerKeyMax, value: bytesPerKey, met: bytesPerKey !== null && bytesPerKey <= TARGETS.stateHeapBytesPerKeyMax },
      restoredStateHeapBytesPerKey: {
        max: TARGETS.stateHeapBytesPerKeyMax,
        value: restoredBytesPerKey,
        met: restoredBytesPerKey !== null && restoredBytesPerKey <= TARGETS.stateHeapBytesPerKeyMax,
      },
      restoreKeysPerSecond: { min: TARGETS.restoreKeysPerSecondMin, value: restoreRate, met: restoreRate !== null && restoreRate >= TARGETS.restoreKeysPerSecondMin },
      alertP99Ms: { max: TARGETS.alertP99MsMax, value: alertP99, met: alertP99 !== null && alertP99 < TARGETS.alertP99MsMax },
      allInOnePeakRssMiB: { max: TARGETS.allInOneRssMiBMax, value: allInOneRss, met: allInOneRss !== null && allInOneRss < TARGETS.allInOneRssMiBMax },
    },
  };
}

/** Events per second once the first event was through, i.e. without Nest start-up and group joins. */
function pipelineFlowRate(result: PipelineResult): number | undefined {
  if (result.seconds === null || result.firstEventSeconds === null) return undefined;
  const flow = result.seconds - result.firstEventSeconds;
  return flow > 0 ? Math.round(result.events / flow) : undefined;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : round(a / b, 3);
}

export function renderReport(report: BenchReport): string {
  const rows: Record<string, unknown>[] = [
    ...(report.fill === undefined
      ? []
      : [{ run: 'fill (Vigil producer, acks=all)', seconds: report.fill.seconds, 'msgs/s': report.fill.rate, 'flow msgs/s': '', notes: `${mib(report.fill.bytes)} MiB values, ${report.fill.batches} sends, generating ${report.fill.generateSeconds} s` }]),
    ...[report.kcat, report.kafkajs, report.platformatic].filter((m) => m !== undefined).map((m) => ({ run: m.name, seconds: m.seconds, 'msgs/s': m.rate, 'flow msgs/s': m.flowRate, notes: m.cpuSeconds === undefined ? '' : `cpu ${m.cpuSeconds} s` })),
    ...pipelineRows('Vigil detect+sink (child)', report.pipeline),
    ...separateRows(report.separatePipeline),
    ...pipelineRows('Vigil detect only (child)', report.detectOnly),
    ...pipelineRows('Vigil sink only (child)', report.sinkOnly),
    ...stateRows(report.state),
    ...memoryRows(report.memory),
    ...(report.alerts ?? []).flatMap(alertRows),
  ];
  const { ratios, targets } = report;
  const ratioRows = [
    { ratio: 'pipeline / kafkajs', value: fmt(ratios.pipelineVsKafkajs), flow: fmt(ratios.flow.pipelineVsKafkajs), target: '', status: '' },
    { ratio: 'pipeline (2 processes) / kafkajs', value: fmt(ratios.separateVsKafkajs), flow: '', target: '', status: '' },
    {
      ratio: `best pipeline shape / kafkajs${targets.pipelineVsKafkajs.shape === null ? '' : ` (${targets.pipelineVsKafkajs.shape})`}`,
      value: fmt(targets.pipelineVsKafkajs.value),
      flow: '',
      target: `>= ${targets.pipelineVsKafkajs.min}`,
      status: status(targets.pipelineVsKafkajs.met, targets.pipelineVsKafkajs.value),
    },
    { ratio: 'pipeline / kcat', value: fmt(ratios.pipelineVsKcat), flow: fmt(ratios.flow.pipelineVsKcat), target: '', status: '' },
    { ratio: 'platformatic / kafkajs', value: fmt(ratios.platformaticVsKafkajs), flow: fmt(ratios.flow.platformaticVsKafkajs), target: '', status: '' },
    { ratio: 'pipeline peak RSS (MiB)', value: fmt(targets.peakRssMiB.value), flow: '', target: `< ${targets.peakRssMiB.max}`, status: status(targets.peakRssMiB.met, targets.peakRssMiB.value) },
    ...(report.state === undefined
      ? []
      : [
          { ratio: 'state heap bytes per key', value: fmt(targets.stateHeapBytesPerKey.value), flow: '', target: `<= ${targets.stateHeapBytesPerKey.max}`, status: status(targets.stateHeapBytesPerKey.met, targets.stateHeapBytesPerKey.value, 'NOT MEASURED (failed)', 'ABOVE TARGET') },
          { ratio: 'state heap bytes per key, restored', value: fmt(targets.restoredStateHeapBytesPerKey.value), flow: '', target: `<= ${targets.restoredStateHeapBytesPerKey.max}`, status: status(targets.restoredStateHeapBytesPerKey.met, targets.restoredStateHeapBytesPerKey.value, 'NOT MEASURED (failed)', 'ABOVE TARGET') },
          { ratio: 'state restore keys/s (1 partition)', value: fmt(targets.restoreKeysPerSecond.value), flow: '', target: `>= ${targets.restoreKeysPerSecond.min}`, status: status(targets.restoreKeysPerSecond.met, targets.restoreKeysPerSecond.value, 'NOT MEASURED (failed)') },
        ]),
    ...(report.memory === undefined
      ? []
      : [
          {
            ratio: `all-in-one vigil run peak RSS (MiB), ${report.memory.cards} cards`,
            value: fmt(targets.allInOnePeakRssMiB.value),
            flow: '',
            target: `< ${targets.allInOnePeakRssMiB.max}`,
            status: status(targets.allInOnePeakRssMiB.met, targets.allInOnePeakRssMiB.value, 'NOT MEASURED (failed)', 'ABOVE TARGET'),
          },
        ]),
    ...(report.alerts ?? []).map((alerts) => {
      const p99 = alerts.latencyMs?.p99 ?? null;
      return { ratio: `alert latency p99 (ms), ${alertShape(alerts)}`, value: fmt(p99), flow: '', target: `< ${targets.alertP99Ms.max}`, status: status(p99 !== null && p99 < targets.alertP99Ms.max, p99, 'NOT MEASURED (failed)', 'ABOVE TARGET') };
    }),
  ];
  const errors = Object.entries(report.errors).map(([name, message]) => `FAILED ${name}: ${message}\n`);
  const memoryOnly = report.fill === undefined && report.alerts === undefined && report.memory !== undefined;
  const what = memoryOnly ? `memory run only (${report.memory!.events} payments of ${report.memory!.cards} cards)` : `${report.events} finance events`;
  const header = `Vigil bench: ${what}, ${report.partitions} partitions, ${report.broker} broker, node ${report.node}\n`;
  const details = [
    pipelineDetails('detect+sink', report.pipeline),
    pipelineDetails('detect (own process)', report.separatePipeline?.detect),
    pipelineDetails('sink (own process)', report.separatePipeline?.sink),
    pipelineDetails('detect only', report.detectOnly),
    pipelineDetails('sink only', report.sinkOnly),
    stateDetails(report.state),
    memoryDetails(report.memory),
  ].join('');
  return `${header}\n${formatTable(rows)}\n${details}\n${formatTable(ratioRows)}${errors.length > 0 ? `\n${errors.join('')}` : ''}`;
}

function pipelineRows(name: string, result: PipelineResult | undefined): Record<string, unknown>[] {
  if (!result) return [];
  const notes = `cpu ${result.cpuSeconds} s, findings ${result.findings}, peak RSS ${result.peakRssMiB} MiB`;
  return [{ run: name, seconds: result.seconds, 'msgs/s': result.rate, 'flow msgs/s': pipelineFlowRate(result) ?? '', notes }];
}

function separateRows(result: SeparatePipelineResult | undefined): Record<string, unknown>[] {
  if (!result) return [];
  const notes = `cpu ${result.cpuSeconds} s, detect ${result.detect.seconds ?? 'n/a'} s, sink ${result.sink.seconds ?? 'n/a'} s, peak RSS ${result.peakRssMiB} MiB`;
  return [{ run: 'Vigil detect | sink (2 processes)', seconds: result.seconds, 'msgs/s': result.rate, 'flow msgs/s': '', notes }];
}

/** One line per pipeline child with where its time went (formatTable cuts cells at 60 characters). */
function pipelineDetails(name: string, result: PipelineResult | undefined): string {
  if (!result) return '';
  const inserts = result.eventInserts;
  const parts = [
    `stages started ${result.startSeconds} s`,
    `first event ${result.firstEventSeconds ?? 'n/a'} s`,
    result.detectSeconds === null ? undefined : `all detected ${result.detectSeconds} s`,
    result.sinkSeconds === null ? undefined : `all stored ${result.sinkSeconds} s`,
    `findings ${result.findings} (stored ${result.storedFindings}), alerts ${result.alerts} (stored ${result.storedAlerts})`,
    `CPU ${result.cpuSeconds} s over ${result.seconds ?? 'n/a'} s wall, event loop busy ${Math.round(result.eventLoopUtilization * 100)} %`,
    inserts.count > 0 ? `${inserts.count} event inserts of ~${inserts.meanRows} rows took ${inserts.seconds} s` : undefined,
    `sink batch ${result.sinkBatchRows} rows / ${result.sinkFlushMs} ms`,
    `peak heap ${result.memory.heapUsedMiB} MiB used / ${result.memory.heapTotalMiB} MiB total, external ${result.memory.externalMiB} MiB`,
    `close ${result.closeSeconds} s`,
  ];
  return `${name}: ${parts.filter(Boolean).join('; ')}\n`;
}

function alertRows(alerts: AlertLatencyResult): Record<string, unknown>[] {
  if (!alerts.latencyMs) return [];
  const { p50, p90, p99, max } = alerts.latencyMs;
  const b = alerts.breakdownMs;
  const part = (name: string, s: { p50: number; p99: number } | null) => (s === null ? `${name} n/a` : `${name} ${s.p50}/${s.p99}`);
  return [
    {
      run: `alerts (${alertShape(alerts)}): event → receiver 200 (${alerts.targetRate}/s load)`,
      seconds: alerts.seconds,
      'msgs/s': alerts.producedRate,
      'flow msgs/s': '',
      notes: `p50 ${p50} ms, p90 ${p90}, p99 ${p99}, max ${max}; ${alerts.received}/${alerts.probes} probes`,
    },
    {
      run: `alerts (${alertShape(alerts)}): first / second half, p50/p99 ms`,
      seconds: '',
      'msgs/s': '',
      'flow msgs/s': '',
      notes: halvesNote(alerts),
    },
    {
      run: `alerts (${alertShape(alerts)}): where the time goes, p50/p99 ms`,
      seconds: '',
      'msgs/s': '',
      'flow msgs/s': '',
      notes: [part('produce→detect', b.produceToDetect), part('detect→committed', b.detectToCommitted), part('committed→notify', b.committedToNotify), part('notify→200', b.notifyToReceiver)].join(', '),
    },
    {
      run: `alerts (${alertShape(alerts)}): CPU-seconds`,
      seconds: '',
      'msgs/s': '',
      'flow msgs/s': '',
      notes: cpuNote(alerts),
    },
  ];
}

function halvesNote(alerts: AlertLatencyResult): string {
  const { first, second } = alerts.halvesMs ?? {};
  if (!first || !second) return 'n/a';
  const steady = isSteady(alerts);
  const verdict = steady ? 'steady' : `NOT STEADY: the second half's median is over ${UNSTEADY_FACTOR}× the first's, a backlog was growing (the stages did not keep up; a longer run would look worse)`;
  return `${first.p50}/${first.p99}, then ${second.p50}/${second.p99}: ${verdict}`;
}

function cpuNote(alerts: AlertLatencyResult): string {
  // In the one-process shape the stages run in the measuring process, so its CPU includes theirs.
  const parts = [`${alerts.shape === 'one-process' ? 'stages, load and receiver' : 'load and receiver'} ${alerts.cpuSeconds}`];
  for (const [stage, seconds] of Object.entries(alerts.stageCpuSeconds ?? {})) parts.push(`${stage} ${seconds}`);
  if (alerts.brokerCpuSeconds !== undefined) parts.push(`broker ${alerts.brokerCpuSeconds}`);
  const sink = alerts.sinkCatchUpMs === undefined ? '' : alerts.sinkCatchUpMs === null ? `; the sink had NOT caught up ${SINK_CATCH_UP_MS / 1000} s after the load` : `; the sink had committed every event ${alerts.sinkCatchUpMs} ms after the load`;
  return `${parts.join(', ')}, during ${alerts.seconds} s of load${sink}`;
}

function stateRows(state: StateResult | undefined): Record<string, unknown>[] {
  if (!state) return [];
  const { feed, memory, changelog, restore } = state;
  const rows: Record<string, unknown>[] = [];
  if (feed && memory) {
    rows.push({ run: `state: ${state.keys} cards into 1 runtime`, seconds: feed.seconds, 'msgs/s': feed.rate, 'flow msgs/s': '', notes: `heap ${memory.heapBytesPerKey} B/key (${memory.keyCount} keys in all stores; ${memory.heapBytesPerCard} B/card), values ~${memory.estimateBytesPerKey} B/key (JSON)` });
  }
  if (changelog) {
    rows.push({ run: 'state: write changelog (1 partition)', seconds: changelog.seconds, 'msgs/s': changelog.rate, 'flow msgs/s': '', notes: `${changelog.records} records, ${mib(changelog.bytes)} MiB, ${changelog.sends} sends` });
  }
  if (restore) {
    const flow = restore.lastMessageSeconds - restore.firstMessageSeconds;
    rows.push({ run: 'state: restore partition (keys/s)', seconds: restore.seconds, 'msgs/s': restore.rate, 'flow msgs/s': flow > 0 ? Math.round(restore.records / flow) : '', notes: `${restore.keys} keys, cpu ${restore.cpuSeconds} s, matches ${restore.matches ? 'yes' : 'NO'}` });
  }
  return rows;
}

/** Where the state run's memory and restore time went. */
function stateDetails(state: StateResult | undefined): string {
  if (!state) return '';
  const { feed, memory, restore } = state;
  const parts = [
    feed && memory
      ? `${memory.keyCount} keys (${state.detectors.join(', ')}), event time ${feed.eventSpanSeconds} s < state TTL ${feed.stateTtlSeconds} s, evicted ${feed.evicted}, ${feed.drains} drains of ${feed.drainEvery} events`
      : undefined,
    memory ? `heap ${memory.heapBytesPerKey} B/key live${restore ? `, ${restore.heapBytesPerKey} B/key restored` : ''}; estimateBytes ${memory.estimateBytesPerKey} B/key; changelog ${memory.changelogBytesPerKey} B/key` : undefined,
    restore
      ? `restore of ${restore.records} records: first message ${restore.firstMessageSeconds} s (end offsets, group join, first fetch), last ${restore.lastMessageSeconds} s, readToEnd ${restore.readSeconds} s`
      : undefined,
    restore ? `decode and apply ${restore.decodeSeconds} s in ${restore.batches} batches of ~${restore.meanBatchRecords}, finish ${restore.applySeconds} s` : undefined,
    `peak RSS ${state.peakRssMiB} MiB, CPU ${state.cpuSeconds} s`,
  ];
  return `state: ${parts.filter(Boolean).join('; ')}\n`;
}

function memoryRows(memory: MemoryResult | undefined): Record<string, unknown>[] {
  if (!memory) return [];
  const rows: Record<string, unknown>[] = [];
  if (memory.fill) {
    rows.push({ run: `memory: fill, ${memory.cards} cards`, seconds: memory.fill.seconds, 'msgs/s': memory.fill.rate, 'flow msgs/s': '', notes: `${memory.fill.events} payments, ${mib(memory.fill.bytes)} MiB values` });
  }
  const notes = `peak RSS ${memory.peakRssMiB ?? 'n/a'} MiB, ${memory.stateKeys} state keys, cpu ${memory.cpuSeconds} s`;
  rows.push({ run: 'memory: vigil run, every service', seconds: memory.seconds, 'msgs/s': memory.rate ?? '', 'flow msgs/s': '', notes });
  return rows;
}

/** Where the all-in-one process's memory was. */
function memoryDetails(memory: MemoryResult | undefined): string {
  if (!memory) return '';
  const at = memory.memory?.atPeakRss;
  const peaks = memory.memory?.peaks;
  const parts = [
    `peak RSS ${memory.peakRssMiB ?? 'n/a'} MiB (VmHWM; highest VmRSS read ${memory.sampledPeakRssMiB} MiB)`,
    at
      ? `at the highest RSS sample (${at.rssMiB} MiB): V8 heap ${at.heapUsedMiB} used / ${at.heapTotalMiB} total, external ${at.externalMiB} (array buffers ${at.arrayBuffersMiB}), other (native: ClickHouse engine, stacks, code) ${at.otherMiB}`
      : 'no breakdown (the probe wrote nothing)',
    peaks ? `peaks: heap used ${peaks.heapUsedMiB}, heap total ${peaks.heapTotalMiB}, external ${peaks.externalMiB}, array buffers ${peaks.arrayBuffersMiB}` : undefined,
    `${memory.stateKeys} keys in detector state, ${memory.processed} processed, ${memory.storedEvents} stored, findings ${memory.findings} (stored ${memory.storedFindings}), alerts ${memory.alerts} (stored ${memory.storedAlerts}), ${memory.webhooks} webhooks`,
    `started ${memory.startSeconds ?? 'n/a'} s, done ${memory.seconds ?? 'n/a'} s, CPU ${memory.cpuSeconds} s`,
    memory.nodeOptions ? `NODE_OPTIONS ${memory.nodeOptions}` : undefined,
  ];
  return `memory: ${parts.filter(Boolean).join('; ')}\n`;
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : String(value);
}

function status(met: boolean, value: number | null, missing = 'n/a', unmet = 'BELOW TARGET'): string {
  if (value === null) return missing;
  return met ? 'OK' : unmet;
}

export async function writeReport(file: string, report: BenchReport): Promise<void> {
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** The shape as the tables name it: `separate, detect ×2` when detect was scaled out. */
function alertShape(alerts: AlertLatencyResult): string {
  return alerts.detectProcesses > 1 ? `${alerts.shape}, detect ×${alerts.detectProcesses}` : alerts.shape;
}
