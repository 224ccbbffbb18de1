import { isVigilError, VigilError, type ErrorCode } from '../errors/vigil-error.js';
import type { EventSource, FieldValue, VigilEvent } from '../model/records.js';
import type { Template } from '../model/template/template.schema.js';
import type { HistoryRow } from './history-row.js';
import type { ReadBatch, ReadLine } from './read-batch.js';

/**
 * Read lines of history in columns, the form in which a worker thread hands them to the replay.
 * Posting rows as objects costs the receiving thread about as much as reading the lines itself
 * (structured clone rebuilds every object and string), so numbers travel in a Float64Array,
 * strings as indexes into a table the two sides keep in step (ids of cards and terminals repeat:
 * each crosses once, and equal values become the same string, which also makes keyed-state lookups
 * cheaper), and objects are built only when the replay reads the row. A column whose values hardly
 * ever repeat (transaction ids, offsets) is sent as is instead: in the table it would only make
 * the table big and slow. Field values are exactly the decoder's: numbers (NaN stands for null,
 * which no decoded number is), booleans, strings.
 */
export interface EncodedBatch {
  /** Per line: SKIPPED (no row), ROW or FAILED. */
  readonly lines: Uint8Array;
  /** Per failed line, in order. */
  readonly errors: readonly EncodedError[];
  /** Per row, the number columns (time, partition, then number, integer, timestamp and boolean fields). */
  readonly numbers: Float64Array;
  /**
   * Per row, the string columns (id, key, topic, offset, scenario, then string fields): a table
   * index, −1 for null, or −2 − i for `unshared[i]`.
   */
  readonly strings: Int32Array;
  /** Values of the columns sent as is, in row and column order. */
  readonly unshared: readonly string[];
  /** Per row: 0 genuine, 1 fraud, 2 unlabelled. */
  readonly fraud: Uint8Array;
  /** Values of string[] fields, per row and such field. */
  readonly lists: readonly (string[] | null)[];
  /** Strings added to the table by this batch, after clearing it if `clearTable`. */
  readonly added: readonly string[];
  readonly clearTable: boolean;
}

export interface EncodedError {
  readonly code: ErrorCode | undefined;
  readonly message: string;
}

const SKIPPED = 0;
const ROW = 1;
const FAILED = 2;
const UNLABELLED = 2;
/** Columns every row has before its fields. */
const FIXED_NUMBERS = 2;
const FIXED_STRINGS = 5;
/**
 * The table is cleared before a batch once it holds this many strings, so it stays bounded when
 * a shared column has millions of distinct values (or before a unique column is found out); the
 * values still in use then cross again, once.
 */
const TABLE_LIMIT = 1 << 18;
/** A column is sent as is from the batch after one where more than this share of its values were new... */
const UNSHARED_ABOVE = 0.9;
/** ...among at least this many. */
const UNSHARED_SAMPLE = 1024;

type FieldKind = 'number' | 'boolean' | 'string' | 'list';

/** Where each event field of a template goes, in the decoder's field order. */
class Layout {
  readonly fields: readonly { readonly name: string; readonly kind: FieldKind; readonly column: number }[];
  readonly numberColumns: number;
  readonly stringColumns: number;
  readonly listColumns: number;

  constructor(template: Template) {
    let numbers = FIXED_NUMBERS;
    let strings = FIXED_STRINGS;
    let lists = 0;
    this.fields = Object.entries(template.event.fields).map(([name, spec]) => {
      const kind = kindOf(spec.type);
      const column = kind === 'string' ? strings++ : kind === 'list' ? lists++ : numbers++;
      return { name, kind, column };
    });
    this.numberColumns = numbers;
    this.stringColumns = strings;
    this.listColumns = lists;
  }
}

function kindOf(type: Template['event']['fields'][string]['type']): FieldKind {
  switch (type) {
    case 'number':
    case 'integer':
    case 'timestamp':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'string[]':
      return 'list';
  }
}

/** The worker's side: read lines in, columns out. */
export class RowEncoder {
  private readonly layout: Layout;
  private readonly table = new Map<string, number>();
  /** Per string column: sent as is (values that do not repeat). */
  private readonly unsharedColumns: boolean[];

  /** `tableLimit`: strings the table holds before it is cleared (small in tests). */
  constructor(
    template: Template,
    private readonly tableLimit = TABLE_LIMIT,
  ) {
    this.layout = new Layout(template);
    this.unsharedColumns = new Array<boolean>(this.layout.stringColumns).fill(false);
  }

