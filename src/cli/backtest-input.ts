import { openHistoryFile } from '../backtest/history-file.js';
import { HistoryRowReader, type HistoryFormat, type HistoryRowOptions } from '../backtest/history-row.js';
import { readOnThisThread } from '../backtest/read-batch.js';
import { readTopicHistory } from '../backtest/topic-lines.js';
import type { RowSource } from '../backtest/worker-rows.js';
import type { VigilConfig } from '../config/vigil-config.js';
import { createKafkajsClient } from '../kafka/kafkajs.client.js';
import { createLogger } from '../logging/logger.js';
import { EventDecoder } from '../runtime/event-decoder.js';
import { VigilError } from '../errors/vigil-error.js';
import { parseDuration } from '../model/template/duration.js';
import type { Template } from '../model/template/template.schema.js';

/** Options shared by the commands that replay a history file (backtest, fit-risk). */
export interface HistoryInputOptions {
  input?: string;
  /** Replay a topic instead of a file: its name, or true for the template's input topic. */
  topic?: string | boolean;
  map?: string;
  format?: string;
  labels?: string;
  scenario?: string;
  feedbackDelay: string;
}

export interface HistoryInput {
  readonly source: RowSource;
  readonly feedbackDelay: number;
}

/** Checks the options against the template and opens the file or topic; usage errors are VIGIL_CONFIG_INVALID. */
export async function openHistoryInput(config: VigilConfig, template: Template, options: HistoryInputOptions): Promise<HistoryInput> {
  if ((options.input === undefined) === (options.topic === undefined)) throw invalid('give either --input <file> or --topic [name]');
  const feedbackDelay = parseDuration(options.feedbackDelay);
  if (feedbackDelay === undefined) throw invalid(`--feedback-delay: expected duration like "7d", got "${options.feedbackDelay}"`);
  const mapping = options.map === undefined ? undefined : template.backtest?.mappings[options.map];
  if (options.map !== undefined && mapping === undefined) {
    const known = Object.keys(template.backtest?.mappings ?? {});
    throw invalid(`--map: template ${template.name} has no backtest mapping "${options.map}"${known.length > 0 ? `; known: ${known.join(', ')}` : ''}`);
  }
  const format = options.input === undefined ? 'jsonl' : inputFormat(options.input, options.format);
  const readerOptions: HistoryRowOptions = { template, format, mapping, labelField: options.labels, scenarioField: options.scenario };
  const reader = new HistoryRowReader(readerOptions);
  if (!reader.labelled) throw invalid('no labels: pass --labels <field>, or --map with a mapping that names its label column');
  // A file is read on a worker thread where there is a core for it; a topic is in memory already.
  if (options.input !== undefined) return { source: await openHistoryFile(options.input, readerOptions), feedbackDelay };
  const topic = typeof options.topic === 'string' ? options.topic : template.topics.input;
  const decoder = new EventDecoder(template);
  const eventTime = (value: string): number | undefined => {
    try {
      return decoder.decode(value, { topic, partition: 0, offset: '0' }).time;
    } catch {
      return undefined;
    }
  };
  return { source: await topicSource(config, topic, eventTime, reader), feedbackDelay };
}

const TOPIC_BATCH = 4096;

/** A topic read to its current end, as a line source (progress counts messages, not bytes). */
async function topicSource(config: VigilConfig, topic: string, eventTime: (value: string) => number | undefined, reader: HistoryRowReader): Promise<RowSource> {
  if (!config.kafkaBrokers) throw invalid('--topic needs KAFKA_BROKERS: the broker the topic is on');
  const kafka = createKafkajsClient({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-backtest`, logger: createLogger(config.logLevel) });
  const { lines } = await readTopicHistory(kafka, topic, eventTime);
  let read = 0;
  const lineBatches = (async function* () {
    // In memory already; batches only so the progress bar moves (it counts messages).
    for (let i = 0; i < lines.length; i += TOPIC_BATCH) {
      const batch = lines.slice(i, i + TOPIC_BATCH);
      read = i + batch.length;
      yield batch;
    }
  })();
  return {
    batches: readOnThisThread(lineBatches, reader),
    totalBytes: lines.length,
    bytesRead: () => read,
  };
}

function inputFormat(file: string, given: string | undefined): HistoryFormat {
  if (given !== undefined) {
    if (given !== 'csv' && given !== 'jsonl') throw invalid(`--format: expected csv or jsonl, got "${given}"`);
    return given;
  }
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  throw invalid(`cannot tell the format of ${file} from its name: pass --format csv or --format jsonl`);
}

/** An option holding a time: ISO date (`2018-07-25`, UTC midnight) or time; zone-less times are UTC. */
export function timeOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  if (Number.isNaN(ms)) throw invalid(`${option}: expected an ISO date or time, got "${value}"`);
  return ms;
}

export function invalid(message: string): VigilError {
  return new VigilError('VIGIL_CONFIG_INVALID', message);
}
