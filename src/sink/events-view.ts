import type { ClickHouseClient } from '@clickhouse/client';
import { describeError, VigilError } from '../errors/vigil-error.js';
import type { Template } from '../model/template/template.schema.js';
import { EVENTS_VIEW } from '../model/core-tables.js';
import { qualifiedTable } from './identifiers.js';

export { EVENTS_VIEW };

/**
 * Creates or replaces the view `events` over the template's events table (finance:
 * finance_transactions), at start-up like the template's own views. The last template started in a
 * database owns it. Left alone when the template's table or one of its views is itself named
 * `events`. Returns whether the view was made.
 */
export async function ensureEventsView(client: ClickHouseClient, database: string, template: Template): Promise<boolean> {
  if (template.tables.events === EVENTS_VIEW || EVENTS_VIEW in template.tables.views) return false;
  const query = `CREATE OR REPLACE VIEW ${qualifiedTable(database, EVENTS_VIEW)} AS SELECT * FROM ${qualifiedTable(database, template.tables.events)}`;
  try {
    await client.command({ query });
  } catch (cause) {
    throw new VigilError('VIGIL_SINK_MIGRATION', `template ${template.name}: view ${EVENTS_VIEW} over ${template.tables.events}: ClickHouse refused it: ${describeError(cause)}`, { cause });
  }
  return true;
}
