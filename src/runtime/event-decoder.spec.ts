import { templateSchema } from '../model/template/template.schema.js';
import { EventDecoder } from './event-decoder.js';

const template = templateSchema.parse({
  name: 'shop',
  version: 1,
  title: 'Shop',
  domain: 'custom',
  topics: { input: 'in', findings: 'f', alerts: 'a', deadLetter: 'in.dlq' },
  event: {
    id: 'tx_id',
    time: 'ts',
    key: 'card_id',
    fields: {
      tx_id: { from: 'transactionId', type: 'string', required: true },
      ts: { from: 'at', type: 'timestamp', required: true },
      card_id: { from: 'card.id', type: 'string', required: true },
      amount: { type: 'number', required: true },
      qty: { type: 'integer' },
      online: { type: 'boolean' },
      tags: { type: 'string[]' },
    },
  },
  detectors: [{ id: 'v', type: 'velocity' }],
  tables: { events: 'shop_events' },
});
const source = { topic: 'in', partition: 2, offset: '41' };
const decoder = new EventDecoder(template);

function decode(document: unknown) {
  return decoder.decode(Buffer.from(JSON.stringify(document)), source);
}

describe('EventDecoder', () => {
  it('maps user fields to canonical fields and types them', () => {
    const event = decode({ transactionId: 77, at: '2026-01-02T03:04:05.678Z', card: { id: 'c-9' }, amount: '12.5', qty: 2, online: true, tags: ['a'] });
    expect(event).toEqual({
      id: '77',
      time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      key: 'c-9',
      fields: { tx_id: '77', ts: Date.UTC(2026, 0, 2, 3, 4, 5, 678), card_id: 'c-9', amount: 12.5, qty: 2, online: true, tags: ['a'] },
      source,
    });
  });

  it('turns a lone surrogate in a string field into U+FFFD, keeping surrogate pairs (ClickHouse refuses the escape)', () => {
    const raw = Buffer.from('{"transactionId":"a\\ud800b","at":1700000000,"card":{"id":"\\udfff"},"amount":1,"tags":["x\\ud83d","\\ud83e\\udde8"]}');
    const event = decoder.decode(raw, source);
    expect(event.id).toBe('a\uFFFDb');
    expect(event.key).toBe('\uFFFD');
    expect(event.fields.tags).toEqual(['x\uFFFD', '🧨']);
  });

  it('accepts epoch seconds and milliseconds', () => {
    expect(decode({ transactionId: 'x', at: 1_700_000_000, card: { id: 'c' }, amount: 1 }).time).toBe(1_700_000_000_000);
    expect(decode({ transactionId: 'x', at: 1_700_000_000_123, card: { id: 'c' }, amount: 1 }).time).toBe(1_700_000_000_123);
  });

  it('leaves optional fields null', () => {
    expect(decode({ transactionId: 'x', at: 1_700_000_000_000, card: { id: 'c' }, amount: 1 }).fields.qty).toBeNull();
  });

  it.each([
    ['not json', Buffer.from('{oops'), 'VIGIL_EVENT_DECODE', /^value is not JSON: /],
    ['an array', Buffer.from('[1]'), 'VIGIL_EVENT_DECODE', /^value is not a JSON object$/],
    ['empty', null, 'VIGIL_EVENT_DECODE', /^empty message value$/],
  ])('rejects %s', (_name, value, code, message) => {
    expect(() => decoder.decode(value, source)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });

  it.each([
    [{ at: 1, card: { id: 'c' }, amount: 1 }, 'field tx_id (from "transactionId") is required'],
    [{ transactionId: 'x', at: 'yesterday', card: { id: 'c' }, amount: 1 }, 'field ts (from "at") expected timestamp (epoch ms or ISO-8601 with zone), got "yesterday"'],
    [{ transactionId: 'x', at: '2026-01-02T03:04:05', card: { id: 'c' }, amount: 1 }, 'field ts (from "at") expected timestamp (epoch ms or ISO-8601 with zone), got "2026-01-02T03:04:05"'],
    [{ transactionId: 'x', at: 1, card: 'c', amount: 1 }, 'field card_id (from "card.id") is required'],
    [{ transactionId: 'x', at: 1, card: { id: 'c' }, amount: 'lots' }, 'field amount expected number, got "lots"'],
    [{ transactionId: 'x', at: 1, card: { id: 'c' }, amount: 1, qty: 1.5 }, 'field qty expected integer, got 1.5'],
    [{ transactionId: 'x', at: 1, card: { id: 'c' }, amount: 1, tags: 'a' }, 'field tags expected array of strings, got "a"'],
  ])('names the field and the problem: %j', (document, message) => {
    expect(() => decode(document)).toThrow(expect.objectContaining({ code: 'VIGIL_EVENT_SCHEMA', message }));
  });
  it('refuses an event time further than event.maxFutureSkew after its message, whatever the wall clock says', () => {
    const sent = Date.UTC(2026, 0, 1);
    const at = (ts: number | string) => decoder.decode(Buffer.from(JSON.stringify({ transactionId: 'x', at: ts, card: { id: 'c' }, amount: 1 })), { ...source, timestamp: sent });
    expect(at(sent + 86_400_000).time).toBe(sent + 86_400_000);
    expect(() => at(sent + 86_400_001)).toThrow(
      expect.objectContaining({ code: 'VIGIL_EVENT_SCHEMA', message: 'field ts (from "at") is 2026-01-02T00:00:00.001Z, more than event.maxFutureSkew (86400000 ms) after the message\'s timestamp 2026-01-01T00:00:00.000Z' }),
    );
    expect(() => at('9999-12-31T23:59:59Z')).toThrow(expect.objectContaining({ code: 'VIGIL_EVENT_SCHEMA' }));
    expect(() => at(1e300)).toThrow(expect.objectContaining({ message: expect.stringContaining('1e+300 ms') }));
    // History replayed from a file has no message timestamp: no limit.
    expect(decode({ transactionId: 'x', at: '9999-12-31T23:59:59Z', card: { id: 'c' }, amount: 1 }).time).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
  });
});
