import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ChdbExtension } from 'chdb/connection';
import type { ClickHouseConfig } from '../config/vigil-config.js';
import { VigilError } from '../errors/vigil-error.js';
import { configureEngineAllocator } from './engine-allocator.js';
import { quoteName } from './identifiers.js';

export type { ClickHouseClient };

/**
 * The client's own logger writes to the console; every failure reaches the caller as a
 * VigilError instead, logged by the caller's pino logger.
 */
const QUIET = { level: ClickHouseLogLevel.OFF };

/**
 * chdb 3.4 types its connection against @clickhouse/client-common 1.23.0, while
 * @clickhouse/client 1.23.1 carries its own copy of those types; they differ only in setting
 * enums, so the connection is passed through this cast (it runs as-is).
 */
type InjectedConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** The chdb session behind each embedded client, for what the client cannot do (chdbOf). */
const chdbSessions = new WeakMap<ClickHouseClient, ChdbExtension>();

/**
 * chdb's own API on the session behind `client` when it is embedded (undefined for a server).
 * Its raw insert takes a prebuilt payload and statement-level SETTINGS, which apply to that one
 * insert only, unlike the client's per-call settings (see clickhouse.sink.ts).
 */
export function chdbOf(client: ClickHouseClient): ChdbExtension | undefined {
  return chdbSessions.get(client);
}

/**
 * Opens ClickHouse, embedded (chdb, in this process) or a server, creates `config.database` if it
 * is missing, and returns a client whose unqualified names resolve to that database.
 *
 * How the database is bound differs, which is why Vigil's own SQL always uses qualified names
 * (`db`.`table`, see identifiers.ts) and only user queries rely on the binding:
 * - server: the client's `database` option (sent with every HTTP request, so it must exist
 *   before the bound client is created: a short bootstrap client creates it first);
 * - chdb: the connection ignores `database`; one `USE db` changes the session, which persists
 *   for every later call of this process.
 *
 * chdb contracts the caller inherits: one open data directory per process (another path fails
 * until this client is closed), one process per data directory (a second process fails to lock
 * it), and per-call `clickhouse_settings` are applied as session-wide SETs, so they leak into
 * later calls. Close the client on shutdown; that releases the directory.
 */
export async function openClickHouse(config: ClickHouseConfig): Promise<ClickHouseClient> {
  return config.mode === 'embedded' ? openEmbedded(config.path, config.database) : openServer(config);
}

async function openEmbedded(dataPath: string, database: string): Promise<ClickHouseClient> {
  const absolute = path.resolve(dataPath);
  let client: ClickHouseClient;
  try {
    await mkdir(absolute, { recursive: true });
    // Loaded here, after its allocator's options are set (engine-allocator.ts), not at the top.
    configureEngineAllocator();
    const { createChdbConnection } = await import('chdb/connection');
    const connection = createChdbConnection({ path: absolute });
    client = createClient({ connection: connection as unknown as InjectedConnection, log: QUIET });
    chdbSessions.set(client, connection.chdb);
  } catch (cause) {
    throw new VigilError('VIGIL_SINK_WRITE', `cannot open embedded ClickHouse at ${absolute}: ${message(cause)}`, {
      retryable: false,
      cause,
    });
  }
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteName(database)}` });
    await client.command({ query: `USE ${quoteName(database)}` });
  } catch (cause) {
    await client.close();
    throw new VigilError('VIGIL_SINK_WRITE', `cannot create database ${database} in ${absolute}: ${message(cause)}`, {
      retryable: false,
      cause,
    });
  }
  return client;
}

async function openServer(config: Extract<ClickHouseConfig, { mode: 'server' }>): Promise<ClickHouseClient> {
  const credentials = { url: config.url, username: config.user, password: config.password, log: QUIET };
  const bootstrap = createClient(credentials);
  try {
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteName(config.database)}` });
  } catch (cause) {
    // Never echo the URL: it may carry credentials.
    throw new VigilError('VIGIL_SINK_WRITE', `cannot reach ClickHouse server to create database ${config.database}: ${message(cause)}`, {
      retryable: true,
      cause,
    });
  } finally {
    await bootstrap.close();
  }
  return createClient({ ...credentials, database: config.database });
}

/**
 * A client for user-written SQL as the server's dedicated read-only user, when the configuration
 * names one (server only; the embedded engine has no users). It creates nothing: the database
 * exists once the stages' own client is open.
 */
export function openQueryClient(config: ClickHouseConfig): ClickHouseClient | undefined {
  if (config.mode !== 'server' || config.queryUser === undefined) return undefined;
  return createClient({ url: config.url, username: config.queryUser.user, password: config.queryUser.password, database: config.database, log: QUIET });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
