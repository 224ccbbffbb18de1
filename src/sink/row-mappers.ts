import { VigilError } from '../errors/vigil-error.js';
import type { AuditRecord } from '../model/audit-record.js';
import type { DeliveryRecord } from '../model/delivery-record.js';
import type { Alert, EventSource, FeedbackLabel, FieldValue, Finding, VigilEvent } from '../model/records.js';
import type { FieldSpec } from '../model/template/template.schema.js';
import { toDateTime64 } from './datetime64.js';

/**
 * Records to rows for JSONCompactEachRow: each row is an array of values in the order of its
 * table's column list (FINDING_COLUMNS, ALERT_COLUMNS, eventColumns), which the insert names, so
 * the DDL's column order does not matter and `inserted_at` takes its default. Pure; a value that
 * cannot go into its column throws VIGIL_EVENT_SCHEMA (the batcher turns that into a reject),
 * because inserting it would either fail the whole batch or, worse, be coerced to a default.
 * Times become 'YYYY-MM-DD hh:mm:ss.sss' UTC strings (see datetime64.ts); offsets stay strings
 * so UInt64 keeps full precision. Every row ends with its lineage (`_topic`, `_partition`,
 * `_offset`: see clickhouse.sink.ts).
 */

export type RowValue = string | number | boolean | null | readonly string[] | Readonly<Record<string, number>> | Readonly<Record<string, string>>;
/** One row, values in the order of its column list. */
export type Row = readonly RowValue[];

const LINEAGE = ['_topic', '_partition', '_offset'] as const;
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export const FINDING_COLUMNS = [
  'id',
  'template',
  'detector',
  'detector_type',
  'detector_version',
  'entity',
  'severity',
  'kind',
  'title',
  'score',
  'time',
  'window_start',
  'window_end',
  'values',
  'thresholds',
  'event_ids',
  'trigger_event_id',
  'labels',
  ...LINEAGE,
] as const;

export const ALERT_COLUMNS = [
  'id',
  'fingerprint',
  'template',
  'detector',
  'entity',
  'severity',
  'title',
  'time',
  'created_at',
  'finding',
  'labels',
  ...LINEAGE,
] as const;

/** The columns of eventRow's rows: fixed ones, the template's `event.fields` in order, raw, lineage. */
export function eventColumns(fields: Readonly<Record<string, FieldSpec>>): string[] {
  return ['event_id', 'event_time', 'event_key', ...Object.keys(fields), 'raw', ...LINEAGE];
}

/**
 * An event row for the template's events table (columns: eventColumns(fields)). `fields` is the
 * template's `event.fields`: only those are written (extra fields on the event are not columns),
 * each checked against its type.
 */
export function eventRow(event: VigilEvent, raw: string, fields: Readonly<Record<string, FieldSpec>>): Row {
  const row: RowValue[] = [event.id, time(event.time, 'event time'), event.key];
  for (const name in fields) row.push(fieldValue(name, fields[name]!, event.fields[name]));
  const { topic, partition, offset } = event.source;
  row.push(raw, topic, partition, offset);
  return row;
}

export function findingRow(finding: Finding, source: EventSource): Row {
  return [
    finding.id,
    finding.template,
    finding.detector,
    finding.detector_type,
    finding.detector_version,
    finding.entity,
    finding.severity,
    finding.kind,
    finding.title,
    finding.score,
    time(finding.time, 'time'),
    time(finding.window_start, 'window_start'),
    time(finding.window_end, 'window_end'),
    finding.values,
    finding.thresholds,
    finding.event_ids,
    finding.trigger_event_id,
    finding.labels ?? NO_LABELS,
    source.topic,
    source.partition,
    source.offset,
  ];
}

export const LATE_EVENT_COLUMNS = ['template', 'event_id', 'event_key', 'event_time', 'watermark', 'late_by_ms', 'raw', ...LINEAGE] as const;

/** A late event: `event.source` is where the row comes from (the `.late` topic's message). */
export function lateEventRow(template: string, event: VigilEvent, raw: string, watermark: number): Row {
  return [
    template,
    event.id,
    event.key,
    time(event.time, 'event time'),
    time(watermark, 'watermark'),
    watermark - event.time,
    raw,
    event.source.topic,
    event.source.partition,
    event.source.offset,
  ];
}

export const FRAUD_LABEL_COLUMNS = ['time', 'labelled_at', 'template', 'event_id', 'entity', 'customer_id', 'terminal_id', 'fraud', 'scenario', ...LINEAGE] as const;

export function fraudLabelRow(template: string, label: FeedbackLabel, source: EventSource): Row {
  return [
    time(label.time, 'time'),
    time(label.labelled_at, 'labelled_at'),
    template,
    label.event_id,
    label.entity,
    label.customer_id,
    label.terminal_id,
    label.fraud ? 1 : 0,
    label.scenario,
    source.topic,
    source.partition,
    source.offset,
  ];
}

export function alertRow(alert: Alert, source: EventSource): Row {
  return [
    alert.id,
    alert.fingerprint,
    alert.template,
    alert.finding.detector,
    alert.finding.entity,
    alert.finding.severity,
    alert.finding.title,
    time(alert.finding.time, 'finding.time'),
    time(alert.created_at, 'created_at'),
    JSON.stringify(alert.finding),
    alert.finding.labels ?? NO_LABELS,
    source.topic,
    source.partition,
    source.offset,
  ];
}

export const DELIVERY_COLUMNS = [
  'time',
  'alert_id',
  'fingerprint',
  'template',
  'detector',
  'entity',
  'severity',
  'receiver',
  'receiver_type',
  'attempt',
  'outcome',
  'http_status',
  'latency_ms',
  'error',
  ...LINEAGE,
] as const;

/** One alert delivery attempt for `alert_deliveries`. */
export function deliveryRow(record: DeliveryRecord, source: EventSource): Row {
  return [
    time(record.time, 'time'),
    record.alert_id,
    record.fingerprint,
    record.template,
    record.detector,
    record.entity,
    record.severity,
    record.receiver,
    record.receiver_type,
    record.attempt,
    record.outcome,
    record.http_status,
    record.latency_ms,
    record.error,
    source.topic,
    source.partition,
    source.offset,
  ];
}

export const AUDIT_COLUMNS = ['time', 'template', 'actor', 'role', 'action', 'target', 'before', 'after', ...LINEAGE] as const;

/** One change made through the API for `audit_log`. */
export function auditRow(record: AuditRecord, source: EventSource): Row {
  return [time(record.time, 'time'), record.template, record.actor, record.role, record.action, record.target, record.before, record.after, source.topic, source.partition, source.offset];
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
