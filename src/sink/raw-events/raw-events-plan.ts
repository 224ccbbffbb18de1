import type { FieldSpec, Template } from '../../model/template/template.schema.js';
import { JSON_FORMAT, type SourceFormat } from '../../model/source-format.js';
import { EPOCH_SECONDS_BELOW } from '../../runtime/event-decoder.js';
import { eventColumns } from '../row-mappers.js';
import { isSafeName, qualifiedTable, quoteName } from '../identifiers.js';

/**
 * The raw path of a template's events table: the sink hands the Kafka values to the embedded
 * engine as they are and the engine extracts the columns, instead of JSON.parse, EventDecoder,
 * eventRow and JSON.stringify per event in JS (docs/performance.md, "Sink: raw message bytes").
 *
 * Exactness rests on a conservative acceptance predicate (`ok`): the engine stores a row only when
 * every mapped value has the one JSON type whose extraction provably equals what EventDecoder and
 * eventRow make of it; every other message is "left over" and goes through the JS decoder, which
 * stores or rejects it exactly as before. So the raw path never decides that a message is invalid,
 * and the JS path's semantics (numeric strings, epoch seconds, Date.parse, `''` as missing...) need
 * no re-implementation in SQL. The property test (raw-events.int-spec.ts) compares both paths.
 *
 * One parse per row: the document is extracted once into a Tuple whose leaves are Dynamic (the
 * JSON type of each value survives) and whose inner objects are Map(String, Dynamic): a Map keeps
 * duplicate keys, which JSON.parse resolves to the last and the engine to the first, so they can
 * be refused, and it is empty for anything but an object, as readPath finds nothing in an array or
 * a scalar. The root's keys are read once more for its own duplicates.
 */
export interface RawEventsPlan {
  readonly table: string;
  /** The columns of the staging table rows the sink sends (TSV, see raw-frame.ts), in order. */
  readonly stagingColumns: readonly string[];
  /** CREATE (or replace) the Memory staging table with the extraction as MATERIALIZED columns. */
  readonly createStaging: readonly string[];
  readonly staging: string;
  /** INSERT … SELECT of the accepted rows into the events table; `{token}` is the insert's dedup token. */
  insertAccepted(token: string): string;
  /** `partition:offset` of the staged rows the JS decoder must handle (a grouped insert spans partitions). */
  readonly selectLeftovers: string;
  readonly truncateStaging: string;
  /** Settings of the staging insert: JSON type inference that keeps every string a String. */
  readonly stagingSettings: Readonly<Record<string, number>>;
}

/** Why a template's events go through the JS path instead, or undefined when the raw path applies. */
export function rawPathRefusal(template: Template, format: SourceFormat = JSON_FORMAT): string | undefined {
  if (format !== JSON_FORMAT && format.name !== JSON_FORMAT.name) return `event.format ${format.name} is a JS normalisation`;
  const { fields, id, key, time } = template.event;
  const paths = new Map<string, string>();
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.pseudonymize) return `field ${name} is pseudonymised`;
    if (!RAW_TYPES.has(spec.type)) return `field ${name} is ${spec.type}`;
    const segments = (spec.from ?? name).split('.');
    if (segments.length > 2 || !segments.every(isSafeName)) return `field ${name}: path ${spec.from ?? name} is deeper than two plain names`;
    paths.set(segments.join('.'), name);
  }
  for (const path of paths.keys()) {
    if (path.includes('.') && paths.has(path.split('.')[0]!)) return `path ${path} is inside another field's value`;
  }
  if (id !== undefined && !['string', 'integer'].includes(fields[id]!.type)) return `event id ${id} is ${fields[id]!.type}`;
  if (!['string', 'integer'].includes(fields[key]!.type)) return `event key ${key} is ${fields[key]!.type}`;
  if (fields[time]!.type !== 'timestamp') return `event time ${time} is ${fields[time]!.type}`;
  return undefined;
}

const RAW_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'timestamp']);

