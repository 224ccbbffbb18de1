import { VigilError } from '../../errors/vigil-error.js';
import type { FieldSpec, FieldType, Template } from '../../model/template/template.schema.js';
import { CORE_TABLES, qualifiedTable, quoteName } from '../identifiers.js';
import { LINEAGE_COLUMNS, LINEAGE_PROJECTION, TABLE_SETTINGS, ttlClause } from './table-parts.js';

/**
 * A template's events table, generated from `template.event.fields`: the fixed columns below, one
 * column per field, then lineage. Optional fields are Nullable, except string[] (ClickHouse has no
 * Nullable(Array)): a missing list is stored as [].
 *
 * Sorting key: dashboards mostly ask "this template, this time range" and sometimes "this entity";
 * (hour, key, time) prunes by time first and keeps an entity's rows together within each hour,
 * and a bloom filter on event_key serves entity look-ups across long ranges. event_id has one too,
 * for fetching the events a finding names.
 */

/** Names the table itself uses; a template field with one of these names is refused. */
export const EVENT_FIXED_COLUMNS = ['event_id', 'event_time', 'event_key', 'raw', 'inserted_at'] as const;

const BASE_TYPES: Record<FieldType, string> = {
  string: 'String',
  number: 'Float64',
  integer: 'Int64',
  boolean: 'Bool',
  timestamp: "DateTime64(3, 'UTC')",
  'string[]': 'Array(String)',
};

export interface EventColumn {
  readonly name: string;
  /** As ClickHouse prints it in system.columns, so it can be compared with what exists. */
  readonly type: string;
}

export function fieldColumnType(spec: Pick<FieldSpec, 'type' | 'required'>): string {
  const base = BASE_TYPES[spec.type];
  return spec.required || spec.type === 'string[]' ? base : `Nullable(${base})`;
}

/** The field columns, in template order; throws VIGIL_TEMPLATE_INVALID on a clash with our names. */
export function eventFieldColumns(template: Template): EventColumn[] {
  assertEventsTableName(template);
  return Object.entries(template.event.fields).map(([name, spec]) => {
    if ((EVENT_FIXED_COLUMNS as readonly string[]).includes(name) || name.startsWith('_')) {
      throw new VigilError(
        'VIGIL_TEMPLATE_INVALID',
        `template ${template.name}: event.fields.${name}: name is reserved for the events table (${EVENT_FIXED_COLUMNS.join(', ')})`,
      );
    }
    return { name, type: fieldColumnType(spec) };
  });
}

/** CREATE TABLE IF NOT EXISTS for the template's events table (idempotent; see events-table.ts for changes). */
export function templateEventsTable(template: Template, database: string): string {
  const fields = eventFieldColumns(template).map((column) => `${quoteName(column.name)} ${column.type}`);
  const columns = [
    '`event_id` String',
    "`event_time` DateTime64(3, 'UTC')",
    '`event_key` String',
    ...fields,
    '`raw` String',
    ...LINEAGE_COLUMNS,
    'INDEX `event_key_bloom` `event_key` TYPE bloom_filter GRANULARITY 4',
    'INDEX `event_id_bloom` `event_id` TYPE bloom_filter GRANULARITY 4',
    LINEAGE_PROJECTION,
  ];
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, template.tables.events)} (
  ${columns.join(',\n  ')}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(\`event_time\`)
ORDER BY (toStartOfHour(\`event_time\`), \`event_key\`, \`event_time\`)
${ttlClause('event_time', template.tables.ttl)}
${TABLE_SETTINGS}`;
}

function assertEventsTableName(template: Template): void {
  if ((CORE_TABLES as readonly string[]).includes(template.tables.events)) {
    throw new VigilError(
      'VIGIL_TEMPLATE_INVALID',
      `template ${template.name}: tables.events: "${template.tables.events}" is a Vigil table (${CORE_TABLES.join(', ')})`,
    );
  }
}
