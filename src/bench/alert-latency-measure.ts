import { fileURLToPath } from 'node:url';
import type { AlertLatencyResult } from './alert-latency-result.js';
import { runResultChild } from './child-exit.js';

const CHILD_ENTRY = fileURLToPath(new URL('./alert-latency-run.js', import.meta.url));

export interface AlertLatencyOptions {
  readonly brokers: readonly string[];
  /** A template copy with an input topic of its own (the child produces live traffic into it). */
  readonly templateFile: string;
  readonly rate: number;
  readonly seconds: number;
  /** Each stage in its own process (as docker-compose deploys them) rather than all in the child. */
  readonly separate: boolean;
  /** With `separate`: how many detect processes share the partitions. */
  readonly detectProcesses: number;
  /** The local broker's process, to measure its CPU during the load (absent: external broker). */
  readonly brokerPid?: number;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
}

/**
 * Runs alert-latency-run.js in a child with a fresh VIGIL_DATA_DIR (removed afterwards) and
 * returns its result line: alert latency from triggering event to the receiver's 200 while
 * `rate` events/s flow through detect, sink and notify (in the child, or each in a process of its own).
 */
export function measureAlertLatency(options: AlertLatencyOptions): Promise<AlertLatencyResult> {
  const args = [CHILD_ENTRY, '--template', options.templateFile, '--rate', String(options.rate), '--seconds', String(options.seconds), ...(options.separate ? ['--separate', '--detect-processes', String(options.detectProcesses)] : []), ...(options.brokerPid === undefined ? [] : ['--broker-pid', String(options.brokerPid)])];
  return runResultChild<AlertLatencyResult>('alert latency child', args, { ...options, dataDirPrefix: 'vigil-bench-alerts-' });
}