  encode(read: readonly ReadLine[]): EncodedBatch {
    const { layout } = this;
    const rows = read.reduce<number>((n, line) => (line !== undefined && !(line instanceof Error) ? n + 1 : n), 0);
    const lines = new Uint8Array(read.length);
    const errors: EncodedError[] = [];
    const numbers = new Float64Array(rows * layout.numberColumns);
    const strings = new Int32Array(rows * layout.stringColumns);
    const fraud = new Uint8Array(rows);
    const lists: (string[] | null)[] = [];
    const added: string[] = [];
    const unshared: string[] = [];
    const lookups = new Int32Array(layout.stringColumns);
    const misses = new Int32Array(layout.stringColumns);
    const clearTable = this.table.size >= this.tableLimit;
    if (clearTable) this.table.clear();
    // Each column's previous value, and the row's id and key, spare most table lookups: constants
    // (topic, currency), and fields equal to the id or the key (tx_id, card_id) are common.
    const lastValue = new Array<string | undefined>(layout.stringColumns);
    const lastIndex = new Int32Array(layout.stringColumns);
    const intern = (column: number, value: string): number => {
      if (this.unsharedColumns[column]) return -2 - (unshared.push(value) - 1);
      lookups[column]!++;
      if (value === lastValue[column]) return lastIndex[column]!;
      let index = this.table.get(value);
      if (index === undefined) {
        misses[column]!++;
        index = this.table.size;
        this.table.set(value, index);
        added.push(value);
      }
      lastValue[column] = value;
      lastIndex[column] = index;
      return index;
    };

    let row = 0;
    read.forEach((line, i) => {
      if (line === undefined) {
        lines[i] = SKIPPED;
      } else if (line instanceof Error) {
        lines[i] = FAILED;
        errors.push({ code: isVigilError(line) ? line.code : undefined, message: line.message });
      } else {
        lines[i] = ROW;
        const { event } = line;
        const n = row * layout.numberColumns;
        const s = row * layout.stringColumns;
        numbers[n] = event.time;
        numbers[n + 1] = event.source.partition;
        const id = (strings[s] = intern(0, event.id));
        const key = (strings[s + 1] = intern(1, event.key));
        strings[s + 2] = intern(2, event.source.topic);
        strings[s + 3] = intern(3, event.source.offset);
        strings[s + 4] = intern(4, line.scenario);
        fraud[row] = line.fraud === undefined ? UNLABELLED : line.fraud ? 1 : 0;
        for (const { name, kind, column } of layout.fields) {
          const value = event.fields[name] ?? null;
          if (kind === 'string') {
            const text = value === null ? null : checked(value, 'string', name);
            strings[s + column] = text === null ? -1 : text === event.id ? id : text === event.key ? key : intern(column, text);
          } else if (kind === 'number') {
            numbers[n + column] = value === null ? Number.NaN : checked(value, 'number', name);
          } else if (kind === 'boolean') {
            numbers[n + column] = value === null ? Number.NaN : checked(value, 'boolean', name) ? 1 : 0;
          } else {
            lists.push(value === null ? null : (value as string[]));
          }
        }
        row++;
      }
    });
    for (let column = 0; column < layout.stringColumns; column++) {
      if (lookups[column]! >= UNSHARED_SAMPLE && misses[column]! > UNSHARED_ABOVE * lookups[column]!) this.unsharedColumns[column] = true;
    }
    return { lines, errors, numbers, strings, unshared, fraud, lists, added, clearTable };
  }
}

/** A decoded value of another type than its field's is a bug, never bad input: say so loudly. */
function checked<T extends 'string' | 'number' | 'boolean'>(value: FieldValue, type: T, name: string): T extends 'string' ? string : T extends 'number' ? number : boolean {
  if (typeof value !== type) throw new Error(`field ${name}: decoded ${typeof value}, expected ${type}`);
  return value as never;
}

/** The replay's side: columns in, rows out when read, with the string table in step with the encoder's. */
export class RowDecoder {
  private readonly layout: Layout;
  private table: string[] = [];

  constructor(template: Template) {
    this.layout = new Layout(template);
  }

  /** Batches must be decoded in the order they were encoded (the table carries over). */
  decode(batch: EncodedBatch): ReadBatch {
    if (batch.clearTable) this.table = [];
    for (const value of batch.added) this.table.push(value);
    const table = this.table;
    const { layout } = this;
    const { unshared } = batch;
    const text = (at: number): string | null => (at >= 0 ? table[at]! : at === -1 ? null : unshared[-2 - at]!);
    // Each line's row or error index, found once: reads come in order.
    let row = 0;
    let error = 0;
    return {
      length: batch.lines.length,
      read: (index): ReadLine => {
        const kind = batch.lines[index];
        if (kind === SKIPPED) return undefined;
        if (kind === FAILED) {
          const { code, message } = batch.errors[error++]!;
          return code === undefined ? new Error(message) : new VigilError(code, message);
        }
        const r = row++;
        const n = r * layout.numberColumns;
        const s = r * layout.stringColumns;
        const fields: Record<string, FieldValue> = {};
        let list = r * layout.listColumns;
        for (const { name, kind: fieldKind, column } of layout.fields) {
          if (fieldKind === 'string') {
            fields[name] = text(batch.strings[s + column]!);
          } else if (fieldKind === 'list') {
            fields[name] = batch.lists[list++]!;
          } else {
            const value = batch.numbers[n + column]!;
            fields[name] = Number.isNaN(value) ? null : fieldKind === 'boolean' ? value === 1 : value;
          }
        }
        const source: EventSource = { topic: text(batch.strings[s + 2]!)!, partition: batch.numbers[n + 1]!, offset: text(batch.strings[s + 3]!)! };
        const event: VigilEvent = { id: text(batch.strings[s]!)!, time: batch.numbers[n]!, key: text(batch.strings[s + 1]!)!, fields, source };
        const fraud = batch.fraud[r];
        const result: HistoryRow = { event, fraud: fraud === UNLABELLED ? undefined : fraud === 1, scenario: text(batch.strings[s + 4]!)! };
        return result;
      },
    };
  }
}
