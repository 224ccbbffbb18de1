import { EventDecoder } from '../../runtime/event-decoder.js';
import type { Template } from '../../model/template/template.schema.js';
import type { VigilEvent } from '../../model/records.js';
import type { SourceFormat } from '../../model/source-format.js';
import { alertDeliveriesTopic, alertsDeadLetterTopic, lateTopic } from '../../model/topics.js';
import { DEAD_LETTER_COLUMNS, deadLetterRow } from '../../sink/dead-letter-row.js';
import { decodeFeedbackLabel } from '../../model/feedback-label.js';
import { ALERT_COLUMNS, AUDIT_COLUMNS, DELIVERY_COLUMNS, eventColumns, eventRow, FINDING_COLUMNS, FRAUD_LABEL_COLUMNS, fraudLabelRow, LATE_EVENT_COLUMNS, lateEventRow } from '../../sink/row-mappers.js';
import { auditTopic } from '../../model/audit-record.js';
import { alertMessageRow, auditMessageRow, deliveryMessageRow, findingMessageRow } from '../../sink/record-decoders.js';
import type { RowDecoder } from './sink.batcher.js';
import { pseudonymisedRaw, pseudonymises } from '../../sink/pseudonymised-raw.js';
import { rawEventsPlan, rawPathRefusal, type RawEventsPlan } from '../../sink/raw-events/raw-events-plan.js';

/** Where one consumed topic lands: its table, how a message becomes a row, who dead-letters rejects. */
export interface SinkRoute {
  readonly table: string;
  /** The columns `decode`'s rows fill, in order. */
  readonly columns: readonly string[];
  readonly decode: RowDecoder;
  /**
   * Input events that fail decoding are dead-lettered by the detect stage, which reads the same
   * topic with the same decoder; the sink only counts them, so nothing is dead-lettered twice.
   * Dead-letter topics are never dead-lettered again (a loop); their decoder never rejects.
   */
  readonly deadLetterRejects: boolean;
  /**
   * Set when the store extracts this route's rows from the raw messages itself (the input events
   * with the embedded engine, when the template allows it: raw-events-plan.ts); `decode` still
   * handles what it leaves over, so its rejects are never dead-lettered here.
   */
  readonly raw?: RawEventsPlan;
}

export interface SinkRouteOptions {
  /** The embedded engine's database: the input events take the raw path where the template allows it. */
  readonly rawEventsDatabase?: string;
}

/** One route per topic the sink stage reads (template-topics.ts stageTopics().sink). */
export function sinkRoutes(template: Template, format?: SourceFormat, options: SinkRouteOptions = {}): Map<string, SinkRoute> {
  const decoder = new EventDecoder(template, format);
  const fields = template.event.fields;
  // A template that pseudonymises stores no message as received: it names the patient in the clear.
  const withhold = pseudonymises(fields);
  const stored = (event: VigilEvent, raw: string) => (withhold ? pseudonymisedRaw(event, raw, fields) : raw);
  const events: RowDecoder = (message) => {
    // Decoded to text once: the same text is parsed and stored as `raw` ('' is refused as empty).
    const raw = message.value?.toString('utf8') ?? '';
    const event = decoder.decode(raw, { topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp });
    return eventRow(event, stored(event, raw), fields);
  };
  const late: RowDecoder = (message) => {
    const raw = message.value?.toString('utf8') ?? '';
    const event = decoder.decode(raw, { topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp });
    const watermark = Number(message.headers['vigil-watermark']);
    if (!Number.isFinite(watermark)) throw new Error('late event without a vigil-watermark header');
    return lateEventRow(template.name, event, stored(event, raw), watermark);
  };
  const deadLetters: RowDecoder = (message) => deadLetterRow(template.name, message);
  const deadLetterRoute: SinkRoute = { table: 'dead_letters', columns: DEAD_LETTER_COLUMNS, decode: deadLetters, deadLetterRejects: false };
  const inputDeadLetters: RowDecoder = (message) => deadLetterRow(template.name, message, { withholdPayload: withhold });
  const inputDeadLetterRoute: SinkRoute = { ...deadLetterRoute, decode: inputDeadLetters };
  const routes = new Map<string, SinkRoute>([
    [lateTopic(template), { table: 'late_events', columns: LATE_EVENT_COLUMNS, decode: late, deadLetterRejects: true }],
    [template.topics.input, { table: template.tables.events, columns: eventColumns(fields), decode: events, deadLetterRejects: false, ...rawEvents(template, format, options) }],
    [template.topics.findings, { table: 'findings', columns: FINDING_COLUMNS, decode: findingMessageRow, deadLetterRejects: true }],
    [template.topics.alerts, { table: 'alerts', columns: ALERT_COLUMNS, decode: alertMessageRow, deadLetterRejects: true }],
    [template.topics.deadLetter, inputDeadLetterRoute],
    [alertsDeadLetterTopic(template), deadLetterRoute],
    [alertDeliveriesTopic(template), { table: 'alert_deliveries', columns: DELIVERY_COLUMNS, decode: deliveryMessageRow, deadLetterRejects: true }],
    [auditTopic(template), { table: 'audit_log', columns: AUDIT_COLUMNS, decode: auditMessageRow, deadLetterRejects: true }],
  ]);
  if (template.topics.feedback !== undefined) {
    const labels: RowDecoder = (message) => fraudLabelRow(template.name, decodeFeedbackLabel(message.value), message);
    routes.set(template.topics.feedback, { table: 'fraud_labels', columns: FRAUD_LABEL_COLUMNS, decode: labels, deadLetterRejects: true });
  }
  return routes;
}

function rawEvents(template: Template, format: SourceFormat | undefined, options: SinkRouteOptions): { raw?: RawEventsPlan } {
  if (options.rawEventsDatabase === undefined || rawPathRefusal(template, format) !== undefined) return {};
  return { raw: rawEventsPlan(template, options.rawEventsDatabase, template.topics.input) };
}

/** Every topic the sink consumes for a template. */
export function sinkTopics(template: Template): string[] {
  return [...sinkRoutes(template).keys()];
}
