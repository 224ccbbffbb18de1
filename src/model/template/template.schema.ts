import { z } from 'zod';
import { SEVERITIES } from '../records.js';
import { duration, nonNegativeDuration } from './duration.js';
import type { AnyDetectorDefinition } from '../detector.js';
import type { SourceFormat } from '../source-format.js';
import { ruleSchema } from './rule.schema.js';
import { inhibitionSchema } from './inhibition.config.js';
import { receiverSchema } from './receivers/receiver.schema.js';
import { routeSchema } from './route.config.js';

/**
 * The template format. One template is everything a use case needs: where events come from and
 * what they look like, how the user's fields map to the canonical fields detectors read, which
 * detectors run with which parameters, where alerts go, the tables, and the simulator.
 * Unknown keys are rejected everywhere so a typo fails at start-up instead of being ignored.
 */

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'timestamp', 'string[]'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case name');
const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'expected a Kafka topic name');

export const fieldSchema = z.strictObject({
  /** Dotted path in the user's JSON event, e.g. `card.id`; defaults to the canonical name. */
  from: z.string().min(1).optional(),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(false),
  description: z.string().optional(),
  /**
   * Replace the value with a keyed hash (HMAC-SHA256 with `event.pseudonymKey`) as the event is
   * decoded, so tables, findings, dashboards and webhooks never hold the raw identifier. The same
   * id always gives the same pseudonym under one key. Only for `string` fields.
   */
  pseudonymize: z.boolean().default(false),
  /**
   * Copy the field onto findings and alerts as a label (`labels.<name>`: the health template's
   * ward), from the event that raised the finding, or for a finding raised by a timer from the
   * latest event of the timer's key. An event without the field gives no label.
   */
  label: z.boolean().default(false),
});
export type FieldSpec = z.infer<typeof fieldSchema>;

export const eventSchema = z.strictObject({
  /**
   * The shape messages arrive in: `json` (default) reads fields by dotted path from the message
   * itself; a named source format (`bluesky-jetstream`, `mastodon-status`, `fhir-observation`…)
   * first turns a real feed's document into a flat one the `from` paths read.
   */
  format: z.string().min(1).default('json'),
  /** Secret key for fields marked `pseudonymize` (at least 16 characters; keep it out of the file). */
  pseudonymKey: z.string().min(16, 'expected a secret of at least 16 characters').optional(),
  /** Canonical field holding the event id (unique per event); falls back to topic-partition-offset. */
  id: identifier.optional(),
  /** Canonical field holding the event time. */
  time: identifier,
  /** Canonical field the stream is keyed by (partition key and default entity). */
  key: identifier,
  /** How far events may arrive out of order: the watermark trails the highest event time by this. */
  maxOutOfOrderness: nonNegativeDuration.prefault('30s'),
  /**
   * How far behind the watermark an event may still be processed. Later events are not run
   * through detectors; they go to `<input topic>.late` and the `late_events` table, and are counted.
   */
  allowedLateness: nonNegativeDuration.prefault('0s'),
  /**
   * How far an event's time may be ahead of its Kafka message's timestamp. Further ahead, it is
   * dead-lettered: one event dated in year 9999 would otherwise move the watermark there and make
   * every later event late.
   */
  maxFutureSkew: nonNegativeDuration.prefault('1d'),
  fields: z.record(identifier, fieldSchema).refine((fields) => Object.keys(fields).length > 0, 'expected at least one field'),
});
export type EventSpec = z.infer<typeof eventSchema>;

export const topicsSchema = z.strictObject({
  input: topicName,
  findings: topicName,
  alerts: topicName,
  /** Events that cannot be decoded or fail the schema, with the reason in headers. */
  deadLetter: topicName,
  /**
   * Fraud labels (chargebacks, confirmed cases) arriving after the fact, keyed by transaction id;
   * detectors learn from them through `onFeedback`, and the sink stores them. Optional.
   */
  feedback: topicName.optional(),
  /** Partitions used when Vigil creates the topics itself. */
  partitions: z.number().int().min(1).max(1024).default(6),
});

export const detectorInstanceSchema = z.strictObject({
  /** Unique id of this instance within the template; findings name it. */
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case id'),
  /** A detector type from the registry, or `file` with `module`. */
  type: z.string().min(1),
  /** For user detectors: path to an ES module (relative to the template file). */
  module: z.string().optional(),
  enabled: z.boolean().default(true),
  /** Validated later against the detector's own schema. */
  params: z.record(z.string(), z.unknown()).default({}),
});
export type DetectorInstanceSpec = z.infer<typeof detectorInstanceSchema>;

