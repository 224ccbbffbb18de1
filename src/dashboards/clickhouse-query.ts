import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { CLICKHOUSE_DATASOURCE } from './clickhouse.datasource.js';

/** The plugin's result formats: 0 turns long rows into time series (needs a time column), 1 is a plain table. */
export const QueryFormat = { TimeSeries: 0, Table: 1 } as const;
export type QueryFormat = (typeof QueryFormat)[keyof typeof QueryFormat];

/**
 * A grafana-clickhouse-datasource (v4) SQL-editor query. The SDK ships no ClickHouse query type,
 * so this implements its dataquery interface with the fields the plugin reads.
 */
export interface ClickHouseQuery extends Dataquery {
  refId: string;
  datasource: DataSourceRef;
  editorType: 'sql';
  queryType: 'timeseries' | 'table';
  format: QueryFormat;
  rawSql: string;
}

export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private readonly query: ClickHouseQuery;

  constructor(rawSql: string, format: QueryFormat) {
    this.query = {
      refId: 'A',
      datasource: CLICKHOUSE_DATASOURCE,
      editorType: 'sql',
      queryType: format === QueryFormat.TimeSeries ? 'timeseries' : 'table',
      format,
      rawSql,
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.query.refId = refId;
    return this;
  }

  build(): ClickHouseQuery {
    return this.query;
  }
}

export function isClickHouseQuery(query: unknown): query is ClickHouseQuery {
  return typeof query === 'object' && query !== null && typeof (query as ClickHouseQuery).rawSql === 'string';
}
