import { z } from 'zod';
import { defineDetector, type DetectorContext, type DetectorInstance } from '../model/detector.js';
import { testTemplate } from '../sink/testing/test-template.js';
import { encodeRecord, type ChangelogRecord } from './changelog.js';
import { ChangelogRestorer, type ChangelogMessage } from './changelog-restorer.js';
import { PartitionRuntime, type DetectorSlot } from './partition-runtime.js';
import { testEvent } from './testing/detector-test-context.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const CARDS = ['card-1', 'card-2', 'card-\u0000x', 'carte-é'];

function slot(id: string, create: (context: DetectorContext) => DetectorInstance): DetectorSlot {
  const definition = defineDetector({
    meta: { name: id, version: '1', description: 'test', params: z.object({}), requiredFields: () => [], stateTtl: () => 60 * MINUTE },
    create,
  });
  return { id, definition, params: {} };
}

/**
 * Two detectors with state of the shapes detectors keep (number arrays with epoch milliseconds
 * and decimals, nested objects with strings), a timer, and a key deleted now and then.
 */
function slots(): DetectorSlot[] {
  return [
    slot('window', (context) => {
      const store = context.store<number[]>('w');
      return {
        process: (e) => {
          const [count = 0, sum = 0] = store.get(e.key) ?? [];
          if (count === 3) store.delete(e.key);
          else store.put(e.key, [count + 1, Math.round((sum + Number(e.fields.amount)) * 100) / 100, e.time]);
          context.schedule('close', e.key, e.time + 5 * MINUTE);
        },
      };
    }),
    slot('profile', (context) => {
      const store = context.store<{ last: string; seen: Record<string, number>; loc: number[] }>('p');
      return {
        process: (e) => {
          const previous = store.get(e.key);
          store.put(e.key, { last: String(e.fields.tx_id), seen: { ...previous?.seen, [String(e.fields.tx_id)]: e.time }, loc: [52.52, 13.405] });
        },
      };
    }),
  ];
}

function events(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const card = CARDS[n % CARDS.length]!;
    return testEvent(T0 + n * 1000, { tx_id: `tx${n}`, card, ts: T0 + n * 1000, amount: ((n * 733) % 10_000) / 100 }, card);
  });
}

/** A runtime fed `batches` batches of events, each batch's changelog records as `write` encodes them. */
function run(batches: number, write: (record: ChangelogRecord, batch: number) => ChangelogMessage): { runtime: PartitionRuntime; changelog: ChangelogMessage[] } {
  const runtime = new PartitionRuntime(testTemplate(), slots(), quiet);
  const changelog: ChangelogMessage[] = [];
  for (let batch = 0; batch < batches; batch++) {
    for (const event of events(batch * 7, 7)) runtime.process(event);
    for (const record of runtime.drainChanges()) changelog.push(write(record, batch));
  }
  return { runtime, changelog };
}

/** Today's writer. */
function current(record: ChangelogRecord): ChangelogMessage {
  const { key, value } = encodeRecord(record);
  return { key: Buffer.from(key), value: value === null ? null : Buffer.from(value) };
}

/** The writer before the binary encoding: every value JSON text (what upgraded users' changelogs hold). */
function json(record: ChangelogRecord): ChangelogMessage {
  const { key, value } = encodeRecord(record);
  if (record.kind !== 'entity' || record.values === null) return { key: Buffer.from(key), value: value === null ? null : Buffer.from(value) };
  return { key: Buffer.from(key), value: Buffer.from(JSON.stringify(record.values)) };
}

function restored(changelog: readonly ChangelogMessage[]): PartitionRuntime {
  const runtime = new PartitionRuntime(testTemplate(), slots(), quiet);
  const restorer = new ChangelogRestorer(new Map([[0, runtime]]));
  restorer.apply(0, changelog);
  restorer.finish();
  return runtime;
}

function snapshot(runtime: PartitionRuntime) {
  return {
    keys: runtime.state.keyCount(),
    timers: runtime.timerCount,
    watermark: runtime.watermark,
    values: CARDS.map((card) => [runtime.state.store('window', 'w').peek(card), runtime.state.store('profile', 'p').peek(card)]),
  };
}

describe('ChangelogRestorer', () => {
  it('restores the state the changelog was written from', () => {
    const { runtime, changelog } = run(6, current);
    expect(changelog.some((m) => m.value?.[0] === 0x01)).toBe(true);
    expect(snapshot(restored(changelog))).toStrictEqual(snapshot(runtime));
  });

  it('restores a changelog written before the binary encoding, and one the upgrade wrote half of', () => {
    const old = run(6, json);
    expect(old.changelog.every((m) => m.value === null || m.value[0] !== 0x01)).toBe(true);
    expect(snapshot(restored(old.changelog))).toStrictEqual(snapshot(old.runtime));
    // The first three batches by the old writer, the rest by today's: the latest record of a key wins.
    const upgraded = run(6, (record, batch) => (batch < 3 ? json(record) : current(record)));
    expect(snapshot(restored(upgraded.changelog))).toStrictEqual(snapshot(upgraded.runtime));
  });

  it('reads records exactly as the JSON writer put them on the topic', () => {
    const message = (key: string, value: string | null): ChangelogMessage => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value) });
    const runtime = restored([
      message('s\u0000window\u0000w\u0000card-2', '[7,70.5,1767225600000]'),
      message('e\u0000card-1', '[["window","w",[2,14.72,1767225601000]],["profile","p",{"last":"tx1","seen":{"tx0":1767225600000,"tx1":1767225601000},"loc":[52.52,13.405]}]]'),
      message('e\u0000card-3', '[["window","w",[1,1,1767225600000]]]'),
      message('e\u0000card-3', null),
      message('t\u0000window\u0000close\u0000card-1', '1767225901000'),
      message('m', '{"maxEventTime":1767225601000,"rotatedAt":{"window":1767225570000,"profile":1767225570000}}'),
    ]);
    expect(snapshot(runtime)).toStrictEqual({
      keys: 3,
      timers: 1,
      watermark: 1767225601000 - testTemplate().event.maxOutOfOrderness,
      values: [
        [[2, 14.72, 1767225601000], { last: 'tx1', seen: { tx0: 1767225600000, tx1: 1767225601000 }, loc: [52.52, 13.405] }],
        [[7, 70.5, 1767225600000], undefined],
        [undefined, undefined],
        [undefined, undefined],
      ],
    });
  });

  it('writes fewer bytes than the JSON writer did', () => {
    const bytes = (changelog: readonly ChangelogMessage[]) => changelog.reduce((sum, m) => sum + (m.value?.length ?? 0), 0);
    expect(bytes(run(6, current).changelog)).toBeLessThan(bytes(run(6, json).changelog));
  });
});
