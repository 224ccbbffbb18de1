import { randomBytes } from 'node:crypto';

/**
 * Files a single-node KRaft broker (combined broker + controller) needs, rendered as text. Pure, so
 * the settings are reviewable and unit-tested apart from the process handling in local-broker.ts.
 */

export interface BrokerLayout {
  readonly host: string;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly logDir: string;
  /** Default partition count of topics created without one. */
  readonly partitions: number;
  /** Set for one node of a multi-node cluster; absent for the single-node broker. */
  readonly quorum?: QuorumLayout;
}

/** One node's place in a cluster whose every node is a broker and a controller (a static quorum). */
export interface QuorumLayout {
  readonly nodeId: number;
  /** Every node's id and controller port, this one's included. */
  readonly voters: readonly { readonly id: number; readonly controllerPort: number }[];
  /** Of every topic, internal ones included. */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

export function renderServerProperties(layout: BrokerLayout): string {
  const { host, brokerPort, controllerPort, quorum } = layout;
  const replicas = quorum?.replicationFactor ?? 1;
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': quorum?.nodeId ?? 1,
    ...(quorum
      ? { 'controller.quorum.voters': quorum.voters.map((voter) => `${voter.id}@${host}:${voter.controllerPort}`).join(',') }
      : { 'controller.quorum.bootstrap.servers': `${host}:${controllerPort}` }),
    listeners: `PLAINTEXT://${host}:${brokerPort},CONTROLLER://${host}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${brokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': layout.logDir,
    'num.partitions': layout.partitions,
    // Topics are created on purpose (KafkaAdmin.ensureTopics), so a typo fails instead of creating one.
    'auto.create.topics.enable': false,
    'delete.topic.enable': true,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': quorum?.minInsyncReplicas ?? 1,
    'share.coordinator.state.topic.replication.factor': replicas,
    ...(quorum ? { 'default.replication.factor': replicas, 'min.insync.replicas': quorum.minInsyncReplicas } : {}),
    // One partition instead of 50 for the internal topics: they are created on first use, and 50 of
    // them make the first group join and the first transaction wait for seconds on 2 cores.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    'share.coordinator.state.topic.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    // Fewer threads than a production broker: the machine has 2 cores shared with the tests.
    'num.network.threads': 2,
    'num.io.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 2,
    'log.cleaner.threads': 1,
  };
  return `${Object.entries(settings)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n')}\n`;
}

/**
 * log4j2 configuration writing to stdout, which local-broker.ts redirects into the broker's log
 * file. INFO shows start-up, topic and group events; the per-component config dumps are cut to WARN.
 */
export function renderLog4j2Properties(): string {
  return [
    'status = warn',
    'appender.out.type = Console',
    'appender.out.name = OUT',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.out.ref = OUT',
    'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
    'logger.config.level = WARN',
    'logger.utils.name = org.apache.kafka.common.utils.AppInfoParser',
    'logger.utils.level = WARN',
    '',
  ].join('\n');
}

/**
 * A cluster id as `kafka-storage random-uuid` prints it (16 random bytes, URL-safe base64 without
 * padding), made here to save a JVM start. Kafka rejects ids starting with '-', like its own
 * Uuid.randomUuid() does.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
