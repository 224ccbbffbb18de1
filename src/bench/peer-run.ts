import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PeerName } from './bench-options.js';
import { exited } from './child-exit.js';
import { BenchError } from './measurement.js';

export interface PeerRunOptions {
  readonly name: PeerName;
  /** The peer's run.sh. */
  readonly script: string;
  readonly brokers: readonly string[];
  /** The filled input topic, holding exactly `events` events. */
  readonly topic: string;
  readonly events: number;
  /** Written into the peer's findings and hashed into their ids: Vigil's template name of the same round. */
  readonly templateName: string;
  /** Where the peer writes its RESULT_JSON (a file in the run's temp dir). */
  readonly resultFile: string;
  /** The peer's own limit (TIMEOUT_S); the caller's signal bounds the build and start-up too. */
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
}

/** One peer run as its RESULT_JSON reports it (the fields the bench uses; the file holds more). */
export interface PeerRunResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly events: number;
  /** From just before the start until every event is processed and committed. */
  readonly seconds: number;
  readonly rate: number;
  /** The JVM's CPU time over the same span, close included. */
  readonly cpuSeconds: number;
  readonly findings: number;
  readonly alerts: number;
  readonly appId: string;
  readonly findingsTopic: string;
  readonly peakRssMiB?: number;
}

/**
 * Runs a peer's run.sh once over the filled topic (it builds its jar with Maven first when that is
 * missing or stale) and returns what it wrote to RESULT_JSON. The script runs in a process group of
 * its own, so aborting kills the JVM too, not only the shell. Its one stdout line goes to our
 * stderr, so that with --json our stdout holds only the result.
 */
export async function runPeer(options: PeerRunOptions): Promise<PeerRunResult> {
  const { name, signal } = options;
  if (signal.aborted) throw new BenchError(`${name}: aborted`, { cause: signal.reason });
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    KAFKA_BROKERS: options.brokers.join(','),
    INPUT_TOPIC: options.topic,
    TEMPLATE_NAME: options.templateName,
    RESULT_JSON: options.resultFile,
    TIMEOUT_S: String(Math.ceil(options.timeoutMs / 1000)),
  };
  const child = spawn(options.script, [String(options.events), options.topic], {
    cwd: path.dirname(options.script),
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.pipe(process.stderr, { end: false });
  const kill = () => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  };
  signal.addEventListener('abort', kill, { once: true });
  let exit;
  try {
    exit = await exited(child);
  } finally {
    signal.removeEventListener('abort', kill);
  }
  if (signal.aborted) throw new BenchError(`${name}: aborted or timed out`, { cause: signal.reason });
  if (exit.error) throw new BenchError(`${name} could not run ${options.script}: ${exit.error.message}`, { cause: exit.error });
  const result = await readResult(options.resultFile);
  if (result === undefined) throw new BenchError(`${name} exited with ${exit.code ?? exit.killedBy} and wrote no RESULT_JSON (see its output above)`);
  if (!result.ok || exit.code !== 0) throw new BenchError(`${name} failed: ${result.error ?? `exit ${exit.code ?? exit.killedBy}`}`);
  return result;
}

/**
 * The peers name their outputs `<application id>.findings|alerts|dlq|late` (PeerTopology.Topics),
 * and Kafka Streams its internal topics `<application id>-…`.
 */
export function peerAlertsTopic(result: PeerRunResult): string {
  return `${result.appId}.alerts`;
}

export function peerTopicPrefixes(result: PeerRunResult): readonly string[] {
  return [`${result.appId}.`, `${result.appId}-`];
}

async function readResult(file: string): Promise<PeerRunResult | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as PeerRunResult;
}
