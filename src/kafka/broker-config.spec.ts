import { describe, expect, it } from '@jest/globals';
import { newClusterId, renderLog4j2Properties, renderServerProperties } from './broker-config.js';

const parse = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      }),
  );

describe('renderServerProperties', () => {
  const props = parse(
    renderServerProperties({ host: '127.0.0.1', brokerPort: 40001, controllerPort: 40002, logDir: '/tmp/x/data', partitions: 3 }),
  );

  it('describes a combined KRaft node on the given loopback ports', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.bootstrap.servers': '127.0.0.1:40002',
      listeners: 'PLAINTEXT://127.0.0.1:40001,CONTROLLER://127.0.0.1:40002',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:40001',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/tmp/x/data',
      'num.partitions': '3',
    });
  });

  it('fits a single node: replication factors of 1, no rebalance delay, explicit topic creation', () => {
    expect(props).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
      'delete.topic.enable': 'true',
    });
  });
});

describe('renderServerProperties for one node of a cluster', () => {
  const voters = [1, 2, 3].map((id) => ({ id, controllerPort: 41000 + id }));
  const props = parse(
    renderServerProperties({
      host: '127.0.0.1',
      brokerPort: 40002,
      controllerPort: 41002,
      logDir: '/tmp/c/node-2/data',
      partitions: 1,
      quorum: { nodeId: 2, voters, replicationFactor: 3, minInsyncReplicas: 2 },
    }),
  );

  it('names its own node id and every voter of the static quorum instead of a bootstrap server', () => {
    expect(props).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:41001,2@127.0.0.1:41002,3@127.0.0.1:41003',
      listeners: 'PLAINTEXT://127.0.0.1:40002,CONTROLLER://127.0.0.1:41002',
    });
    expect(props['controller.quorum.bootstrap.servers']).toBeUndefined();
  });

  it('replicates every topic, internal ones too, and requires two in-sync replicas', () => {
    expect(props).toMatchObject({
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'share.coordinator.state.topic.replication.factor': '3',
    });
  });
});

describe('renderLog4j2Properties', () => {
  it('logs to the console (redirected to the log file) at INFO', () => {
    const props = parse(renderLog4j2Properties());
    expect(props).toMatchObject({ 'appender.out.type': 'Console', 'rootLogger.level': 'INFO' });
  });
});

describe('newClusterId', () => {
  it('makes 22-character URL-safe base64 ids that do not start with a dash', () => {
    for (let i = 0; i < 200; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
