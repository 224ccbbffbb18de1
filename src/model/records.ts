/**
 * The records that travel between stages. They are serialised as JSON on Kafka and land in
 * ClickHouse, so field names are snake_case and times are epoch milliseconds.
 */

export type FieldValue = string | number | boolean | string[] | null;

/** An input event after decoding, schema validation and field mapping (see templates/). */
export interface VigilEvent {
  /** Stable id of the event: the template's id field, or `<topic>-<partition>-<offset>`. */
  readonly id: string;
  /** Event time in epoch milliseconds, from the template's event-time field. */
  readonly time: number;
  /** The entity key the stream is partitioned by (card, patient, topic...). */
  readonly key: string;
  /** Canonical fields named by the template, typed by its schema. */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Where it came from, for lineage and exact sink offsets. */
  readonly source: EventSource;
}

export interface EventSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka message's timestamp (epoch ms; -1 or 0: none), when the event came from Kafka. */
  readonly timestamp?: number;
}

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** What a detector emits through its context. The runtime turns it into a Finding. */
export interface FindingInput {
  /** The entity the finding is about (a card, a patient, a hashtag). */
  readonly entity: string;
  readonly severity: Severity;
  /** Short machine-friendly kind, e.g. `velocity.count`. */
  readonly kind: string;
  readonly title: string;
  /** Score in [0, 1] where the detector can say how sure it is. */
  readonly score?: number;
  /** Event-time window the finding covers. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The values compared and their limits, for "why it fired". */
  readonly values?: Readonly<Record<string, number>>;
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Ids of the events that contributed (bounded by the detector). */
  readonly eventIds?: readonly string[];
}

export interface Finding {
  /** Deterministic: the same input always yields the same id, so replays are recognisable. */
  readonly id: string;
  readonly template: string;
  /** The detector's id in the template (several instances of one detector type may run). */
  readonly detector: string;
  /** The detector type from the registry and its version. */
  readonly detector_type: string;
  readonly detector_version: string;
  readonly entity: string;
  readonly severity: Severity;
  readonly kind: string;
  readonly title: string;
  readonly score: number;
  /** Event time of the event that triggered it. */
  readonly time: number;
  readonly window_start: number;
  readonly window_end: number;
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly event_ids: readonly string[];
  readonly trigger_event_id: string;
  /**
   * The template's label fields (`event.fields.<name>.label`) of the event that raised it, as text;
   * absent when the template has none or the event carried none.
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A fraud label (chargeback, confirmed case, cleared transaction) from the feedback topic, keyed by
 * the transaction id. Labels arrive days after the transaction; the runtime hands one to detectors
 * (`onFeedback`) only once event time reaches `labelled_at`, never earlier, so a detector can never
 * learn from the label of the event it is scoring.
 */
export interface FeedbackLabel {
  /** Id of the labelled transaction. */
  readonly event_id: string;
  /** Event time of the labelled transaction, epoch ms. */
  readonly time: number;
  /** When the label became known, epoch ms. */
  readonly labelled_at: number;
  /** The card. */
  readonly entity: string;
  readonly customer_id: string;
  readonly terminal_id: string;
  readonly fraud: boolean;
  readonly scenario: string;
}

/** A finding severe enough to notify someone; its id is the webhook-id. */
export interface Alert {
  readonly id: string;
  /** Groups repeated alerts about the same thing: template, detector, entity. */
  readonly fingerprint: string;
  readonly template: string;
  readonly finding: Finding;
  readonly created_at: number;
}

