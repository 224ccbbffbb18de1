import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import { pino } from 'pino';
import { kafkajsLogCreator } from './kafkajs.logger.js';

function capture() {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug', base: undefined }, stream), records };
}

const entry = (level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}) => ({
  namespace,
  level,
  label: logLevel[level],
  log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
});

describe('kafkajsLogCreator', () => {
  it('writes kafkajs entries to pino at the same level, with namespace and fields', () => {
    const { logger, records } = capture();
    const log = kafkajsLogCreator(logger)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'Runner', 'Crash', { groupId: 'g' }));
    log(entry(logLevel.WARN, 'Producer', 'slow'));
    expect(records).toEqual([
      expect.objectContaining({ level: 50, component: 'kafkajs', namespace: 'Runner', groupId: 'g', msg: 'Crash' }),
      expect.objectContaining({ level: 40, namespace: 'Producer', msg: 'slow' }),
    ]);
    expect(records[0]).not.toHaveProperty('timestamp');
  });

  it("downgrades the Connection's per-response errors (retried by kafkajs) to debug", () => {
    const { logger, records } = capture();
    kafkajsLogCreator(logger)(logLevel.WARN)(entry(logLevel.ERROR, 'Connection', 'Response Heartbeat', { error: 'rebalancing' }));
    expect(records[0]).toMatchObject({ level: 20, msg: 'Response Heartbeat' });
  });

  it('downgrades the Producer\'s concurrent-transaction send failures (retried by our producer), not other send failures', () => {
    const { logger, records } = capture();
    const log = kafkajsLogCreator(logger)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'Producer', 'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'));
    log(entry(logLevel.ERROR, 'Producer', 'Failed to send messages: Broker not available'));
    expect(records.map((r) => r.level)).toEqual([20, 50]);
  });

  it("downgrades kafkajs' warning about the transactional producers' bounded retries, not other producer warnings", () => {
    const { logger, records } = capture();
    const log = kafkajsLogCreator(logger)(logLevel.WARN);
    log(entry(logLevel.WARN, 'Producer', 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    log(entry(logLevel.WARN, 'Producer', 'Limiting retries elsewhere'));
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [20, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'],
      [40, 'Limiting retries elsewhere'],
    ]);
  });

  it("logs kafkajs' retried seed-broker connection failures as warnings, other broker-pool errors as errors", () => {
    const { logger, records } = capture();
    const log = kafkajsLogCreator(logger)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'BrokerPool', 'Failed to connect to seed broker, trying another broker from the list: Connection timeout'));
    log(entry(logLevel.ERROR, 'BrokerPool', 'Something else broke'));
    expect(records.map((r) => r.level)).toEqual([40, 50]);
  });

  it('logs nothing without a logger', () => {
    expect(() => kafkajsLogCreator(undefined)(logLevel.WARN)(entry(logLevel.ERROR, 'x', 'y'))).not.toThrow();
  });

  it('drops every entry while muted (the broker is known to be gone) and logs again once unmuted', () => {
    const { logger, records } = capture();
    let muted = true;
    const log = kafkajsLogCreator(logger, () => muted)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'BrokerPool', 'Failed to connect to seed broker'));
    muted = false;
    log(entry(logLevel.ERROR, 'BrokerPool', 'Failed to connect to seed broker'));
    expect(records).toEqual([expect.objectContaining({ level: 50, namespace: 'BrokerPool' })]);
  });

  it("downgrades a consumer's restart after the coordinator was still loading (a broker just started) to debug, not other crashes", () => {
    const { logger, records } = capture();
    const log = kafkajsLogCreator(logger)(logLevel.WARN);
    const loading = "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group";
    log(entry(logLevel.ERROR, 'Consumer', loading, { groupId: 'a' }));
    log(entry(logLevel.ERROR, 'Consumer', 'Restarting the consumer in 300ms', { groupId: 'a' }));
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNonRetriableError: Connection error', { groupId: 'b' }));
    log(entry(logLevel.ERROR, 'Consumer', 'Restarting the consumer in 300ms', { groupId: 'b' }));
    expect(records.map((r) => [r.level, r.groupId])).toEqual([
      [20, 'a'],
      [20, 'a'],
      [50, 'b'],
      [50, 'b'],
    ]);
  });
});
