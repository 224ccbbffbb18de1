import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { exited, type ChildExit } from './child-exit.js';
import { BenchError } from './measurement.js';

/**
 * Background traffic for the alert bench through librdkafka: `kcat -P -K '\t'` produces each
 * `key<TAB>value` line of its stdin (acks=all, murmur2 partitioning as kafkajs and the Java client
 * do, so a key lands where a kafkajs producer would put it).
 *
 * Why not the kafkajs producer: the load generator is not the system under test, yet producing
 * the bench's load through kafkajs took a large share of a core (record encoding, murmur2 and CRC
 * in JS) on a small machine where the stages and the broker share the rest; librdkafka does it in C. Upstream
 * producers run on other machines in any real deployment.
 *
 * Values are JSON.stringify output (no raw newline or tab) and keys are ids: the line format is
 * safe. kcat reports a failed delivery on stderr and in its exit code; the caller also compares
 * the topic's end offsets with what it sent.
 */
export class KcatProducer {
  private readonly child: ChildProcess & { stdin: NonNullable<ChildProcess['stdin']> };
  private readonly exit: Promise<ChildExit>;
  private stderr = '';
  private ended: ChildExit | undefined;

  constructor(brokers: readonly string[], topic: string) {
    const args = ['-P', '-b', brokers.join(','), '-t', topic, '-K', '\t', '-X', 'topic.partitioner=murmur2_random', '-X', 'linger.ms=50', '-q'];
    const child = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child = child as typeof this.child;
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += chunk.toString('utf8');
    });
    // A write after kcat died fails with EPIPE: the exit below says why.
    child.stdin?.on('error', () => undefined);
    this.exit = exited(child).then((exit) => (this.ended = exit));
  }

  /** Queues `key<TAB>value\n` lines; resolves once kcat's stdin takes more (back-pressure). */
  async send(lines: string): Promise<void> {
    if (this.ended) throw this.failure(this.ended);
    if (!this.child.stdin.write(lines)) await Promise.race([once(this.child.stdin, 'drain'), this.exit]);
  }

  /** Ends the input and waits until kcat delivered everything and exited cleanly. */
  async close(): Promise<void> {
    this.child.stdin.end();
    const exit = await this.exit;
    if (exit.error || exit.code !== 0) throw this.failure(exit);
  }

  /** Stops kcat at once, for clean-up after a failure. */
  kill(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }

  private failure(exit: ChildExit): BenchError {
    if (exit.error) return new BenchError(`kcat producer could not run: ${exit.error.message}`, { cause: exit.error });
    return new BenchError(`kcat producer exited with ${exit.code ?? exit.killedBy}: ${this.stderr.trim()}`);
  }
}