/** DateTime64 range the JS path accepts (datetime64.ts). */
const MIN_MS = Date.UTC(1900, 0, 1);
const MAX_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Only for a template rawPathRefusal accepts. `topic` is the events topic (the lineage column). */
export function rawEventsPlan(template: Template, database: string, topic: string): RawEventsPlan {
  const refusal = rawPathRefusal(template);
  if (refusal !== undefined) throw new Error(`raw path does not apply: ${refusal}`);
  const { fields, id, key, time, maxFutureSkew } = template.event;
  const table = template.tables.events;
  const staging = `_vigil_raw_${table}`;
  if (!isSafeName(staging)) throw new Error(`unsafe staging table name ${staging}`);

  // The extraction type: top-level leaves Dynamic, inner objects Map(String, Dynamic).
  const top = new Map<string, Set<string> | 'leaf'>();
  for (const [name, spec] of Object.entries(fields)) {
    const [first, second] = (spec.from ?? name).split('.') as [string, string | undefined];
    if (second === undefined) top.set(first, 'leaf');
    else {
      const children = top.get(first);
      if (children instanceof Set) children.add(second);
      else top.set(first, new Set([second]));
    }
  }
  const tupleType = `Tuple(${[...top].map(([k, v]) => `${quoteName(k)} ${v === 'leaf' ? 'Dynamic' : 'Map(String, Dynamic)'}`).join(', ')})`;
  const leaf = (spec: FieldSpec, name: string): string => {
    const [first, second] = (spec.from ?? name).split('.') as [string, string | undefined];
    return second === undefined ? `t.${quoteName(first)}` : `t.${quoteName(first)}[${sqlString(second)}]`;
  };
  const objects = [...top].filter(([, v]) => v !== 'leaf').map(([k]) => k);

  const columns: string[] = [];
  const checks: string[] = [
    'isValidUTF8(raw)',
    "JSONType(raw) = 'Object'",
    'length(root_keys) = length(arrayDistinct(root_keys))',
    ...objects.map((o) => `length(mapKeys(t.${quoteName(o)})) = length(arrayDistinct(mapKeys(t.${quoteName(o)})))`),
  ];
  const value = new Map<string, string>();
  for (const [name, spec] of Object.entries(fields)) {
    const v = leaf(spec, name);
    const col = `f_${name}`;
    const f = fieldExtraction(v, spec);
    columns.push(`${quoteName(`${col}_ok`)} Bool MATERIALIZED ${f.ok}`);
    columns.push(`${quoteName(col)} ${f.type} MATERIALIZED ${f.value}`);
    checks.push(quoteName(`${col}_ok`));
    value.set(name, quoteName(col));
  }
  const timeMs = `toUnixTimestamp64Milli(${value.get(time)!})`;
  // The decoder's checks beyond the fields: event time and key present, time not too far ahead.
  checks.push(`${value.get(time)!} IS NOT NULL`, `${value.get(key)!} IS NOT NULL`);
  checks.push(`(_ts <= 0 OR ${timeMs} <= _ts + ${Math.floor(maxFutureSkew)})`);

  const asText = (name: string) => (fields[name]!.type === 'string' ? value.get(name)! : `toString(${value.get(name)!})`);
  const fallbackId = `concat(${sqlString(topic)}, '-', toString(_partition), '-', toString(_offset))`;
  const eventId = id === undefined ? fallbackId : `ifNull(${asText(id)}, ${fallbackId})`;
  const select = [eventId, `assumeNotNull(${value.get(time)!})`, `assumeNotNull(${asText(key)})`];
  for (const [name, spec] of Object.entries(fields)) select.push(spec.required ? `assumeNotNull(${value.get(name)!})` : value.get(name)!);
  select.push('raw', sqlString(topic), '_partition', '_offset');

  const qualifiedStaging = qualifiedTable(database, staging);
  const createStaging = [
    `DROP TABLE IF EXISTS ${qualifiedStaging}`,
    `CREATE TABLE ${qualifiedStaging} (
  raw String, _partition UInt32, _offset UInt64, _ts Int64,
  t ${tupleType} MATERIALIZED JSONExtract(raw, ${sqlString(tupleType)}),
  root_keys Array(String) MATERIALIZED JSONExtractKeys(raw),
  ${columns.join(',\n  ')},
  ok Bool MATERIALIZED ifNull(${checks.join(' AND ')}, false)
) ENGINE = Memory`,
  ];
  const target = qualifiedTable(database, table);
  const targetColumns = eventColumns(fields).map(quoteName).join(', ');
  return {
    table,
    staging,
    stagingColumns: ['raw', '_partition', '_offset', '_ts'],
    createStaging,
    insertAccepted: (token) =>
      `INSERT INTO ${target} (${targetColumns}) SETTINGS insert_deduplicate = 1, async_insert = 0, insert_deduplication_token = ${sqlString(token)} SELECT ${select.join(', ')} FROM ${qualifiedStaging} WHERE ok`,
    selectLeftovers: `SELECT concat(toString(_partition), ':', toString(_offset)) FROM ${qualifiedStaging} WHERE NOT ok`,
    truncateStaging: `TRUNCATE TABLE ${qualifiedStaging}`,
    stagingSettings: {
      async_insert: 0,
      input_format_try_infer_dates: 0,
      input_format_try_infer_datetimes: 0,
      input_format_json_try_infer_numbers_from_strings: 0,
      input_format_json_read_numbers_as_strings: 0,
      input_format_json_read_bools_as_strings: 0,
      input_format_try_infer_integers: 1,
    },
  };
}

