import { availableParallelism } from 'node:os';
import type { HistoryRowOptions } from './history-row.js';
import { HistoryRowReader } from './history-row.js';
import { openLines } from './line-source.js';
import { readOnThisThread } from './read-batch.js';
import { openRowsInWorker, type RowSource } from './worker-rows.js';

/**
 * A history file's rows for the replay: read on a worker thread when the process may use more than
 * one core, else on this thread. Both give exactly the same rows; the worker only pays off when it
 * has a core of its own (on one core its hand-over costs about what it saves).
 */
export async function openHistoryFile(file: string, options: HistoryRowOptions, cores = availableParallelism()): Promise<RowSource> {
  if (cores > 1) return openRowsInWorker(file, options);
  const source = await openLines(file);
  return { batches: readOnThisThread(source.lineBatches, new HistoryRowReader(options)), totalBytes: source.totalBytes, bytesRead: () => source.bytesRead() };
}