// Receivers are units of src/alerts/receivers, each with its own config schema.
export { receiverSchema, type ReceiverSpec } from './receivers/receiver.schema.js';

// Routes (matching and Alertmanager-style grouping) are defined with the alerting code.
export { routeSchema, type RouteSpec } from './route.config.js';

export const alertsSchema = z.strictObject({
  /** Findings at or above this severity become alerts. */
  minSeverity: z.enum(SEVERITIES).default('high'),
  receivers: z.array(receiverSchema).default([]),
  routes: z.array(routeSchema).default([]),
  inhibition: inhibitionSchema.prefault({}),
});

export const tablesSchema = z.strictObject({
  /** ClickHouse table for this template's events; columns come from event.fields. */
  events: identifier,
  /** How long rows are kept. */
  ttl: duration.prefault('90d'),
  /**
   * Views for the questions analysts ask, created (or replaced) at start-up in this order. In
   * `query`, `{events}` is this template's events table, `{template}` its name as a string literal,
   * and `{name}` any other table or view of Vigil's database (findings, alerts, fraud_labels...).
   */
  views: z
    .record(
      identifier,
      z.strictObject({
        description: z.string().default(''),
        query: z.string().min(1),
      }),
    )
    .default({}),
});

export const simulatorSchema = z.strictObject({
  /** Name of a simulator in src/simulate. */
  generator: z.string().min(1),
  rate: z.number().positive().default(200),
  seed: z.number().int().default(42),
  /** Generator-specific settings, validated by the generator. */
  params: z.record(z.string(), z.unknown()).default({}),
});

/**
 * How to read a labelled history file (CSV columns or JSON properties) as this template's events,
 * for `vigil backtest --map <name>`: each canonical field from a column, or a constant.
 */
export const backtestMappingSchema = z.strictObject({
  /** Canonical field -> column (CSV) or dotted path (JSON lines) in the file. */
  fields: z.record(identifier, z.string().min(1)),
  /** Canonical field -> value for fields the file does not have (e.g. one currency). */
  constants: z.record(identifier, z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Timestamps without a zone (`2018-04-01 00:00:31`) are read in this zone; only UTC for now. */
  timeZone: z.enum(['UTC']).optional(),
  /** Column holding the fraud label (1/0, true/false); never mapped to a field detectors read. */
  label: z.string().min(1).optional(),
  /** Column naming the fraud scenario, carried into labels and reports. */
  scenario: z.string().min(1).optional(),
});
export type BacktestMapping = z.infer<typeof backtestMappingSchema>;

export const backtestSchema = z.strictObject({
  mappings: z.record(identifier, backtestMappingSchema).default({}),
});

export const templateSchema = z.strictObject({
  name: identifier,
  version: z.number().int().min(1),
  title: z.string().min(1),
  description: z.string().default(''),
  domain: z.enum(['finance', 'health', 'social', 'custom']),
  /** What to do with an event that cannot be decoded or fails the schema. */
  onInvalidEvent: z.enum(['dead-letter', 'fail']).default('dead-letter'),
  topics: topicsSchema,
  event: eventSchema,
  detectors: z.array(detectorInstanceSchema).min(1),
  /**
   * Declarative rules (see rule.schema.ts). They seed the template's rules topic
   * (version 1) when it has no record of them; from then on the topic is the truth, changed at
   * runtime with `vigil rules put|delete`.
   */
  rules: z.array(ruleSchema).default([]),
  alerts: alertsSchema.prefault({}),
  tables: tablesSchema,
  simulator: simulatorSchema.optional(),
  backtest: backtestSchema.optional(),
});

/** A validated template, with durations in milliseconds. */
export type Template = z.infer<typeof templateSchema>;

/** A template with where it was loaded from, so errors and user modules resolve relative to it. */
export interface LoadedTemplate {
  readonly template: Template;
  readonly file: string;
  /**
   * The enabled detectors in template order: definition (built-in, or the module's export for
   * `type: file`) and params already parsed by the definition's own schema.
   */
  readonly detectors: readonly LoadedDetector[];
  /** The source format `event.format` names (`json` unless the template says otherwise). */
  readonly format: SourceFormat;
}

export interface LoadedDetector {
  readonly id: string;
  readonly definition: AnyDetectorDefinition;
  readonly params: unknown;
}
