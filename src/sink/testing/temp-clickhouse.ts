import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { openClickHouse } from '../clickhouse.client.js';
import { quoteName } from '../identifiers.js';

/**
 * A throw-away embedded ClickHouse for one spec FILE. chdb allows one open data directory per
 * process (another path fails until the first is closed, and jest may run several files in one
 * worker), so a file opens one in beforeAll, gives each test its own database, and closes in
 * afterAll, which lets the next file open its own.
 */
export interface TempClickHouse {
  readonly client: ClickHouseClient;
  readonly dataDir: string;
  /** A fresh, empty database for one test. */
  database(): Promise<string>;
  /** Closes the client and deletes the data directory. */
  close(): Promise<void>;
}

let counter = 0;

export async function openTempClickHouse(): Promise<TempClickHouse> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-ch-'));
  const client = await openClickHouse({ mode: 'embedded', path: dataDir, database: 'vigil_test' });
  return {
    client,
    dataDir,
    async database() {
      counter += 1;
      const name = `t${process.pid}_${counter}`;
      await client.command({ query: `CREATE DATABASE ${quoteName(name)}` });
      return name;
    },
    async close() {
      await client.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
