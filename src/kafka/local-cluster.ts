import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { VigilError, describeError } from '../errors/vigil-error.js';
import { newClusterId, renderLog4j2Properties, renderServerProperties, type QuorumLayout } from './broker-config.js';
import { spawnBroker, type BrokerProcess } from './broker-process.js';
import { freePorts } from './free-ports.js';
import { ensureKafkaJars } from './kafka-jars.js';
import { JVM_OPTIONS } from './local-broker.js';

const execFileAsync = promisify(execFile);
const HOST = '127.0.0.1';
/** Three JVMs share the machine with the stages under test: a smaller heap than the single broker's. */
const CLUSTER_JVM_OPTIONS = [...JVM_OPTIONS.filter((option) => !option.startsWith('-Xm')), '-Xms96m', '-Xmx384m'];

/**
 * A real multi-node KRaft cluster on loopback (every node a broker and a controller, a static
 * quorum), for tests of what a production cluster does that one broker cannot: leaders and
 * coordinators moving when a node dies, replication, min.insync.replicas.
 */
export interface LocalCluster {
  /** Every node's bootstrap address. */
  readonly brokers: string[];
  readonly nodes: readonly ClusterNode[];
  /** Stops every running node and removes the cluster's files. Idempotent. */
  stop(): Promise<void>;
}

export interface ClusterNode {
  readonly id: number;
  readonly address: string;
  running(): boolean;
  /** SIGKILL, as a crashed machine: no controlled shutdown, no leadership handed over first. */
  kill(): Promise<void>;
  /** Starts the node again on its ports and data; resolves once the cluster lists it again. */
  start(): Promise<void>;
}

export interface LocalClusterOptions {
  readonly cacheDir: string;
  /** Default 3. */
  readonly nodes?: number;
  /** Default: the node count. */
  readonly replicationFactor?: number;
  /** Default 2. */
  readonly minInsyncReplicas?: number;
  /** Default 60 s per start. */
  readonly startTimeoutMs?: number;
}

interface NodeFiles {
  readonly id: number;
  readonly brokerPort: number;
  readonly dir: string;
  readonly propertiesFile: string;
  readonly logFile: string;
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const jars = await ensureKafkaJars(options.cacheDir);
  const count = options.nodes ?? 3;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-kafka-cluster-'));
  const ports = await freePorts(2 * count, HOST);
  const voters = Array.from({ length: count }, (_, i) => ({ id: i + 1, controllerPort: ports[2 * i + 1]! }));
  const clusterId = newClusterId();
  const log4jFile = path.join(root, 'log4j2.properties');
  await fs.writeFile(log4jFile, renderLog4j2Properties());
  const java = (args: readonly string[]) => [...CLUSTER_JVM_OPTIONS, `-Dlog4j2.configurationFile=${log4jFile}`, '-cp', path.join(jars.libsDir, '*'), ...args];

  const files: NodeFiles[] = [];
  for (const voter of voters) {
    const dir = path.join(root, `node-${voter.id}`);
    await fs.mkdir(dir);
    const quorum: QuorumLayout = {
      nodeId: voter.id,
      voters,
      replicationFactor: options.replicationFactor ?? count,
      minInsyncReplicas: options.minInsyncReplicas ?? 2,
    };
    const brokerPort = ports[2 * (voter.id - 1)]!;
    const propertiesFile = path.join(dir, 'server.properties');
    const layout = { host: HOST, brokerPort, controllerPort: voter.controllerPort, logDir: path.join(dir, 'data'), partitions: 1, quorum };
    await fs.writeFile(propertiesFile, renderServerProperties(layout));
    files.push({ id: voter.id, brokerPort, dir, propertiesFile, logFile: path.join(dir, 'broker.log') });
  }
  try {
    await Promise.all(files.map((node) => execFileAsync('java', java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', node.propertiesFile]), { timeout: 120_000 })));
  } catch (error) {
    await fs.rm(root, { recursive: true, force: true });
    throw new VigilError('VIGIL_BROKER_START', `formatting the cluster's storage failed: ${describeError(error)}`, { cause: error });
  }

  const brokers = files.map((node) => `${HOST}:${node.brokerPort}`);
  const processes = new Map<number, BrokerProcess>();
  const launch = (node: NodeFiles): void => {
    processes.set(node.id, spawnBroker({ args: java(['kafka.Kafka', node.propertiesFile]), dir: node.dir, logFile: node.logFile }));
  };
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const nodes: ClusterNode[] = files.map((node) => ({
    id: node.id,
    address: `${HOST}:${node.brokerPort}`,
    running: () => processes.get(node.id)?.hasExited() === false,
    kill: async () => {
      const process = processes.get(node.id);
      if (!process) return;
      process.kill();
      await process.exited;
      process.release();
      processes.delete(node.id);
    },
    start: async () => {
      if (processes.has(node.id)) return;
      launch(node);
      await waitForNodes(brokers, [node.id], processes, timeoutMs, node.logFile);
    },
  }));

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all([...processes.values()].map((process) => process.stop()));
      await fs.rm(root, { recursive: true, force: true });
    })();
    return stopped;
  };

  files.forEach(launch);
  try {
    await waitForNodes(brokers, files.map((node) => node.id), processes, timeoutMs, root);
  } catch (error) {
    const keptLogs = `${root}.logs`;
    await fs.mkdir(keptLogs, { recursive: true });
    await Promise.all(files.map((node) => fs.copyFile(node.logFile, path.join(keptLogs, `node-${node.id}.log`)).catch(() => undefined)));
    await stop();
    throw new VigilError('VIGIL_BROKER_START', `the local Kafka cluster did not start: ${describeError(error)}; logs in ${keptLogs}`, { cause: error });
  }
  return { brokers, nodes, stop };
}

/** Polls the cluster's metadata until it lists every one of `ids`, or a JVM exits, or the timeout. */
async function waitForNodes(brokers: string[], ids: readonly number[], processes: ReadonlyMap<number, BrokerProcess>, timeoutMs: number, where: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'vigil-cluster-probe', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    for (const id of ids) {
      if (processes.get(id)?.hasExited() !== false) throw new Error(`node ${id}'s JVM exited; see ${where}`);
    }
    if (Date.now() > deadline) throw new Error(`nodes ${ids.join(', ')} not listed within ${timeoutMs} ms (last: ${describeError(lastError)})`);
    const admin = kafka.admin();
    try {
      await admin.connect();
      const listed = new Set((await admin.describeCluster()).brokers.map((broker) => broker.nodeId));
      if (ids.every((id) => listed.has(id))) return;
      lastError = new Error(`metadata lists nodes ${[...listed].join(', ')}`);
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await delay(250);
  }
}
