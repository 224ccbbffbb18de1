import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { loadTemplate } from '../templates/template.loader.js';
import type { Template } from '../model/template/template.schema.js';
import { HistoryRowReader, type HistoryRowOptions } from './history-row.js';
import { openLines } from './line-source.js';
import { readOnThisThread, type ReadLine } from './read-batch.js';
import { openRowsInWorker } from './worker-rows.js';
import { builtIns } from '../domains/domains.js';

/** A worker thread runs compiled JavaScript: these tests use the build (`npm run build`). */
const WORKER = new URL('../../dist/backtest/row-worker.js', import.meta.url);
const HEADER = 'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO';

let dir: string;
let template: Template;
let options: HistoryRowOptions;
beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER.pathname} is missing: run npm run build first`);
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-rows-'));
  ({ template } = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() }));
  options = { template, format: 'csv', mapping: template.backtest!.mappings.handbook };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Handbook-shaped file of `n` rows spanning several read chunks, with a few bad and blank lines. */
function history(n: number): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const second = i % 86_400;
    const time = `2018-04-${String(1 + Math.floor(i / 86_400)).padStart(2, '0')} ${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`;
    const fraud = i % 97 === 0 ? 1 : 0;
    lines.push(`${i},${time},${i % 5000},${i % 10_000},${((i * 37) % 20_000) / 100},${second},0,${fraud},${fraud ? 1 + (i % 3) : 0}`);
    if (i % 20_011 === 5) lines.push(`${i}x,not a time,1,2,3,4,5,0,0`);
    if (i % 30_007 === 7) lines.push('');
  }
  return lines.join('\n');
}

async function readAll(batches: AsyncIterable<{ length: number; read(i: number): ReadLine }>): Promise<ReadLine[]> {
  const out: ReadLine[] = [];
  for await (const batch of batches) for (let i = 0; i < batch.length; i++) out.push(batch.read(i));
  return out;
}

/** Errors compared by class, code and message; rows by value. */
function comparable(lines: ReadLine[]): unknown[] {
  return lines.map((line) => (line instanceof Error ? { error: line.constructor.name, code: (line as { code?: string }).code, message: line.message } : line));
}

describe('openRowsInWorker', () => {
  it.each([
    ['plain', (text: string) => Buffer.from(text)],
    ['gzipped', (text: string) => gzipSync(text)],
  ])('gives exactly the rows, skipped lines and errors of reading on this thread, in order (%s, last line without a line end)', async (_, encode) => {
    const file = path.join(dir, `history-${_}.csv`);
    await writeFile(file, encode(history(40_000)));
    const here = await readAll(readOnThisThread((await openLines(file)).lineBatches, new HistoryRowReader(options)));
    const source = await openRowsInWorker(file, options, WORKER);
    const there = await readAll(source.batches);
    expect(there).toHaveLength(here.length);
    expect(comparable(there)).toEqual(comparable(here));
    expect(there.filter((line) => line instanceof Error)).toHaveLength(2);
    expect(source.bytesRead()).toBe(source.totalBytes);
  });

  it('gives the same rows for JSON lines in the template\'s own shape (nested paths, booleans, locations, labels)', async () => {
    const t0 = Date.UTC(2026, 0, 5, 12);
    const events = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        transactionId: `tx-${i}`,
        timestamp: new Date(t0 + i * 60_000).toISOString(),
        customer: { id: `cus-${i % 30}` },
        card: { id: `card-${i % 30}`, present: i % 3 !== 0 },
        merchant: { terminalId: `term-${i % 7}`, mcc: '5411', country: i % 2 === 0 ? 'BE' : undefined },
        amount: { value: 20 + (i % 9) / 4, currency: 'EUR' },
        location: i % 3 === 0 ? undefined : { lat: 50.85 + i / 1e4, lon: 4.35 },
        channel: i % 3 === 0 ? 'ecom' : 'pos',
        _label: i % 50 === 49 ? { fraud: true, scenario: 'spending_spree' } : i % 7 === 0 ? undefined : { fraud: false },
      }),
    );
    events.splice(1234, 0, '{"transactionId": "broken"', '');
    const file = path.join(dir, 'events.jsonl.gz');
    await writeFile(file, gzipSync(events.join('\n')));
    const jsonl: HistoryRowOptions = { template, format: 'jsonl', labelField: '_label.fraud', scenarioField: '_label.scenario' };
    const here = await readAll(readOnThisThread((await openLines(file)).lineBatches, new HistoryRowReader(jsonl)));
    const there = await readAll((await openRowsInWorker(file, jsonl, WORKER)).batches);
    expect(comparable(there)).toEqual(comparable(here));
    expect(there.filter((line) => line instanceof Error)).toHaveLength(1);
    expect(there.filter((line) => line !== undefined && !(line instanceof Error) && line.fraud === undefined).length).toBeGreaterThan(0);
  });

  it('reports a missing file as a configuration error, before any row', async () => {
    await expect(openRowsInWorker(path.join(dir, 'missing.csv'), options, WORKER)).rejects.toMatchObject({ code: 'VIGIL_CONFIG_INVALID' });
  });

  it('reports a corrupt gzip file as an error of the replay', async () => {
    const file = path.join(dir, 'corrupt.csv.gz');
    await writeFile(file, Buffer.concat([gzipSync(history(1000)).subarray(0, 200), Buffer.alloc(100, 7)]));
    const source = await openRowsInWorker(file, options, WORKER);
    await expect(readAll(source.batches)).rejects.toThrow();
  });

  it('does not keep the process alive while nobody reads (a command failing before its replay still exits)', async () => {
    const file = path.join(dir, 'unread.csv');
    await writeFile(file, history(40_000));
    const dist = (module: string) => JSON.stringify(new URL(`../../dist/${module}`, import.meta.url).href);
    const script = [
      `const { openRowsInWorker } = await import(${dist('backtest/worker-rows.js')});`,
      `const { loadTemplate } = await import(${dist('templates/template.loader.js')});`,
      `const { builtIns } = await import(${dist('domains/domains.js')});`,
      `const { template } = await loadTemplate(${JSON.stringify(path.resolve('templates/finance/template.yaml'))}, { env: {}, ...builtIns() });`,
      `await openRowsInWorker(${JSON.stringify(file)}, { template, format: 'csv', mapping: template.backtest.mappings.handbook });`,
      `console.log('opened');`,
    ].join('\n');
    const entry = path.join(dir, 'open-and-leave.mjs');
    await writeFile(entry, script);
    const { stdout } = await promisify(execFile)(process.execPath, [entry], { timeout: 20_000 });
    expect(stdout.trim()).toBe('opened');
  }, 30_000);

  it('ends the worker when the replay stops early', async () => {
    const file = path.join(dir, 'early.csv');
    await writeFile(file, history(40_000));
    const source = await openRowsInWorker(file, options, WORKER);
    for await (const batch of source.batches) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
  });
});
