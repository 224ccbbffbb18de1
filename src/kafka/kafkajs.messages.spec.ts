import { describe, expect, it } from '@jest/globals';
import { decodeHeaders, toIncomingMessage, toKafkajsOffsets, toTopicMessages } from './kafkajs.messages.js';

describe('toIncomingMessage', () => {
  it('keeps key and value buffers, decodes headers and parses the timestamp', () => {
    const message = toIncomingMessage('t', 2, {
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      timestamp: '1700000000123',
      attributes: 0,
      offset: '41',
      headers: { a: Buffer.from('x'), b: 'y' },
    });
    expect(message).toEqual({
      topic: 't',
      partition: 2,
      offset: '41',
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { a: 'x', b: 'y' },
      timestamp: 1_700_000_000_123,
    });
  });
});

describe('decodeHeaders', () => {
  it('keeps the last value of a repeated header and skips undefined ones', () => {
    expect(decodeHeaders({ r: [Buffer.from('1'), Buffer.from('2')], u: undefined, s: Buffer.from('é') })).toEqual({ r: '2', s: 'é' });
    expect(decodeHeaders(undefined)).toEqual({});
  });
});

describe('toTopicMessages', () => {
  it('groups by topic in order and leaves unset fields out', () => {
    expect(
      toTopicMessages([
        { topic: 'a', value: '1' },
        { topic: 'b', key: 'k', value: '2', partition: 1, headers: { h: 'v' }, timestamp: 5 },
        { topic: 'a', key: null, value: '3' },
      ]),
    ).toEqual([
      { topic: 'a', messages: [{ key: null, value: '1' }, { key: null, value: '3' }] },
      { topic: 'b', messages: [{ key: 'k', value: '2', partition: 1, headers: { h: 'v' }, timestamp: '5' }] },
    ]);
  });
});

describe('toKafkajsOffsets', () => {
  it('groups offsets by topic', () => {
    expect(
      toKafkajsOffsets([
        { topic: 'a', partition: 0, offset: '5' },
        { topic: 'b', partition: 1, offset: '7' },
        { topic: 'a', partition: 2, offset: '9' },
      ]),
    ).toEqual([
      { topic: 'a', partitions: [{ partition: 0, offset: '5' }, { partition: 2, offset: '9' }] },
      { topic: 'b', partitions: [{ partition: 1, offset: '7' }] },
    ]);
  });
});
