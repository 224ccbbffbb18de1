import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { createKafkajsAdmin } from '../../src/kafka/kafkajs.admin.js';

/**
 * Helpers for integration tests against the broker of global-setup.ts. Producing and consuming go
 * through kcat (librdkafka), an independent client, so a test of our kafkajs wrapper does not check
 * itself with itself. Topics are created through our admin adapter (kcat cannot create topics).
 */

const KEY_DELIMITER = '\x1f';
const MESSAGE_DELIMITER = '\x1e';

export function testBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: run integration tests through jest (global-setup.ts)');
  return brokers;
}

/** A name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Through the adapter's ensureTopics, which waits out a broker still settling a new topic. */
export async function createTopic(name: string, partitions = 1): Promise<void> {
  const admin = await createKafkajsAdmin(new Kafka({ clientId: 'vigil-test-admin', brokers: testBrokers(), logLevel: logLevel.NOTHING }));
  try {
    await admin.ensureTopics([{ topic: name, partitions }]);
  } finally {
    await admin.close();
  }
}

export interface KcatLine {
  readonly key?: string;
  readonly value: string;
}

export interface KcatProduceOptions {
  readonly partition?: number;
  /** Added to every line of this call (kcat -H). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Produces `lines` in order (acks=all) and resolves once kcat has them delivered. Idempotent, so
 * a request retried (a broker just restarted answers "not the leader" for a while) stays in order
 * and is written once: without it librdkafka wrote a retried batch after later ones, and detect
 * rightly took those events as late.
 */
export async function produceWithKcat(topic: string, lines: readonly KcatLine[], options: KcatProduceOptions = {}): Promise<void> {
  for (const line of lines) {
    if (`${line.key ?? ''}${line.value}`.includes(MESSAGE_DELIMITER) || line.key?.includes(KEY_DELIMITER)) {
      throw new Error('kcat delimiters \\x1e/\\x1f cannot appear in test data');
    }
  }
  const withKeys = lines.some((line) => line.key !== undefined);
  const args = ['-P', '-b', testBrokers().join(','), '-t', topic, '-D', '\\x1e', '-X', 'acks=all', '-X', 'enable.idempotence=true'];
  if (withKeys) args.push('-K', '\\x1f');
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  const input = lines
    .map((line) => (withKeys ? `${line.key ?? ''}${KEY_DELIMITER}${line.value}` : line.value) + MESSAGE_DELIMITER)
    .join('');
  await runKcat(args, input, 30_000);
}

export interface KcatRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly partition: number;
  readonly offset: number;
  readonly headers: Record<string, string>;
}

export interface KcatConsumeOptions {
  /** Stop after this many records (or at the end of every partition, whichever comes first). */
  readonly count: number;
  readonly timeoutMs?: number;
  /** Default read_committed: what a downstream consumer of a transactional producer sees. */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
}

/** Reads `topic` from the beginning without a group (kcat -C -e -J). */
export async function consumeWithKcat(topic: string, options: KcatConsumeOptions): Promise<KcatRecord[]> {
  const args = [
    '-C',
    '-b',
    testBrokers().join(','),
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-J',
    '-q',
    '-c',
    String(options.count),
    '-X',
    `isolation.level=${options.isolation ?? 'read_committed'}`,
  ];
  const output = await runKcat(args, undefined, options.timeoutMs ?? 15_000);
  return output
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const raw = JSON.parse(line) as { key: string | null; payload: string | null; partition: number; offset: number; headers?: string[] };
      const headers: Record<string, string> = {};
      const flat = raw.headers ?? [];
      for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i] as string] = flat[i + 1] as string;
      return { key: raw.key, value: raw.payload, partition: raw.partition, offset: raw.offset, headers };
    });
}

function runKcat(args: readonly string[], input: string | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`kcat ${args.join(' ')} failed (${signal ?? `code ${code}`}): ${stderr.trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}

/** Polls `check` until it returns true (or throws its last failure after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export interface CapturedLog {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A pino logger whose records tests can read (level >= `level`). */
export function captureLogger(level = 'info'): { logger: Logger; records: CapturedLog[] } {
  const records: CapturedLog[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) records.push(JSON.parse(line) as CapturedLog);
      done();
    },
  });
  return { logger: pino({ level, base: undefined }, sink), records };
}
