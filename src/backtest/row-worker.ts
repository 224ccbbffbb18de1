import { parentPort, workerData } from 'node:worker_threads';
import { isVigilError } from '../errors/vigil-error.js';
import { HistoryRowReader, type HistoryRowOptions } from './history-row.js';
import { openLines } from './line-source.js';
import type { ReadLine } from './read-batch.js';
import { RowEncoder } from './row-codec.js';
import type { RowWorkerMessage } from './worker-rows.js';

/**
 * Worker thread of `openRowsInWorker`: reads the history file (gunzip, lines, CSV or JSON, the
 * decoder) and posts the rows in columns, batch by batch, at most MAX_AHEAD batches ahead of the
 * replay (each batch taken is acknowledged with a message), so a fast reader never holds the file.
 */
export interface RowWorkerData {
  readonly file: string;
  readonly options: HistoryRowOptions;
}

const MAX_AHEAD = 4;
const port = parentPort!;
const { file, options } = workerData as RowWorkerData;

let credit = MAX_AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
});

const post = (message: RowWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

try {
  const source = await openLines(file);
  post({ kind: 'opened', totalBytes: source.totalBytes });
  const reader = new HistoryRowReader(options);
  const encoder = new RowEncoder(options.template);
  for await (const lines of source.lineBatches) {
    const batch = encoder.encode(lines.map((line) => readLine(reader, line)));
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    post({ kind: 'batch', batch, bytesRead: source.bytesRead() }, [batch.lines.buffer, batch.numbers.buffer, batch.strings.buffer, batch.fraud.buffer] as ArrayBuffer[]);
  }
  post({ kind: 'done', bytesRead: source.bytesRead() });
} catch (error) {
  // Errors of the file itself (unreadable, corrupt gzip) end the replay, with their code.
  post({ kind: 'failed', code: isVigilError(error) ? error.code : undefined, message: error instanceof Error ? error.message : String(error) });
}

function readLine(reader: HistoryRowReader, line: string): ReadLine {
  try {
    return reader.read(line);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
