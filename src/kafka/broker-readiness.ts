import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { describeError } from '../errors/vigil-error.js';
import type { BrokerProcess } from './broker-process.js';

export interface ReadinessWait {
  /** The JVMs being waited for, by how an error names them ("the JVM", "node 2's JVM"). */
  readonly jvms: ReadonlyMap<string, BrokerProcess>;
  /** Node ids the metadata must list; empty: any node. */
  readonly nodeIds?: readonly number[];
  readonly timeoutMs: number;
}

/**
 * Polls with metadata requests until the cluster lists the nodes waited for, one of the JVMs
 * exits, or the timeout: a broker is ready when it answers, not after a fixed sleep.
 */
export async function waitForBrokers(brokers: string[], wait: ReadinessWait): Promise<void> {
  const { jvms, nodeIds = [], timeoutMs } = wait;
  const kafka = new Kafka({ clientId: 'vigil-broker-probe', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    for (const [name, jvm] of jvms) {
      if (jvm.hasExited()) throw new Error(`${name} exited (${await jvm.exited})`);
    }
    if (Date.now() > deadline) throw new Error(`no metadata answer listing ${nodeIds.length ? `nodes ${nodeIds.join(', ')}` : 'a broker'} within ${timeoutMs} ms (last: ${describeError(lastError)})`);
    const admin = kafka.admin();
    try {
      await admin.connect();
      const listed = new Set((await admin.describeCluster()).brokers.map((broker) => broker.nodeId));
      if (listed.size > 0 && nodeIds.every((id) => listed.has(id))) return;
      lastError = new Error(listed.size === 0 ? 'metadata lists no broker yet' : `metadata lists nodes ${[...listed].join(', ')}`);
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await delay(200);
  }
}
