import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging/logger.js';
import { VigilError, describeError } from '../errors/vigil-error.js';
import { newClusterId, renderLog4j2Properties, renderServerProperties } from './broker-config.js';
import { spawnBroker } from './broker-process.js';
import { waitForBrokers } from './broker-readiness.js';
import { freePorts } from './free-ports.js';
import { ensureKafkaJars } from './kafka-jars.js';

export { ensureKafkaJars, type KafkaJars } from './kafka-jars.js';

const execFileAsync = promisify(execFile);
const HOST = '127.0.0.1';
/**
 * Sized for a short-lived broker on a small machine, beside the stages it serves. C1 only
 * (TieredStopAtLevel=1): the C2 compiler spent about a third of the broker's CPU in its first
 * minute on a small machine shared with the stages; without it alerts arrive sooner, the broker
 * uses less CPU and consumers are no slower (docs/performance.md). A production broker is not this one (docker-compose runs the official image).
 */
export const JVM_OPTIONS = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true'];
const ATTEMPTS = 3;

/** A real single-node KRaft broker in a temp dir, for dev and tests. */
export interface LocalBroker {
  /** Bootstrap addresses, e.g. ['127.0.0.1:40123']. */
  readonly brokers: string[];
  /** The broker's own log (removed by stop()). */
  readonly logFile: string;
  /** The broker JVM's process id (for measuring its CPU), when it started. */
  readonly pid: number | undefined;
  /** Its listener and controller ports: pass them (and the dataDir) to start it again where clients expect it. */
  readonly ports: BrokerPorts;
  /** SIGTERM, wait for exit (SIGKILL after 20 s), remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface BrokerPorts {
  readonly broker: number;
  readonly controller: number;
}

export interface LocalBrokerOptions {
  /** Listen on these instead of free ports picked at start (a restart of a broker clients know). */
  readonly ports?: BrokerPorts;
  /** Where the jars are cached (`<cacheDir>/kafka-<version>/libs`). */
  readonly cacheDir: string;
  readonly logger?: Logger;
  /** Default partition count of topics created without one. Default 1. */
  readonly partitions?: number;
  /** How long to wait for the broker to answer a metadata request. Default 60 s. */
  readonly startTimeoutMs?: number;
  /**
   * Keep Kafka's data here across runs (formatted on first use) instead of in the temp dir. Dev
   * commands put it beside the embedded ClickHouse data, so topics, committed offsets and the
   * offsets stored with each row stay consistent from one run to the next.
   */
  readonly dataDir?: string;
  /** Plain progress lines for a person watching (the first run's jar download). */
  notice?(line: string): void;
  /** Called once if the broker exits without stop() (killed, crashed), after it is logged. */
  onUnexpectedExit?(exit: string, logFile: string): void;
}

/**
 * Starts a broker from the official jars (fetched with Maven on first use) on free loopback ports.
 * Fails with VIGIL_BROKER_START naming the broker's log file, which is then kept for reading.
 */
export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBroker> {
  const jars = await ensureKafkaJars(options.cacheDir, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.notice ? { notice: options.notice } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(jars.libsDir, options);
    } catch (error) {
      // Ports are picked free and then released, so another process can grab one before the JVM binds.
      if (!(error instanceof PortTakenError) || attempt >= ATTEMPTS) throw error;
      options.logger?.warn({ attempt }, 'a picked port was taken before the broker bound it; retrying');
    }
  }
}

class PortTakenError extends VigilError {}

async function formatFailed(dir: string, error: unknown): Promise<never> {
  await fs.rm(dir, { recursive: true, force: true });
  const e = error as { stdout?: string; stderr?: string };
  const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  throw new VigilError('VIGIL_BROKER_START', `formatting the broker storage failed: ${describeError(error)}\n${output}`, {
    cause: error,
  });
}

async function startOnce(libsDir: string, options: LocalBrokerOptions): Promise<LocalBroker> {
  const started = Date.now();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-kafka-'));
  const [brokerPort, controllerPort] = options.ports ? [options.ports.broker, options.ports.controller] : await freePorts(2);
  if (brokerPort === undefined || controllerPort === undefined) throw new Error('unreachable: freePorts(2)');
  const propertiesFile = path.join(dir, 'server.properties');
  const log4jFile = path.join(dir, 'log4j2.properties');
  const logFile = path.join(dir, 'broker.log');
  const classpath = ['-cp', path.join(libsDir, '*')];
  const logging = `-Dlog4j2.configurationFile=${log4jFile}`;

  const logDir = options.dataDir ? path.resolve(options.dataDir) : path.join(dir, 'data');
  const layout = { host: HOST, brokerPort, controllerPort, logDir, partitions: options.partitions ?? 1 };
  await fs.writeFile(propertiesFile, renderServerProperties(layout));
  await fs.writeFile(log4jFile, renderLog4j2Properties());

  // A kept data dir is formatted once; a single-node KRaft quorum restarts fine on new ports.
  if (!existsSync(path.join(logDir, 'meta.properties'))) {
    try {
      const format = ['kafka.tools.StorageTool', 'format', '--standalone', '-t', newClusterId(), '-c', propertiesFile];
      await execFileAsync('java', [...JVM_OPTIONS, logging, ...classpath, ...format], { timeout: 120_000 });
    } catch (error) {
      await formatFailed(dir, error);
    }
  }

  const brokers = [`${HOST}:${brokerPort}`];
  let ready = false;
  const broker = spawnBroker({
    args: [...JVM_OPTIONS, logging, ...classpath, 'kafka.Kafka', propertiesFile],
    dir,
    logFile,
    onUnexpectedExit: (exit) => {
      options.logger?.error({ exit, logFile }, 'local Kafka broker exited unexpectedly');
      // A broker that never got ready fails startLocalBroker instead.
      if (ready) options.onUnexpectedExit?.(exit, logFile);
    },
  });

  try {
    await waitForBrokers(brokers, { jvms: new Map([['the JVM', broker]]), timeoutMs: options.startTimeoutMs ?? 60_000 });
  } catch (error) {
    // The log outlives the temp dir (next to it, `<dir>.log`) so the error can point at it.
    const keptLog = `${dir}.log`;
    broker.kill();
    await broker.exited;
    if (existsSync(logFile)) await fs.copyFile(logFile, keptLog);
    await broker.stop();
    const log = existsSync(keptLog) ? await fs.readFile(keptLog, 'utf8') : '';
    const ErrorType = log.includes('Address already in use') ? PortTakenError : VigilError;
    throw new ErrorType('VIGIL_BROKER_START', `local Kafka broker did not start: ${describeError(error)}; see ${keptLog}`, {
      cause: error,
    });
  }

  ready = true;
  options.logger?.info({ brokers, pid: broker.pid, logFile, ms: Date.now() - started }, 'local Kafka broker ready');
  return {
    brokers,
    logFile,
    pid: broker.pid,
    ports: { broker: brokerPort, controller: controllerPort },
    stop: async () => {
      await broker.stop();
      options.logger?.info({ brokers }, 'local Kafka broker stopped');
    },
  };
}
