import type { ClickHouseClient } from '@clickhouse/client';
import { describeError, VigilError } from '../errors/vigil-error.js';
import type { Template } from '../model/template/template.schema.js';
import { qualifiedTable, quoteName } from './identifiers.js';

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

/**
 * A view's query with its placeholders filled: `{template}` becomes the template's name as a
 * string literal, `{events}` its events table, and any other `{name}` the table or view `name` of
 * Vigil's database, always qualified (chdb ignores a session database; see identifiers.ts).
 */
export function viewQuery(template: Template, database: string, query: string): string {
  return query.replace(PLACEHOLDER, (_match, name: string) => {
    if (name === 'template') return `'${template.name}'`;
    return qualifiedTable(database, name === 'events' ? template.tables.events : name);
  });
}

/**
 * Creates or replaces the template's views (`tables.views`), in template order so a view may read
 * an earlier one. Replacing is idempotent and keeps no data, so a changed query just takes effect.
 */
export async function ensureTemplateViews(client: ClickHouseClient, database: string, template: Template): Promise<string[]> {
  const created: string[] = [];
  for (const [name, view] of Object.entries(template.tables.views)) {
    const query = `CREATE OR REPLACE VIEW ${qualifiedTable(database, name)} AS\n${viewQuery(template, database, view.query)}`;
    try {
      await client.command({ query });
    } catch (cause) {
      throw new VigilError('VIGIL_SINK_MIGRATION', `template ${template.name}: tables.views.${quoteName(name).slice(1, -1)}: ClickHouse refused the view: ${describeError(cause)}`, {
        cause,
      });
    }
    created.push(name);
  }
  return created;
}
