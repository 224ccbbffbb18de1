import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadTemplate } from '../templates/template.loader.js';
import { openHistoryFile } from './history-file.js';
import type { HistoryRow } from './history-row.js';
import { builtIns } from '../domains/domains.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-history-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openHistoryFile', () => {
  // With more cores it hands over to openRowsInWorker (worker-rows.spec.ts, against the build).
  it('reads on this thread when the process has one core, every row in order', async () => {
    const { template } = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() });
    const file = path.join(dir, 'history.csv.gz');
    const rows = Array.from({ length: 50 }, (_, i) => `${i},2018-04-01 00:00:${String(i).padStart(2, '0')},${i % 5},${i % 7},${i + 0.5},${i},0,${i % 2},${i % 2}`);
    await writeFile(file, gzipSync(['TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO', ...rows].join('\n')));
    const source = await openHistoryFile(file, { template, format: 'csv', mapping: template.backtest!.mappings.handbook }, 1);
    const read: unknown[] = [];
    for await (const batch of source.batches) for (let i = 0; i < batch.length; i++) read.push(batch.read(i));
    expect(read[0]).toBeUndefined();
    expect(read.slice(1).map((row) => (row as HistoryRow).event.id)).toEqual(rows.map((_, i) => String(i)));
    expect((read[50] as HistoryRow).event).toMatchObject({ time: Date.UTC(2018, 3, 1, 0, 0, 49), key: '4', fields: { amount: 49.5, terminal_id: '0' } });
    expect(source.bytesRead()).toBe(source.totalBytes);
  });
});
