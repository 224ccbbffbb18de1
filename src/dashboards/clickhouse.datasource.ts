import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/**
 * The ClickHouse datasource every panel queries. The uid is fixed by the provisioning file
 * (deploy/grafana/provisioning/datasources/clickhouse.yaml), so provisioned dashboards resolve it
 * without a datasource variable.
 */
export const CLICKHOUSE_DATASOURCE: DataSourceRef = { type: 'grafana-clickhouse-datasource', uid: 'clickhouse' };
