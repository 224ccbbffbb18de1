import path from 'node:path';
import { builtIns } from '../../domains/domains.js';
import type { LoadedTemplate } from '../../model/template/template.schema.js';
import type { InsertBatch, SinkWriter } from '../../sink/sink-writer.js';
import { builtInGenerators } from '../../domains/domains.js';
import { loadTemplate } from '../../templates/template.loader.js';
import { batchOf, InMemoryKafka, LIVE, testCore } from '../testing/in-memory-kafka.js';
import { SinkStage } from './sink.stage.js';

/** Rows by table, deduplicated by token as ClickHouse does; `failures` inserts throw first. */
class MemoryWriter implements SinkWriter {
  readonly rows = new Map<string, unknown[][]>();
  private readonly tokens = new Set<string>();
  inserts = 0;
  constructor(
    public failures = 0,
    /** Take raw batches, extracting nothing itself: every raw message goes through `decode`. */
    readonly acceptsRaw = false,
  ) {}

  async insert(batch: InsertBatch): Promise<void> {
    this.inserts++;
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('store down'), { retryable: true });
    }
    if (this.tokens.has(`${batch.table}/${batch.token}`)) return;
    this.tokens.add(`${batch.table}/${batch.token}`);
    const at = batch.columns.indexOf('_offset');
    const list = this.rows.get(batch.table) ?? [];
    const rows = [...batch.rows, ...(batch.raw?.messages ?? []).map((m) => batch.raw!.decode(m))].sort((a, b) => Number(a[at]) - Number(b[at]));
    list.push(...rows.map((row) => [...row, row[at]]));
    this.rows.set(batch.table, list);
  }

  offsets(table: string): bigint[] {
    return (this.rows.get(table) ?? []).map((row) => BigInt(row.at(-1) as string));
  }

  async lastInsertedOffset(table: string): Promise<bigint | undefined> {
    const offsets = this.offsets(table);
    return offsets.length === 0 ? undefined : offsets.reduce((a, b) => (a > b ? a : b));
  }

  async storedOffsets(table: string, _topic: string, _partition: number, first: bigint, last: bigint): Promise<Set<bigint>> {
    return new Set(this.offsets(table).filter((o) => o >= first && o <= last));
  }
}

let loaded: LoadedTemplate;
beforeAll(async () => {
  loaded = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() });
});

/** `count` simulated payments on partition 0 of the input topic. */
function payments(kafka: InMemoryKafka, count: number): void {
  const generator = builtInGenerators().create('finance', { seed: 7, params: {} });
  for (let i = 0; i < count; i++) {
    const event = generator.next(Date.UTC(2026, 0, 1) + i * 1000);
    kafka.append({ topic: loaded.template.topics.input, key: event.key, value: JSON.stringify(event.value), partition: 0 });
  }
}

function start(kafka: InMemoryKafka, writer: SinkWriter): SinkStage {
  // Batches flush at 5 rows, so a spec never waits for the timer.
  return new SinkStage(testCore(kafka, loaded, { VIGIL_SINK_BATCH_ROWS: '5' }), writer);
}

describe.each([
  ['JS path', false],
  ['raw path', true],
])('SinkStage (%s)', (_path, raw) => {
  const group = 'vigil.finance.sink';

  it('stores every row of a batch once, then commits past it', async () => {
    const kafka = new InMemoryKafka();
    const writer = new MemoryWriter(0, raw);
    payments(kafka, 10);
    const stage = start(kafka, writer);
    const input = loaded.template.topics.input;
    await stage.onAssigned([{ topic: input, partition: 0 }]);
    await stage.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group));
    expect(writer.offsets(loaded.template.tables.events)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    expect(kafka.groupCommits.get(group)).toEqual([{ topic: input, partition: 0, offset: '10' }]);
    await stage.onApplicationShutdown();
  });

  it('after a crash between insert and commit, stores only what the store lacks', async () => {
    const kafka = new InMemoryKafka();
    const writer = new MemoryWriter(0, raw);
    payments(kafka, 10);
    const input = loaded.template.topics.input;
    const first = start(kafka, writer);
    await first.onAssigned([{ topic: input, partition: 0 }]);
    // The first run stored offsets 0-4 and crashed before committing.
    await first.handle(batchOf(input, 0, kafka.messages(input).slice(0, 5)), LIVE, kafka.committer('crashed'));
    await first.onApplicationShutdown();
    const second = start(kafka, writer);
    await second.onAssigned([{ topic: input, partition: 0 }]);
    await second.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group));
    expect(writer.offsets(loaded.template.tables.events)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    expect(kafka.groupCommits.get(group)).toEqual([{ topic: input, partition: 0, offset: '10' }]);
    await second.onApplicationShutdown();
  });

  it('retries a failing insert in place and commits only once it landed', async () => {
    const kafka = new InMemoryKafka();
    const writer = new MemoryWriter(2, raw);
    payments(kafka, 5);
    const input = loaded.template.topics.input;
    const stage = start(kafka, writer);
    await stage.onAssigned([{ topic: input, partition: 0 }]);
    await stage.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group));
    expect(writer.inserts).toBe(3);
    expect(writer.offsets(loaded.template.tables.events)).toHaveLength(5);
    expect(kafka.groupCommits.get(group)).toEqual([{ topic: input, partition: 0, offset: '5' }]);
    await stage.onApplicationShutdown();
  });
});
