import { decodeRecord, encodeRecord, type ChangelogRecord } from './changelog.js';

describe('changelog records', () => {
  it.each<ChangelogRecord>([
    { kind: 'entity', key: 'card-1', values: [['card_velocity', 'window', [1, 2, 3.5]], ['big_sum', 'r1', { n: 1 }]] },
    { kind: 'entity', key: 'a\u0000b', values: null },
    { kind: 'store', owner: 'card_velocity', name: 'window', key: 'card-1', value: [1, 2, 3.5] },
    { kind: 'store', owner: 'd', name: 's', key: 'a\u0000b', value: null },
    { kind: 'timer', owner: 'd', name: 'close', key: 'k', time: 1_700_000_000_000 },
    { kind: 'timer', owner: 'd', name: 'close', key: 'k', time: null },
    { kind: 'meta', meta: { maxEventTime: 5, rotatedAt: { d: 3 } } },
    { kind: 'input', next: '9223372036854775807' },
  ])('round-trips %j', (record) => {
    const { key, value } = encodeRecord(record);
    expect(decodeRecord(key, value)).toEqual(record);
  });

  it('decodes the same from a Buffer key', () => {
    const record: ChangelogRecord = { kind: 'store', owner: 'd', name: 's', key: 'card\u0000x', value: [1] };
    const { key, value } = encodeRecord(record);
    expect(decodeRecord(Buffer.from(key), value)).toEqual(record);
    const entity: ChangelogRecord = { kind: 'entity', key: 'card\u0000é', values: [['d', 's', 1]] };
    const encoded = encodeRecord(entity);
    expect(decodeRecord(Buffer.from(encoded.key), encoded.value)).toEqual(entity);
    expect(decodeRecord(Buffer.from('m'), '{"maxEventTime":1,"rotatedAt":{}}')).toEqual({ kind: 'meta', meta: { maxEventTime: 1, rotatedAt: {} } });
    expect(decodeRecord(Buffer.from('i'), '42')).toEqual({ kind: 'input', next: '42' });
  });

  it('rejects keys it did not write', () => {
    expect(() => decodeRecord('x\u0000a\u0000b\u0000c', '1')).toThrow('unknown changelog record kind "x"');
    expect(() => decodeRecord('s\u0000only', '1')).toThrow('malformed changelog key');
    expect(() => decodeRecord('i', null)).toThrow('malformed input offset record null');
    expect(() => decodeRecord('i', '-1')).toThrow('malformed input offset record "-1"');
  });
});
