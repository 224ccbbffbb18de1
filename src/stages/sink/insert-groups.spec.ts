import type { InsertBatch } from '../../sink/sink-writer.js';
import { InsertGroups } from './insert-groups.js';

function job(table: string, token: string, rows: number): InsertBatch {
  return { table, columns: ['a', '_offset'], rows: Array.from({ length: rows }, (_, i) => [token, String(i)]), token };
}

/** Records every insert; `gate` holds the next insert open until released. */
function recorder() {
  const inserts: { table: string; token: string; rows: number; members: number }[] = [];
  let fail: Error | undefined;
  let gate: Promise<void> | undefined;
  const groups = new InsertGroups(async (batch, members) => {
    inserts.push({ table: batch.table, token: batch.token, rows: batch.rows.length, members });
    await gate;
    if (fail) throw fail;
  });
  return {
    groups,
    inserts,
    failWith: (error: Error | undefined) => (fail = error),
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('InsertGroups (group commit per table)', () => {
  it('inserts the jobs of one table submitted in the same turn as one insert, with their tokens joined', async () => {
    const r = recorder();
    await Promise.all([r.groups.submit(job('events', 't:0:0-9', 10)), r.groups.submit(job('events', 't:1:0-4', 5)), r.groups.submit(job('findings', 'f:0:0-1', 2))]);
    expect(r.inserts).toEqual([
      { table: 'events', token: 't:0:0-9+t:1:0-4', rows: 15, members: 2 },
      { table: 'findings', token: 'f:0:0-1', rows: 2, members: 1 },
    ]);
  });

  it('goes at once when alone, and groups what arrives while the table’s insert runs', async () => {
    const r = recorder();
    const release = r.hold();
    const first = r.groups.submit(job('events', 'a', 1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.inserts).toHaveLength(1);
    const later = [r.groups.submit(job('events', 'b', 1)), r.groups.submit(job('events', 'c', 1))];
    await new Promise((resolve) => setImmediate(resolve));
    // b and c wait: the table's insert is still running.
    expect(r.inserts).toHaveLength(1);
    release();
    await Promise.all([first, ...later]);
    expect(r.inserts.map((i) => i.token)).toEqual(['a', 'b+c']);
  });

  it('fails every member of a failed group; a member retried alone is inserted by itself', async () => {
    const r = recorder();
    r.failWith(new Error('ClickHouse down'));
    const results = await Promise.allSettled([r.groups.submit(job('events', 'a', 1)), r.groups.submit(job('events', 'b', 1))]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    r.failWith(undefined);
    const release = r.hold();
    const other = r.groups.submit(job('events', 'c', 1));
    await new Promise((resolve) => setImmediate(resolve));
    // Alone: not queued behind the table's running insert, not joined with anything.
    const alone = r.groups.submit(job('events', 'a', 1), { alone: true });
    expect(r.inserts.slice(1).map((i) => [i.token, i.members])).toEqual([
      ['c', 1],
      ['a', 1],
    ]);
    release();
    await Promise.all([other, alone]);
  });

  it('caps a group at 100,000 rows; the rest goes in the next insert', async () => {
    const r = recorder();
    await Promise.all([r.groups.submit(job('events', 'a', 60_000)), r.groups.submit(job('events', 'b', 30_000)), r.groups.submit(job('events', 'c', 20_000))]);
    expect(r.inserts.map((i) => [i.token, i.rows])).toEqual([
      ['a+b', 90_000],
      ['c', 20_000],
    ]);
  });
});
