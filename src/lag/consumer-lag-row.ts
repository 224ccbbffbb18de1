import type { Row } from '../sink/row-mappers.js';
import { toDateTime64 } from '../sink/datetime64.js';
import type { PartitionLag } from './consumer-lag.js';

/** The columns of consumerLagRow's rows (table consumer_lag, ddl/consumer-lag.ddl.ts). */
export const CONSUMER_LAG_COLUMNS = ['time', 'template', 'consumer_group', 'stage', 'topic', 'partition', 'committed_offset', 'end_offset', 'lag'] as const;

/** Offsets go as text: Int64/UInt64 beyond 2^53 would lose precision as JSON numbers. */
export function consumerLagRow(template: string, sampledAt: number, lag: PartitionLag): Row {
  return [
    toDateTime64(sampledAt),
    template,
    lag.group,
    lag.stage,
    lag.topic,
    lag.partition,
    String(lag.committed),
    String(lag.end),
    String(lag.lag),
  ];
}
