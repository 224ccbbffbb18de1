import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { VigilError, describeError } from '../errors/vigil-error.js';
import { newClusterId, renderLog4j2Properties, renderServerProperties, type QuorumLayout } from './broker-config.js';
import { spawnBroker, type BrokerProcess } from './broker-process.js';
import { waitForBrokers } from './broker-readiness.js';
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
  const jvmsOf = (ids: readonly number[]) => new Map(ids.flatMap((id) => (processes.has(id) ? [[`node ${id}'s JVM (log ${files[id - 1]!.logFile})`, processes.get(id)!] as const] : [])));
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
      await waitForBrokers(brokers, { jvms: jvmsOf([node.id]), nodeIds: [node.id], timeoutMs });
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
    await waitForBrokers(brokers, { jvms: jvmsOf(files.map((node) => node.id)), nodeIds: files.map((node) => node.id), timeoutMs });
  } catch (error) {
    const keptLogs = `${root}.logs`;
    await fs.mkdir(keptLogs, { recursive: true });
    await Promise.all(files.map((node) => fs.copyFile(node.logFile, path.join(keptLogs, `node-${node.id}.log`)).catch(() => undefined)));
    await stop();
    throw new VigilError('VIGIL_BROKER_START', `the local Kafka cluster did not start: ${describeError(error)}; logs in ${keptLogs}`, { cause: error });
  }
  return { brokers, nodes, stop };
}
