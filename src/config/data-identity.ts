import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { ClickHouseConfig } from './vigil-config.js';

/**
 * An opaque name for the ClickHouse data a process reads and writes: the embedded engine's
 * directory (symlinks resolved) or the server's URL, and the database. Two processes with the same
 * identity see the same tables; `GET /status` reports the API's, so `vigil query` only asks an API
 * that serves its own data. Hashed, so the API does not publish paths or server addresses.
 */
export function dataIdentity(clickhouse: ClickHouseConfig): string {
  const where = clickhouse.mode === 'embedded' ? `embedded:${resolved(clickhouse.path)}` : `server:${clickhouse.url.replace(/\/+$/, '')}`;
  return createHash('sha256').update(`${where}\n${clickhouse.database}`).digest('hex').slice(0, 16);
}

function resolved(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    // Not created yet: no process has written there, so the name as configured is the identity.
    return dir;
  }
}
