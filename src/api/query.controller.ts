import { Body, Controller, HttpCode, Inject, type OnModuleDestroy, Post, ServiceUnavailableException } from '@nestjs/common';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import { openQueryClient, type ClickHouseClient } from '../sink/clickhouse.client.js';
import { QUERY_FORMATS, runReadOnlyQuery, type QueryFormat } from '../sink/query.service.js';

/**
 * POST /query {"sql": "...", "format"?: "JSONEachRow"|"TabSeparatedWithNames"|"CSVWithNames", "maxRows"?: n}:
 * read-only SQL against the ClickHouse this process owns. With the embedded engine only one
 * process may open the data directory, so `vigil query` comes here while Vigil runs.
 */
@Controller('query')
export class QueryController implements OnModuleDestroy {
  /** On a server with CLICKHOUSE_QUERY_USER set: user SQL runs as that read-only user. */
  private readonly reader: ClickHouseClient | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.reader = openQueryClient(core.config.clickhouse);
  }

  async onModuleDestroy(): Promise<void> {
    await this.reader?.close();
  }

  @Post()
  @HttpCode(200)
  async query(@Body() body: { sql?: unknown; maxRows?: unknown; format?: unknown }) {
    const client = this.reader ?? this.core.clickhouse;
    if (!client) throw new ServiceUnavailableException('ClickHouse is not open in this process');
    const format = QUERY_FORMATS.find((f) => f === body?.format) ?? ('JSONEachRow' satisfies QueryFormat);
    return runReadOnlyQuery(client, typeof body?.sql === 'string' ? body.sql : '', {
      format,
      maxRows: typeof body?.maxRows === 'number' ? body.maxRows : 10_000,
      serverReadOnly: this.core.config.clickhouse.mode === 'server',
      readOnlyUser: this.reader !== undefined,
    });
  }
}
