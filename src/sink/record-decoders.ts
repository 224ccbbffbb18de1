import { z } from 'zod';
import { VigilError } from '../errors/vigil-error.js';
import type { IncomingMessage } from '../kafka/kafka.types.js';
import { SEVERITIES, type Alert, type Finding } from '../model/records.js';
import { deliveryRecordSchema } from '../model/delivery-record.js';
import { auditRecordSchema } from '../model/audit-record.js';
import { alertRow, auditRow, deliveryRow, findingRow, type Row } from './row-mappers.js';

/**
 * Decoders for the findings and alerts topics: message value (JSON) → checked record → row. The
 * records are Vigil's own, but a malformed one would fail a whole insert batch, so each is checked
 * here where it can be rejected on its own. Unknown keys are ignored (newer producers may add some).
 */

const finiteMap = z.record(z.string(), z.number());

export const findingRecordSchema = z.object({
  id: z.string().min(1),
  template: z.string(),
  detector: z.string(),
  detector_type: z.string(),
  detector_version: z.string(),
  entity: z.string(),
  severity: z.enum(SEVERITIES),
  kind: z.string(),
  title: z.string(),
  score: z.number(),
  time: z.number(),
  window_start: z.number(),
  window_end: z.number(),
  values: finiteMap,
  thresholds: finiteMap,
  event_ids: z.array(z.string()),
  trigger_event_id: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<Finding>;

export const alertRecordSchema = z.object({
  id: z.string().min(1),
  fingerprint: z.string(),
  template: z.string(),
  finding: findingRecordSchema,
  created_at: z.number(),
}) satisfies z.ZodType<Alert>;

export function decodeFinding(value: Buffer | null): Finding {
  return decode(value, findingRecordSchema, 'finding');
}

export function decodeAlert(value: Buffer | null): Alert {
  return decode(value, alertRecordSchema, 'alert');
}

/** A findings-topic message as a `findings` row (a RowDecoder for sink.batcher.ts). */
export function findingMessageRow(message: IncomingMessage): Row {
  return findingRow(decodeFinding(message.value), message);
}

/** An alerts-topic message as an `alerts` row (a RowDecoder for sink.batcher.ts). */
export function alertMessageRow(message: IncomingMessage): Row {
  return alertRow(decodeAlert(message.value), message);
}

/** A `vigil.<template>.audit` message as an `audit_log` row. */
export function auditMessageRow(message: IncomingMessage): Row {
  return auditRow(decode(message.value, auditRecordSchema, 'audit record'), message);
}

/** An `<alerts>.deliveries` message as an `alert_deliveries` row. */
export function deliveryMessageRow(message: IncomingMessage): Row {
  return deliveryRow(decode(message.value, deliveryRecordSchema, 'delivery record'), message);
}

function decode<T>(value: Buffer | null, schema: z.ZodType<T>, what: string): T {
  if (value === null) throw new VigilError('VIGIL_EVENT_DECODE', `${what}: message has no value`);
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (cause) {
    throw new VigilError('VIGIL_EVENT_DECODE', `${what}: value is not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new VigilError('VIGIL_EVENT_SCHEMA', `${what}: ${issues}`);
  }
  return parsed.data;
}
