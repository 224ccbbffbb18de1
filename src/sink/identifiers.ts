import { VigilError } from '../errors/vigil-error.js';

/**
 * Names Vigil puts into SQL text. Database, table and column names cannot be query parameters in
 * DDL, so every name is checked against a strict pattern and back-quoted before it is spliced in.
 */

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export { CORE_TABLES } from '../model/core-tables.js';

export function isSafeName(name: string): boolean {
  return NAME.test(name);
}

/** `name` back-quoted; throws for anything but a plain identifier (no quoting games). */
export function quoteName(name: string): string {
  if (!isSafeName(name)) {
    throw new VigilError('VIGIL_SINK_WRITE', `unsafe ClickHouse identifier ${JSON.stringify(name)}`);
  }
  return `\`${name}\``;
}

/**
 * `database`.`table`. The sink always qualifies names: the chdb connection ignores the client's
 * `database` option, and a qualified name means the same thing on chdb and on a server.
 */
export function qualifiedTable(database: string, table: string): string {
  return `${quoteName(database)}.${quoteName(table)}`;
}
