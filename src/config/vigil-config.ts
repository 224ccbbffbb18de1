import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ApiAuthConfig } from './api-auth.config.js';
import { parseApiTokens, type ApiToken } from './api-tokens.js';
import { VigilError } from '../errors/vigil-error.js';

/**
 * The environment, parsed once. Nothing else in Vigil reads process.env (templates substitute
 * ${VARS} through the environment passed to their loader), so every setting is listed here and in
 * the README's configuration table.
 */
const environmentSchema = z.object({
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_CLIENT_ID: z.string().default('vigil'),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  /** A server's read-only user for POST /query and `vigil query` (deploy/clickhouse/users.d/vigil-reader.xml). */
  CLICKHOUSE_QUERY_USER: z.string().min(1).optional(),
  CLICKHOUSE_QUERY_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).default('vigil'),
  VIGIL_DATA_DIR: z.string().default('./data'),
  VIGIL_TEMPLATES_DIR: z.string().default('./templates'),
  VIGIL_API_HOST: z.string().default('127.0.0.1'),
  // 8080 everywhere (here and in Compose): Grafana has 3000.
  VIGIL_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  VIGIL_API_URL: z.url().optional(),
  VIGIL_API_TOKENS: z.string().optional(),
  VIGIL_API_TOKENS_FILE: z.string().optional(),
  VIGIL_API_TOKEN: z.string().optional(),
  VIGIL_METRICS_PUBLIC: z.enum(['true', 'false', '1', '0']).default('false'),
  VIGIL_API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  VIGIL_API_BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  VIGIL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  VIGIL_KAFKA_CACHE: z.string().optional(),
  VIGIL_SINK_BATCH_ROWS: z.coerce.number().int().min(1).default(10_000),
  VIGIL_WEBHOOK_SECRET: z.string().optional(),
  // Every insert is a part ClickHouse writes and then merges. Fewer, larger inserts cost the sink
  // less CPU, which alerts get instead (they do not wait for the sink); beyond a second the saving
  // is small (docs/performance.md). Dashboards are up to a second behind, as by their refresh anyway.
  VIGIL_SINK_FLUSH_MS: z.coerce.number().int().min(1).default(1000),
  // A process running the sink without detect or notify lowers its CPU priority to this nice
  // value (0: not at all): inserts can wait a little, alerts should not. On a busy machine the
  // alerts' tail latency drops while the sink's CPU does not (it still gets every idle cycle) and
  // every event is still committed shortly after the load ends (docs/performance.md).
  VIGIL_SINK_NICE: z.coerce.number().int().min(0).max(19).default(10),
  // `auto`: the embedded engine extracts the events table's columns from the raw Kafka values
  // where the template allows it (sink-routes.ts); `off`: always the JS decoder (for comparison).
  VIGIL_SINK_RAW: z.enum(['auto', 'off']).default('auto'),
  VIGIL_LAG_SAMPLE_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 100, 'expected 0 (off) or at least 100')
    .default(15_000),
  VIGIL_GRAFANA_URL: z.url().default('http://localhost:3000'),
  // Read by the embedded engine's allocator itself when the library loads, not through this
  // config; listed so it is documented with the rest. engine-allocator.ts sets its default.
  JE_MALLOC_CONF: z.string().optional(),
});

/** Every environment variable Vigil reads; the README's configuration table and docker-compose.yml are checked against it. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export interface VigilConfig {
  /** Undefined means: start a local broker from the official jars (dev and tests). */
  readonly kafkaBrokers: readonly string[] | undefined;
  readonly kafkaClientId: string;
  /** How long the group waits for a member that stopped heartbeating (crashed) before moving its partitions. */
  readonly kafkaSessionTimeoutMs: number;
  readonly clickhouse: ClickHouseConfig;
  readonly dataDir: string;
  readonly templatesDir: string;
  readonly api: {
    readonly host: string;
    readonly port: number;
    readonly url: string;
    /**
     * VIGIL_API_URL was set: the user named the API the CLI talks to. Otherwise the CLI guesses a
     * local one on VIGIL_API_PORT, and `vigil query` first checks that it serves the CLI's data.
     */
    readonly urlNamed: boolean;
    readonly auth: ApiAuthConfig;
    /** The token the CLI sends to a running Vigil's API (VIGIL_API_TOKEN). */
    readonly clientToken: string | undefined;
  };
  readonly logLevel: string;
  /** Where the Kafka jars are cached. */
  readonly kafkaCacheDir: string;
  readonly sink: { readonly batchRows: number; readonly flushMs: number; readonly nice: number; readonly raw: 'auto' | 'off' };
  /** How often consumer-group lag is sampled into consumer_lag (0: never); see lag/lag-recorder.ts. */
  readonly lagSampleMs: number;
  /** The environment templates substitute `${VAR}` from (receiver URLs, secrets). */
  readonly templateEnv: Readonly<Record<string, string | undefined>>;
  /** Secret `vigil receiver` verifies signatures with (templates read it through ${VIGIL_WEBHOOK_SECRET}). */
  readonly webhookSecret: string | undefined;
  /** Grafana base URL for alerts' dashboard links (no trailing slash). */
  readonly grafanaUrl: string;
}

