import type { ReadBatch } from '../../../../backtest/read-batch.js';

/**
 * A labelled transaction history in columns, as the Handbook's baseline needs it: time, customer,
 * terminal, amount and label of every row, in file order. Customers and terminals are numbered
 * densely in order of first appearance (`customers[c]` is the id of customer c).
 */
export interface TransactionTable {
  readonly size: number;
  /** Event time, epoch ms. */
  readonly time: Float64Array;
  readonly customer: Int32Array;
  readonly terminal: Int32Array;
  readonly amount: Float64Array;
  /** 1 fraud, 0 genuine. */
  readonly fraud: Uint8Array;
  readonly customers: readonly string[];
  readonly terminals: readonly string[];
  /** Rows not read: unreadable, or without a label (the replay counts them the same way). */
  readonly skipped: number;
}

export interface TransactionFields {
  /** Canonical field names of the template's event. */
  readonly customer: string;
  readonly terminal: string;
  readonly amount: string;
}

/**
 * Reads history rows (openHistoryFile, the reader the replay uses) into a table, so the baseline
 * sees exactly the transactions, times and labels Vigil's replay sees.
 */
export async function readTransactions(rows: AsyncIterable<ReadBatch>, fields: TransactionFields): Promise<TransactionTable> {
  let capacity = 1 << 16;
  let time = new Float64Array(capacity);
  let customer = new Int32Array(capacity);
  let terminal = new Int32Array(capacity);
  let amount = new Float64Array(capacity);
  let fraud = new Uint8Array(capacity);
  const customers = new Numbering();
  const terminals = new Numbering();
  let size = 0;
  let skipped = 0;
  for await (const batch of rows) {
    for (let index = 0; index < batch.length; index++) {
      const row = batch.read(index);
      if (row === undefined) continue;
      const value = row instanceof Error ? undefined : Number(row.event.fields[fields.amount]);
      if (row instanceof Error || row.fraud === undefined || value === undefined || !Number.isFinite(value)) {
        skipped++;
        continue;
      }
      if (size === capacity) {
        capacity *= 2;
        time = grown(time, new Float64Array(capacity));
        customer = grown(customer, new Int32Array(capacity));
        terminal = grown(terminal, new Int32Array(capacity));
        amount = grown(amount, new Float64Array(capacity));
        fraud = grown(fraud, new Uint8Array(capacity));
      }
      const { event } = row;
      time[size] = event.time;
      customer[size] = customers.of(String(event.fields[fields.customer]));
      terminal[size] = terminals.of(String(event.fields[fields.terminal]));
      amount[size] = value;
      fraud[size] = row.fraud ? 1 : 0;
      size++;
    }
  }
  return {
    size,
    time: time.subarray(0, size),
    customer: customer.subarray(0, size),
    terminal: terminal.subarray(0, size),
    amount: amount.subarray(0, size),
    fraud: fraud.subarray(0, size),
    customers: customers.names,
    terminals: terminals.names,
    skipped,
  };
}

class Numbering {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.index.set(name, i);
    }
    return i;
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
