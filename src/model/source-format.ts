import type { FieldValue } from './records.js';

/**
 * How a template reads one kind of source document, named by `event.format`. Real feeds do not
 * arrive in the flat shape a template's `from` paths read: a Bluesky Jetstream commit nests the
 * post three levels deep, a Mastodon status carries HTML, a FHIR Observation names its vital by a
 * LOINC code. A format turns such a document into one flat document first; the template's field
 * mapping then reads that as it reads any JSON. Formats are pure, so detect, the sink and
 * backtests decode every message alike.
 */
export interface SourceFormat {
  /** The `event.format` value that selects it, e.g. `bluesky-jetstream`. */
  readonly name: string;
  readonly description: string;
  /**
   * The parsed JSON object → the document the template's `from` paths read. A document this
   * format cannot read throws a VigilError (VIGIL_EVENT_SCHEMA) whose message is the dead-letter
   * reason, e.g. `resourceType is "Patient", expected "Observation"`.
   */
  normalize(document: Record<string, unknown>): Record<string, unknown>;
  /**
   * After the fields are read and typed: fills in what the source left out (hashtags found in the
   * text when the source lists none) or rejects what the types cannot (an implausible vital), by
   * throwing as `normalize` does. Changes `fields` in place.
   */
  complete?(fields: Record<string, FieldValue>): void;
}

/** What the template loader checks `event.format` against. */
export interface SourceFormatLookup {
  get(name: string): SourceFormat | undefined;
  names(): string[];
}

/** The default: the message is the document the `from` paths read. */
export const JSON_FORMAT: SourceFormat = {
  name: 'json',
  description: 'Any JSON object; the template reads its fields by dotted path.',
  normalize: (document) => document,
};
