import type { HistoryRow, HistoryRowReader } from './history-row.js';

/**
 * One line of history, read: its row, undefined for a line without one (the CSV header, a blank
 * line), or the error that says why it cannot be read.
 */
export type ReadLine = HistoryRow | undefined | Error;

/**
 * Consecutive lines of history, read one at a time by the replay (`read(0)`, `read(1)`, ... each
 * once, in order): rows are made only as they are replayed, so a batch of thousands of lines does
 * not keep thousands of rows alive at once.
 */
export interface ReadBatch {
  readonly length: number;
  read(index: number): ReadLine;
}

/** History read on this thread: each line goes through `reader` when the replay reaches it. */
export async function* readOnThisThread(lineBatches: AsyncIterable<readonly string[]>, reader: HistoryRowReader): AsyncIterable<ReadBatch> {
  for await (const lines of lineBatches) {
    yield {
      length: lines.length,
      read: (index) => {
        try {
          return reader.read(lines[index]!);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      },
    };
  }
}