export type ClickHouseConfig =
  | {
      readonly mode: 'server';
      readonly url: string;
      readonly user: string;
      readonly password: string;
      readonly database: string;
      /** The user user-written SQL runs as, when set: read-only by the server's own grants. */
      readonly queryUser?: { readonly user: string; readonly password: string };
    }
  | { readonly mode: 'embedded'; readonly path: string; readonly database: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new VigilError('VIGIL_CONFIG_INVALID', `invalid environment: ${issues}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.VIGIL_DATA_DIR);
  const brokers = e.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  return {
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    kafkaClientId: e.KAFKA_CLIENT_ID,
    kafkaSessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    clickhouse: e.CLICKHOUSE_URL
      ? {
          mode: 'server',
          url: e.CLICKHOUSE_URL,
          user: e.CLICKHOUSE_USER,
          password: e.CLICKHOUSE_PASSWORD,
          database: e.CLICKHOUSE_DATABASE,
          ...(e.CLICKHOUSE_QUERY_USER === undefined ? {} : { queryUser: { user: e.CLICKHOUSE_QUERY_USER, password: e.CLICKHOUSE_QUERY_PASSWORD } }),
        }
      : { mode: 'embedded', path: path.join(dataDir, 'clickhouse'), database: e.CLICKHOUSE_DATABASE },
    dataDir,
    templatesDir: path.resolve(e.VIGIL_TEMPLATES_DIR),
    api: {
      host: e.VIGIL_API_HOST,
      port: e.VIGIL_API_PORT,
      url: e.VIGIL_API_URL ?? `http://127.0.0.1:${e.VIGIL_API_PORT}`,
      urlNamed: e.VIGIL_API_URL !== undefined,
      auth: {
        tokens: apiTokens(e.VIGIL_API_TOKENS, e.VIGIL_API_TOKENS_FILE),
        metricsPublic: e.VIGIL_METRICS_PUBLIC === 'true' || e.VIGIL_METRICS_PUBLIC === '1',
        ratePerMinute: e.VIGIL_API_RATE_LIMIT,
        bodyLimitBytes: e.VIGIL_API_BODY_LIMIT,
      },
      clientToken: e.VIGIL_API_TOKEN?.trim() || undefined,
    },
    logLevel: e.VIGIL_LOG_LEVEL,
    kafkaCacheDir: path.resolve(e.VIGIL_KAFKA_CACHE ?? path.join(env.HOME ?? '.', '.cache', 'vigil')),
    sink: { batchRows: e.VIGIL_SINK_BATCH_ROWS, flushMs: e.VIGIL_SINK_FLUSH_MS, nice: e.VIGIL_SINK_NICE, raw: e.VIGIL_SINK_RAW },
    lagSampleMs: e.VIGIL_LAG_SAMPLE_MS,
    templateEnv: { ...env },
    webhookSecret: e.VIGIL_WEBHOOK_SECRET,
    grafanaUrl: e.VIGIL_GRAFANA_URL.replace(/\/+$/, ''),
  };
}

/** Tokens from the variable and from the file it names (a Docker secret), together. */
function apiTokens(inline: string | undefined, file: string | undefined): ApiToken[] {
  const tokens = inline ? parseApiTokens(inline, 'VIGIL_API_TOKENS') : [];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new VigilError('VIGIL_CONFIG_INVALID', `VIGIL_API_TOKENS_FILE: cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
    }
    tokens.push(...parseApiTokens(text, `VIGIL_API_TOKENS_FILE (${file})`));
  }
  return tokens;
}
