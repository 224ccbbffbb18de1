import { isVigilError, VigilError } from '../errors/vigil-error.js';
import { EPOCH_SECONDS_BELOW, EventDecoder } from '../runtime/event-decoder.js';
import { zonelessUtcMillis } from '../runtime/utc-date-time.js';
import type { VigilEvent } from '../model/records.js';
import { readPath } from '../runtime/read-path.js';
import type { BacktestMapping, Template } from '../model/template/template.schema.js';
import { splitCsvLine } from './csv-line.js';

export type HistoryFormat = 'csv' | 'jsonl';

/** One line of history read as the template's event, with its ground truth when the file has it. */
export interface HistoryRow {
  readonly event: VigilEvent;
  /** Undefined when the line carries no label. */
  readonly fraud: boolean | undefined;
  readonly scenario: string;
}

export interface HistoryRowOptions {
  readonly template: Template;
  readonly format: HistoryFormat;
  /** A template backtest mapping; without one, lines are read with the template's own `from` paths. */
  readonly mapping?: BacktestMapping;
  /** Column or dotted path of the fraud label; overrides the mapping's. */
  readonly labelField?: string;
  readonly scenarioField?: string;
}

/** Where constants live in a mapped row: a property name no file column can have. */
const CONSTANT_PREFIX = '\u0000const:';
const ABSENT = '\u0000absent';
const ZONELESS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/;
const SOURCE_TOPIC = 'backtest';

/**
 * Reads history lines (CSV with a header, or JSON lines) into events through the SAME decoder the
 * detect stage uses, so a backtest sees exactly what production would. A mapping rewrites the
 * template's `from` paths to the file's columns; the label columns are read separately and never
 * become fields, so no detector can see the label of the event it scores.
 */
export class HistoryRowReader {
  private readonly decoder: EventDecoder;
  private readonly constants: readonly (readonly [string, string | number | boolean])[];
  private readonly labelPath: readonly string[] | undefined;
  private readonly scenarioPath: readonly string[] | undefined;
  private readonly zonelessTimeColumn: string | undefined;
  private header: string[] | undefined;
  private lineNumber = 0;

  constructor(private readonly options: HistoryRowOptions) {
    const { template, mapping } = options;
    this.decoder = new EventDecoder(mapping ? mappedTemplate(template, mapping) : template);
    this.constants = Object.entries(mapping?.constants ?? {}).map(([name, value]) => [`${CONSTANT_PREFIX}${name}`, value] as const);
    const label = options.labelField ?? mapping?.label;
    const scenario = options.scenarioField ?? mapping?.scenario;
    this.labelPath = label === undefined ? undefined : pathOf(options.format, label);
    this.scenarioPath = scenario === undefined ? undefined : pathOf(options.format, scenario);
    this.zonelessTimeColumn = mapping?.timeZone === 'UTC' ? mapping.fields[template.event.time] : undefined;
  }

  /** True when rows carry labels (the backtest can score). */
  get labelled(): boolean {
    return this.labelPath !== undefined;
  }

  /**
   * The row on this line; undefined for the CSV header and blank lines. Throws VIGIL_EVENT_DECODE
   * or VIGIL_EVENT_SCHEMA with the line number for a line that cannot be read.
   */
  read(line: string): HistoryRow | undefined {
    this.lineNumber++;
    if (line.trim() === '') return undefined;
    if (this.options.format === 'csv' && this.header === undefined) {
      this.header = splitCsvLine(line).map((name) => name.trim());
      return undefined;
    }
    try {
      const document = this.options.format === 'csv' ? this.csvDocument(line) : jsonDocument(line);
      for (const [name, value] of this.constants) document[name] = value;
      if (this.zonelessTimeColumn !== undefined) {
        const time = document[this.zonelessTimeColumn];
        if (typeof time === 'string') document[this.zonelessTimeColumn] = utcTime(time);
      }
      const event = this.decoder.fromObject(document, { topic: SOURCE_TOPIC, partition: 0, offset: String(this.lineNumber) });
      return { event, fraud: this.labelPath && parseLabel(readPath(document, this.labelPath)), scenario: String(this.scenarioPath ? (readPath(document, this.scenarioPath) ?? '') : '') };
    } catch (error) {
      if (isVigilError(error)) throw new VigilError(error.code, `line ${this.lineNumber}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  private csvDocument(line: string): Record<string, unknown> {
    const header = this.header!;
    const values = splitCsvLine(line);
    if (values.length !== header.length) {
      throw new VigilError('VIGIL_EVENT_DECODE', `expected ${header.length} CSV fields, got ${values.length}`);
    }
    const document: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) document[header[i]!] = values[i];
    return document;
  }
}

/**
 * A zone-less time of a UTC file as the decoder should read it: epoch ms when the fast path reads
 * it and the decoder takes the number for ms (not seconds), else the ISO form with `Z` appended,
 * else the text unchanged (the decoder rejects it with its usual message).
 */
function utcTime(time: string): string | number {
  const ms = zonelessUtcMillis(time);
  if (ms !== undefined && ms >= EPOCH_SECONDS_BELOW) return ms;
  return ZONELESS.test(time) ? `${time.replace(' ', 'T')}Z` : time;
}

/** The template with each field's `from` pointing at the mapped column or constant. */
function mappedTemplate(template: Template, mapping: BacktestMapping): Template {
  const fields = Object.fromEntries(
    Object.entries(template.event.fields).map(([name, spec]) => {
      const from = mapping.fields[name] ?? (name in mapping.constants ? `${CONSTANT_PREFIX}${name}` : ABSENT);
      return [name, { ...spec, from }];
    }),
  );
  return { ...template, event: { ...template.event, fields } };
}

function pathOf(format: HistoryFormat, field: string): readonly string[] {
  // CSV columns are flat names; JSON labels may be nested (`_label.fraud`).
  return format === 'csv' ? [field] : field.split('.');
}

function jsonDocument(line: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    throw new VigilError('VIGIL_EVENT_DECODE', `not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new VigilError('VIGIL_EVENT_DECODE', 'not a JSON object');
  return document as Record<string, unknown>;
}

function parseLabel(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  throw new VigilError('VIGIL_EVENT_SCHEMA', `label ${JSON.stringify(value)} is not 1/0 or true/false`);
}
