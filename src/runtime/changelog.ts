/**
 * The changelog of a detect stage's runtime state: one compacted topic per stage and template,
 * partitioned like the input, so partition p's state is read back from changelog partition p.
 * Keys say what a record is; the latest record per key wins (and compaction keeps only it):
 *   e␀<key>                  an entity's values in every store that holds it (an array of
 *                            [owner, store, value] in the binary state encoding, see
 *                            state-codec.ts; JSON text before it, still read), null when none does
 *   s␀<owner>␀<store>␀<key>  one store value (JSON), null deletes: the format before entity
 *                            records, still read so older changelogs restore
 *   t␀<owner>␀<name>␀<key>   a timer's time (decimal), null when it fired
 *   m                        the partition's event-time progress (JSON)
 *   i                        the next input offset (decimal): every event below it is in this
 *                            state and its output is committed. It travels in the batch's
 *                            transaction instead of a transactional offset commit, which cost
 *                            each batch two more broker round trips (see detect.stage.ts).
 * Records are written in the same Kafka transaction as the batch's output. A record per entity
 * and batch is already the latest of that batch (the stores and timers keep one change per key
 * until drained), so a key touched by many events of a batch costs one record.
 */

import type { EntityStoreValue } from './keyed-state.js';
import { decodeStateValue, isBinaryValue, StateEncoder } from './state-codec.js';

const SEP = '\u0000';

/** Record values as the producer takes them: text, bytes, or null (a tombstone). */
export type RecordValue = string | Buffer | null;

/** Shared by every encodeRecord call: encoding is synchronous, so one scratch buffer serves all. */
const encoder = new StateEncoder();

export type ChangelogRecord =
  | { readonly kind: 'entity'; readonly key: string; readonly values: readonly EntityStoreValue[] | null }
  | { readonly kind: 'store'; readonly owner: string; readonly name: string; readonly key: string; readonly value: unknown }
  | { readonly kind: 'timer'; readonly owner: string; readonly name: string; readonly key: string; readonly time: number | null }
  | { readonly kind: 'meta'; readonly meta: RuntimeMeta }
  | { readonly kind: 'input'; readonly next: string };

/** Event-time progress of a partition, so watermarks and evictions continue where they were. */
export interface RuntimeMeta {
  readonly maxEventTime: number;
  readonly rotatedAt: Readonly<Record<string, number>>;
  /** Per feedback-topic partition, the offset of the last label given to the detectors. */
  readonly feedback?: Readonly<Record<string, number>>;
}

export function encodeRecord(record: ChangelogRecord): { key: string; value: RecordValue } {
  switch (record.kind) {
    case 'entity':
      return { key: `e${SEP}${record.key}`, value: record.values === null ? null : encoder.encodeTriples(record.values) };
    case 'store':
      return { key: ['s', record.owner, record.name, record.key].join(SEP), value: record.value === null ? null : JSON.stringify(record.value) };
    case 'timer':
      return { key: ['t', record.owner, record.name, record.key].join(SEP), value: record.time === null ? null : String(record.time) };
    case 'meta':
      return { key: 'm', value: JSON.stringify(record.meta) };
    case 'input':
      return { key: 'i', value: record.next };
  }
}

/**
 * Decodes a record, in today's format or any earlier one. Given the key as a Buffer, the entity key
 * is cut from the bytes: a substring of the whole key string would keep that string alive, adding
 * ~50 bytes to every restored key.
 */
export function decodeRecord(rawKey: string | Buffer, rawValue: RecordValue): ChangelogRecord {
  if (Buffer.isBuffer(rawKey)) return decodeBufferKey(rawKey, rawValue);
  const key = rawKey;
  if (key.startsWith(`e${SEP}`)) return entityRecord(key.slice(2), rawValue);
  const value = text(rawValue);
  if (key === 'i') {
    if (value === null || !/^\d+$/.test(value)) throw new Error(`malformed input offset record ${JSON.stringify(value)}`);
    return { kind: 'input', next: value };
  }
  if (key === 'm') {
    if (value === null) return { kind: 'meta', meta: { maxEventTime: -Infinity, rotatedAt: {} } };
    return { kind: 'meta', meta: JSON.parse(value) as RuntimeMeta };
  }
  const [kind, owner, name, ...rest] = key.split(SEP);
  // Entity keys may themselves contain the separator; everything after the name is the key.
  const entityKey = rest.join(SEP);
  if (owner === undefined || name === undefined || rest.length === 0) throw new Error(`malformed changelog key ${JSON.stringify(key)}`);
  if (kind === 's') return { kind: 'store', owner, name, key: entityKey, value: stateValue(rawValue) };
  if (kind === 't') return { kind: 'timer', owner, name, key: entityKey, time: value === null ? null : Number(value) };
  throw new Error(`unknown changelog record kind ${JSON.stringify(kind)}`);
}

function decodeBufferKey(key: Buffer, value: RecordValue): ChangelogRecord {
  if (key.length >= 2 && key[0] === 0x65 && key[1] === 0) return entityRecord(key.toString('utf8', 2), value);
  const first = key.indexOf(0);
  const second = first < 0 ? -1 : key.indexOf(0, first + 1);
  const third = second < 0 ? -1 : key.indexOf(0, second + 1);
  if (third < 0) return decodeRecord(key.toString('utf8'), value);
  const kind = key.toString('utf8', 0, first);
  const owner = key.toString('utf8', first + 1, second);
  const name = key.toString('utf8', second + 1, third);
  const entityKey = key.toString('utf8', third + 1);
  if (kind === 's') return { kind: 'store', owner, name, key: entityKey, value: stateValue(value) };
  if (kind === 't') return { kind: 'timer', owner, name, key: entityKey, time: value === null ? null : Number(text(value)) };
  throw new Error(`unknown changelog record kind ${JSON.stringify(kind)}`);
}

function entityRecord(key: string, value: RecordValue): ChangelogRecord {
  return { kind: 'entity', key, values: stateValue(value) as EntityStoreValue[] | null };
}

/** A state value in the binary encoding (state-codec.ts) or, as changelogs held before it, JSON. */
function stateValue(value: RecordValue): unknown {
  if (value === null) return null;
  if (typeof value === 'string') return JSON.parse(value) as unknown;
  return isBinaryValue(value) ? decodeStateValue(value) : (JSON.parse(value.toString('utf8')) as unknown);
}

function text(value: RecordValue): string | null {
  return value === null || typeof value === 'string' ? value : value.toString('utf8');
}
