import { EventDecoder } from '../runtime/event-decoder.js';
import type { Template } from '../templates/template.schema.js';
import { eventRow } from './row-mappers.js';
import { alertMessageRow, findingMessageRow } from './record-decoders.js';
import type { RowDecoder } from './sink.batcher.js';

/** Where one consumed topic lands: its table, how a message becomes a row, who dead-letters rejects. */
export interface SinkRoute {
  readonly table: string;
  readonly decode: RowDecoder;
  /**
   * Input events that fail decoding are dead-lettered by the detect stage, which reads the same
   * topic with the same decoder; the sink only counts them, so nothing is dead-lettered twice.
   */
  readonly deadLetterRejects: boolean;
}

export function sinkRoutes(template: Template): Map<string, SinkRoute> {
  const decoder = new EventDecoder(template);
  const events: RowDecoder = (message) => {
    const event = decoder.decode(message.value, { topic: message.topic, partition: message.partition, offset: message.offset });
    return eventRow(event, message.value!.toString('utf8'), template.event.fields);
  };
  return new Map([
    [template.topics.input, { table: template.tables.events, decode: events, deadLetterRejects: false }],
    [template.topics.findings, { table: 'findings', decode: findingMessageRow, deadLetterRejects: true }],
    [template.topics.alerts, { table: 'alerts', decode: alertMessageRow, deadLetterRejects: true }],
  ]);
}
