import { spawn } from 'node:child_process';
import { exited } from './child-exit.js';
import { BenchError, consumeMeasurement, type ConsumeMeasurement } from './measurement.js';

const NEWLINE = 0x0a;

export interface KcatConsumeOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly expected: number;
  /** Aborting kills kcat (SIGKILL) and rejects. */
  readonly signal: AbortSignal;
}

/**
 * librdkafka's rate on this topic: `kcat -C -e -q -o beginning` (all partitions, no group, exits
 * at the end of every partition), one value per line, counted as newlines on its stdout. Values
 * are JSON.stringify output, so they hold no raw newline. Timed from spawn to exit.
 */
export async function consumeWithKcat(options: KcatConsumeOptions): Promise<ConsumeMeasurement> {
  const { brokers, topic, expected, signal } = options;
  const args = ['-C', '-b', brokers.join(','), '-t', topic, '-e', '-q', '-o', 'beginning'];
  const started = performance.now();
  let firstAt: number | undefined;
  let lines = 0;
  let stderr = '';
  const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGKILL' });
  child.stdout.on('data', (chunk: Buffer) => {
    firstAt ??= performance.now();
    let at = chunk.indexOf(NEWLINE);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const exit = await exited(child);
  const doneAt = performance.now();
  if (signal.aborted) throw new BenchError(`kcat: ${describeAbort(signal)}`, { cause: signal.reason });
  if (exit.error) throw new BenchError(`kcat could not run: ${exit.error.message}`, { cause: exit.error });
  if (exit.code !== 0) throw new BenchError(`kcat exited with ${exit.code ?? exit.killedBy}: ${stderr.trim()}`);
  if (lines !== expected) throw new BenchError(`kcat read ${lines} messages, expected ${expected}: ${stderr.trim()}`);
  return consumeMeasurement('kcat (librdkafka)', lines, { startedAt: started, firstAt: firstAt ?? doneAt, doneAt });
}

function describeAbort(signal: AbortSignal): string {
  return signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError' ? 'timed out' : 'aborted';
}