interface Extraction {
  readonly type: string;
  /** The column value, NULL when missing. */
  readonly value: string;
  /** True when the value is provably what the JS path stores (or missing where that is allowed). */
  readonly ok: string;
}

/**
 * One field: `v` is its Dynamic leaf. Missing is JSON null, absent, or '' (EventDecoder's rule);
 * present is only the JSON type listed per field type, anything else is left to the JS path.
 */
function fieldExtraction(v: string, spec: FieldSpec): Extraction {
  const type = `dynamicType(${v})`;
  const str = `dynamicElement(${v}, 'String')`;
  const int = `dynamicElement(${v}, 'Int64')`;
  const missing = `(${type} = 'None' OR (${type} = 'String' AND ${str} = ''))`;
  const withMissing = (present: string, value: string, columnType: string): Extraction => ({
    type: `Nullable(${columnType})`,
    value: `if(${present}, ${value}, NULL)`,
    // NULL (a failed parse) is not acceptance.
    ok: `ifNull(${spec.required ? `(${present})` : `((${present}) OR ${missing})`}, false)`,
  });
  switch (spec.type) {
    case 'string':
      return withMissing(`${type} = 'String' AND ${str} != ''`, str, 'String');
    case 'number':
      // `+ 0` turns -0 into 0, as JSON.stringify does on the JS path.
      return withMissing(`${type} IN ('Int64', 'Float64')`, `if(${type} = 'Int64', toFloat64(${int}), dynamicElement(${v}, 'Float64') + 0)`, 'Float64');
    case 'integer':
      return withMissing(`${type} = 'Int64' AND abs(${int}) <= ${MAX_SAFE}`, int, 'Int64');
    case 'boolean':
      return withMissing(`${type} = 'Bool'`, `dynamicElement(${v}, 'Bool')`, 'Bool');
    case 'timestamp': {
      // Epoch ms, or epoch seconds below 1e11 (EventDecoder); bounded first so `* 1000` cannot overflow.
      const ms = `if(${int} < ${EPOCH_SECONDS_BELOW}, ${int} * 1000, ${int})`;
      const intOk = `(${type} = 'Int64' AND ${int} BETWEEN -100000000000 AND 100000000000000 AND ${ms} BETWEEN ${MIN_MS} AND ${MAX_MS})`;
      // Only the two ISO forms the decoder's fast path reads, and only when the engine's parse
      // formats back to the same text (so no calendar roll-over or lenient parse slips through).
      const parsed = `parseDateTime64BestEffortOrNull(${str}, 3, 'UTC')`;
      const iso = `(${type} = 'String' AND match(${str}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{3})?Z$')
        AND substring(formatDateTime(${parsed}, '%Y-%m-%dT%H:%i:%S.%f'), 1, 23) = if(length(${str}) = 20, concat(substring(${str}, 1, 19), '.000'), substring(${str}, 1, 23))
        AND toUnixTimestamp64Milli(${parsed}) BETWEEN ${MIN_MS} AND ${MAX_MS})`;
      const value = `if(${type} = 'Int64', fromUnixTimestamp64Milli(${ms}, 'UTC'), ${parsed})`;
      return withMissing(`${intOk} OR ${iso}`, value, "DateTime64(3, 'UTC')");
    }
    default:
      throw new Error(`raw path has no extraction for ${spec.type}`);
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
