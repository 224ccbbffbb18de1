import { VigilError } from '../errors/vigil-error.js';
import type { Alert, EventSource, FieldValue, Finding, VigilEvent } from '../runtime/records.js';
import type { FieldSpec } from '../templates/template.schema.js';
import { toDateTime64 } from './datetime64.js';

/**
 * Records to plain JSONEachRow rows, column for column with the DDL in ddl/. Pure; a value that
 * cannot go into its column throws VIGIL_EVENT_SCHEMA (the batcher turns that into a reject),
 * because inserting it would either fail the whole batch or, worse, be coerced to a default.
 * Times become 'YYYY-MM-DD hh:mm:ss.sss' UTC strings (see datetime64.ts); offsets stay strings
 * so UInt64 keeps full precision.
 */

export type RowValue = string | number | boolean | null | readonly string[] | Readonly<Record<string, number>>;
export type Row = Readonly<Record<string, RowValue>>;

export function lineage(source: EventSource): Row {
  return { _topic: source.topic, _partition: source.partition, _offset: source.offset };
}

/**
 * An event row for the template's events table. `fields` is the template's `event.fields`: only
 * those are written (extra fields on the event are not columns), each checked against its type.
 */
export function eventRow(event: VigilEvent, raw: string, fields: Readonly<Record<string, FieldSpec>>): Row {
  const row: Record<string, RowValue> = {
    event_id: event.id,
    event_time: time(event.time, 'event time'),
    event_key: event.key,
  };
  for (const [name, spec] of Object.entries(fields)) {
    row[name] = fieldValue(name, spec, event.fields[name]);
  }
  row.raw = raw;
  return { ...row, ...lineage(event.source) };
}

export function findingRow(finding: Finding, source: EventSource): Row {
  return {
    id: finding.id,
    template: finding.template,
    detector: finding.detector,
    detector_type: finding.detector_type,
    detector_version: finding.detector_version,
    entity: finding.entity,
    severity: finding.severity,
    kind: finding.kind,
    title: finding.title,
    score: finding.score,
    time: time(finding.time, 'time'),
    window_start: time(finding.window_start, 'window_start'),
    window_end: time(finding.window_end, 'window_end'),
    values: finding.values,
    thresholds: finding.thresholds,
    event_ids: finding.event_ids,
    trigger_event_id: finding.trigger_event_id,
    ...lineage(source),
  };
}

export function alertRow(alert: Alert, source: EventSource): Row {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    template: alert.template,
    detector: alert.finding.detector,
    entity: alert.finding.entity,
    severity: alert.finding.severity,
    title: alert.finding.title,
    time: time(alert.finding.time, 'finding.time'),
    created_at: time(alert.created_at, 'created_at'),
    finding: JSON.stringify(alert.finding),
    ...lineage(source),
  };
}

function fieldValue(name: string, spec: Pick<FieldSpec, 'type' | 'required'>, value: FieldValue | undefined): RowValue {
  if (value === undefined || value === null) {
    if (spec.type === 'string[]') return [];
    if (spec.required) throw invalid(`field ${name} is required`);
    return null;
  }
  switch (spec.type) {
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'timestamp':
      if (typeof value === 'number') return time(value, `field ${name}`);
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return time(Date.parse(value), `field ${name}`);
      break;
    case 'string[]':
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
      break;
  }
  throw invalid(`field ${name}: expected ${spec.type}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
}

function time(ms: number, what: string): string {
  try {
    return toDateTime64(ms);
  } catch (error) {
    throw invalid(`${what}: ${(error as Error).message}`);
  }
}

function invalid(message: string): VigilError {
  return new VigilError('VIGIL_EVENT_SCHEMA', message);
}
