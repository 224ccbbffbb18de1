import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalReceiver } from '../alerts/local-receiver.js';
import { generateWebhookSecret } from '../alerts/webhook.secret.js';
import { describeError } from '../errors/vigil-error.js';
import type { Logger } from '../logging/logger.js';
import type { Template } from '../model/template/template.schema.js';
import { freePorts } from '../kafka/free-ports.js';
import { exited } from './child-exit.js';
import type { MemoryBreakdownSummary } from './memory-breakdown.js';
import type { MemoryResult, MemoryTimelinePoint } from './memory-result.js';
import { mib, round } from './measurement.js';
import { processCpuSeconds } from './process-cpu.js';
import { sumSamples } from './prometheus-text.js';

const VIGIL_BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
const PROBE = pathToFileURL(fileURLToPath(new URL('./memory-probe.js', import.meta.url))).href;
const POLL_MS = 1_000;
const TIMELINE_S = 10;
const STOP_GRACE_MS = 60_000;

export interface MemoryMeasureOptions {
  readonly brokers: readonly string[];
  /** A template variant reading the filled topic (bench-template.ts). */
  readonly templateFile: string;
  readonly template: Template;
  readonly events: number;
  readonly cards: number;
  readonly timeoutMs: number;
  /** The parent's environment, passed on (NODE_OPTIONS, VIGIL_SINK_*, VIGIL_LOG_LEVEL...). */
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * Runs `vigil run --template <file>` (every service: detect, sink into a fresh embedded engine,
 * notify to a receiver here, the API on a free loopback port) on the filled topic until it has
 * processed and stored every event, then stops it with SIGTERM as an operator would. Its RSS is
 * read from /proc while it runs, its progress from its own GET /metrics, and where its memory is
 * from the probe preloaded into it (memory-probe.ts).
 */
export async function measureAllInOne(options: MemoryMeasureOptions): Promise<Omit<MemoryResult, 'fill'>> {
  const { template, events } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-memory-'));
  const secret = generateWebhookSecret();
  let webhooks = 0;
  const receiver = await startLocalReceiver({ secrets: [secret], log: options.logger, out: discard(), port: 0, onAlert: () => void webhooks++ });
  const probeFile = path.join(dir, 'probe.json');
  const port = (await freePorts(1))[0]!;
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    KAFKA_BROKERS: options.brokers.join(','),
    VIGIL_DATA_DIR: path.join(dir, 'data'),
    VIGIL_API_HOST: '127.0.0.1',
    VIGIL_API_PORT: String(port),
    VIGIL_WEBHOOK_URL: `${receiver.url}/alerts`,
    VIGIL_WEBHOOK_SECRET: secret,
    VIGIL_LOG_LEVEL: options.env.VIGIL_LOG_LEVEL ?? 'warn',
    BENCH_MEMORY_OUT: probeFile,
  };
  const child = spawn(process.execPath, ['--import', PROBE, VIGIL_BIN, 'run', '--template', options.templateFile], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exit = exited(child);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const t0 = performance.now();
  const since = () => round((performance.now() - t0) / 1000, 3);
  const timeline: MemoryTimelinePoint[] = [];
  let sampledPeak = 0;
  let startSeconds: number | null = null;
  let doneSeconds: number | null = null;
  let counts = emptyCounts();
  let cpuSeconds = Number.NaN;
  let error: string | undefined;
  try {
    const deadline = t0 + options.timeoutMs;
    let nextTimeline = 0;
    for (;;) {
      if (options.signal.aborted) throw new Error('aborted or timed out');
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`vigil run exited early (${child.exitCode ?? child.signalCode}); see its log above`);
      const status = vmStatus(child.pid!);
      sampledPeak = Math.max(sampledPeak, status.rss);
      const text = await scrape(port);
      if (text !== undefined) {
        startSeconds ??= since();
        counts = readCounts(text, template);
      }
      if (since() >= nextTimeline) {
        const engine = text === undefined ? undefined : await engineMemory(port);
        timeline.push({
          at: Math.round(since()),
          rssMiB: mib(status.rss),
          anonMiB: mib(status.anon),
          fileMiB: mib(status.file),
          processed: counts.processed,
          stored: counts.storedEvents,
          ...(engine === undefined ? {} : { engineMiB: engine }),
        });
        nextTimeline += TIMELINE_S;
      }
      const outputsStored = counts.storedFindings >= counts.findings && counts.storedAlerts >= counts.alerts;
      if (counts.processed >= events && counts.storedEvents >= events && outputsStored) {
        doneSeconds = since();
        break;
      }
      if (performance.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms: processed ${counts.processed}, stored ${counts.storedEvents} of ${events}`);
      await sleep(POLL_MS);
    }
  } catch (caught) {
    error = describeError(caught);
  } finally {
    cpuSeconds = processCpuSeconds(child.pid!);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    await receiver.close();
  }
  const probe = await readProbe(probeFile);
  await rm(dir, { recursive: true, force: true });
  const flow = doneSeconds !== null && startSeconds !== null ? doneSeconds - startSeconds : null;
  return {
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    cards: options.cards,
    events,
    startSeconds,
    seconds: doneSeconds,
    rate: flow !== null && flow > 0 ? Math.round(events / flow) : null,
    peakRssMiB: probe && probe.vmHwmBytes > 0 ? mib(probe.vmHwmBytes) : null,
    sampledPeakRssMiB: mib(sampledPeak),
    ...(probe ? { memory: probe.summary } : {}),
    ...counts,
    webhooks,
    cpuSeconds: Number.isFinite(cpuSeconds) ? round(cpuSeconds, 2) : 0,
    timeline,
    ...(options.env.NODE_OPTIONS ? { nodeOptions: options.env.NODE_OPTIONS } : {}),
  };
}

function emptyCounts() {
  return { stateKeys: 0, processed: 0, storedEvents: 0, findings: 0, alerts: 0, storedFindings: 0, storedAlerts: 0 };
}

function readCounts(text: string, template: Template): ReturnType<typeof emptyCounts> {
  const of = { template: template.name };
  return {
    stateKeys: sumSamples(text, 'vigil_state_keys', of),
    processed: sumSamples(text, 'vigil_events_processed_total', of),
    storedEvents: sumSamples(text, 'vigil_sink_rows_total', { table: template.tables.events }),
    findings: sumSamples(text, 'vigil_findings_total', of),
    alerts: sumSamples(text, 'vigil_alerts_total', of),
    storedFindings: sumSamples(text, 'vigil_sink_rows_total', { table: 'findings' }),
    storedAlerts: sumSamples(text, 'vigil_sink_rows_total', { table: 'alerts' }),
  };
}

/** GET /metrics of the child's API; undefined until it answers. */
async function scrape(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** The embedded engine's own account of its memory, through the child's POST /query. */
async function engineMemory(port: number): Promise<Record<string, number> | undefined> {
  const sql =
    "SELECT metric, toString(value) AS value FROM system.metrics WHERE metric IN ('MemoryTracking', 'MergesMutationsMemoryTracking', 'MarkCacheBytes', 'PrimaryIndexCacheBytes', 'UncompressedCacheBytes') " +
    "UNION ALL SELECT 'jemalloc', stats FROM system.jemalloc_stats";
  try {
    const response = await fetch(`http://127.0.0.1:${port}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql, maxRows: 1000 }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return { status: response.status };
    const { rows } = (await response.json()) as { rows: { metric: string; value: number | string }[] };
    return Object.fromEntries(rows.flatMap((r) => (r.metric === 'jemalloc' ? jemallocTotals(String(r.value)) : [[r.metric, Math.round(Number(r.value) / 1024 / 1024)]])));
  } catch {
    return undefined;
  }
}

/** The totals line of jemalloc's malloc_stats_print ("Allocated: n, active: n, ..."), in MiB. */
function jemallocTotals(stats: string): [string, number][] {
  const line = stats.split(/\\n|\n/).find((l) => l.startsWith('Allocated:'));
  if (!line) return [];
  return [...line.matchAll(/([a-z_]+): (\d+)/gi)].map((m) => [`jemalloc_${m[1]!.toLowerCase()}`, Math.round(Number(m[2]) / 1024 / 1024)]);
}

async function readProbe(file: string): Promise<{ summary: MemoryBreakdownSummary; vmHwmBytes: number } | undefined> {
  try {
    const { vmHwmBytes, ...summary } = JSON.parse(await readFile(file, 'utf8')) as MemoryBreakdownSummary & { vmHwmBytes: number };
    return { summary, vmHwmBytes };
  } catch {
    return undefined;
  }
}

/** VmRSS of a process and its anonymous and file-backed parts (code of node and the engine's library), in bytes. */
function vmStatus(pid: number): { rss: number; anon: number; file: number } {
  let text = '';
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // Gone: zeros.
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

function discard(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
