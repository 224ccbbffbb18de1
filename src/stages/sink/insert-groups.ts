import { batchSize, type InsertBatch } from '../../sink/sink-writer.js';

/** Rows one grouped insert may carry; jobs beyond it wait for the next insert. */
const GROUP_MAX_ROWS = 100_000;

interface Member {
  readonly batch: InsertBatch;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface TableQueue {
  readonly waiting: Member[];
  running: boolean;
  scheduled: boolean;
}

/**
 * Group commit for one sink: jobs of the same table that are submitted in the same turn of the
 * event loop, or while that table's previous insert runs, go to ClickHouse as ONE insert. The
 * sink cuts a job per Kafka partition, so without this six partitions flushing every 500 ms (the
 * default flush interval then) made twelve small inserts a second per table, each a part that
 * ClickHouse must write and then merge; merging those parts was the sink's largest CPU cost at
 * 10k events/s. A quiet table still inserts at once (nothing waits for company).
 *
 * A group's token joins its members' tokens, so a group is deduplicated as a whole. Each member's
 * promise settles with the group's insert. A failed member should come back `alone`: a group's
 * members are not seen together again, and a job whose rows ClickHouse refuses must hold up only
 * its own partition.
 */
export class InsertGroups {
  private readonly tables = new Map<string, TableQueue>();

  constructor(private readonly insert: (batch: InsertBatch, members: number) => Promise<void>) {}

  submit(batch: InsertBatch, options: { readonly alone?: boolean } = {}): Promise<void> {
    if (options.alone) return this.insert(batch, 1);
    const id = `${batch.table}\u0000${batch.columns.join('\u0000')}`;
    let queue = this.tables.get(id);
    if (!queue) {
      queue = { waiting: [], running: false, scheduled: false };
      this.tables.set(id, queue);
    }
    const table = queue;
    return new Promise<void>((resolve, reject) => {
      table.waiting.push({ batch, resolve, reject });
      this.kick(table);
    });
  }

  private kick(queue: TableQueue): void {
    if (queue.running || queue.scheduled || queue.waiting.length === 0) return;
    queue.scheduled = true;
    // The next turn: jobs cut in this one (a timed flush of every partition) join the group.
    setImmediate(() => {
      queue.scheduled = false;
      void this.run(queue);
    });
  }

  private async run(queue: TableQueue): Promise<void> {
    queue.running = true;
    const members = take(queue.waiting);
    try {
      await this.insert(combine(members.map((m) => m.batch)), members.length);
      for (const member of members) member.resolve();
    } catch (error) {
      for (const member of members) member.reject(error);
    } finally {
      queue.running = false;
      this.kick(queue);
    }
  }
}

/** The first waiting members up to GROUP_MAX_ROWS rows (at least one), removed from `waiting`. */
function take(waiting: Member[]): Member[] {
  let rows = 0;
  let count = 0;
  while (count < waiting.length && (count === 0 || rows + batchSize(waiting[count]!.batch) <= GROUP_MAX_ROWS)) {
    rows += batchSize(waiting[count]!.batch);
    count += 1;
  }
  return waiting.splice(0, count);
}

function combine(batches: readonly InsertBatch[]): InsertBatch {
  if (batches.length === 1) return batches[0]!;
  const first = batches[0]!;
  // Members of one table share its route, so one plan and decoder serve every member's messages.
  const raw = batches.find((b) => b.raw !== undefined)?.raw;
  return {
    table: first.table,
    columns: first.columns,
    rows: batches.flatMap((b) => b.rows),
    ...(raw === undefined ? {} : { raw: { ...raw, messages: batches.flatMap((b) => b.raw?.messages ?? []) } }),
    token: batches.map((b) => b.token).join('+'),
  };
}
