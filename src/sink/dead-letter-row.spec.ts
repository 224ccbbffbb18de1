import type { IncomingMessage } from '../kafka/kafka.types.js';
import { deadLetter } from '../kafka/dead-letter.js';
import { DEAD_LETTER_COLUMNS, DEAD_LETTER_VALUE_BYTES, deadLetterRow } from './dead-letter-row.js';
import { stageTopics } from '../model/topics.js';
import { sinkRoutes } from '../stages/sink/sink-routes.js';
import { testTemplate } from './testing/test-template.js';

const AT = Date.UTC(2026, 10, 25, 12, 0, 1, 250);

function incoming(overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  return { topic: 'payments', partition: 3, offset: '41', key: Buffer.from('card-9'), value: Buffer.from('{"amount": oops}'), headers: { trace: 't-1' }, timestamp: AT - 5000, ...overrides };
}

/** What the sink reads back from the dead-letter topic after deadLetter() wrote it. */
function onDeadLetterTopic(original: IncomingMessage, failure: Parameters<typeof deadLetter>[2]): IncomingMessage {
  const out = deadLetter('payments.dlq', original, failure, AT);
  return {
    topic: out.topic,
    partition: 0,
    offset: '7',
    key: out.key as Buffer | null,
    value: out.value as Buffer,
    headers: out.headers ?? {},
    timestamp: AT + 20,
  };
}

const named = (row: readonly unknown[]) => {
  expect(row).toHaveLength(DEAD_LETTER_COLUMNS.length);
  return Object.fromEntries(DEAD_LETTER_COLUMNS.map((column, i) => [column, row[i]]));
};

describe('deadLetterRow', () => {
  it('stores why, where from (the headers deadLetter wrote), key, value and its own lineage', () => {
    const message = onDeadLetterTopic(incoming(), { code: 'VIGIL_EVENT_DECODE', reason: 'value is not JSON', detector: 'velocity' });
    expect(named(deadLetterRow('payments', message))).toEqual({
      time: '2026-11-25 12:00:01.250',
      template: 'payments',
      code: 'VIGIL_EVENT_DECODE',
      reason: 'value is not JSON',
      detector: 'velocity',
      source_topic: 'payments',
      source_partition: 3,
      source_offset: '41',
      key: 'card-9',
      value: '{"amount": oops}',
      value_bytes: 16,
      headers: message.headers,
      _topic: 'payments.dlq',
      _partition: 0,
      _offset: '7',
    });
    expect(message.headers).toMatchObject({ trace: 't-1', 'vigil-error-code': 'VIGIL_EVENT_DECODE' });
  });

  it('keeps extra headers (an undeliverable alert names its receiver and attempts)', () => {
    const message = onDeadLetterTopic(incoming({ topic: 'payments.alerts' }), { code: 'VIGIL_WEBHOOK_DELIVERY', reason: 'http_5xx: 503', extra: { receiver: 'ops', attempts: '5' } });
    const row = named(deadLetterRow('payments', message));
    expect(row.detector).toBe('');
    expect(row.source_topic).toBe('payments.alerts');
    expect(row.headers).toMatchObject({ 'vigil-receiver': 'ops', 'vigil-attempts': '5' });
  });

  it('cuts the value to DEAD_LETTER_VALUE_BYTES but records its full size', () => {
    const big = Buffer.alloc(DEAD_LETTER_VALUE_BYTES * 3, 'x');
    const row = named(deadLetterRow('payments', onDeadLetterTopic(incoming({ value: big }), { code: 'VIGIL_EVENT_DECODE', reason: 'too odd' })));
    expect(row.value).toBe('x'.repeat(DEAD_LETTER_VALUE_BYTES));
    expect(row.value_bytes).toBe(DEAD_LETTER_VALUE_BYTES * 3);
  });

  it('never rejects a record Vigil did not write: no headers, no key, no value, a bad time', () => {
    const foreign: IncomingMessage = {
      topic: 'payments.dlq',
      partition: 1,
      offset: '2',
      key: null,
      value: null,
      headers: { 'vigil-source-partition': '-4', 'vigil-source-offset': '12abc', 'vigil-dead-lettered-at': 'yesterday' },
      timestamp: AT,
    };
    expect(named(deadLetterRow('payments', foreign))).toMatchObject({
      time: '2026-11-25 12:00:01.250',
      code: '',
      reason: '',
      source_topic: '',
      source_partition: null,
      source_offset: null,
      key: '',
      value: '',
      value_bytes: 0,
    });
    expect(named(deadLetterRow('payments', { ...foreign, headers: {}, timestamp: Number.NaN })).time).toBe('1970-01-01 00:00:00.000');
  });

  it('is the route of both dead-letter topics, which the sink never dead-letters again', () => {
    const template = testTemplate();
    const routes = sinkRoutes(template);
    for (const topic of ['payments.dlq', 'payments.alerts.dlq']) {
      expect(routes.get(topic)).toMatchObject({ table: 'dead_letters', columns: DEAD_LETTER_COLUMNS, deadLetterRejects: false });
    }
    // The sink stage subscribes to exactly the topics it has routes for.
    expect([...routes.keys()].sort()).toEqual([...stageTopics(template).sink].sort());
  });
});
