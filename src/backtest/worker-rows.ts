import { Worker } from 'node:worker_threads';
import { VigilError, type ErrorCode } from '../errors/vigil-error.js';
import type { HistoryRowOptions } from './history-row.js';
import type { ReadBatch } from './read-batch.js';
import { RowDecoder, type EncodedBatch } from './row-codec.js';
import type { RowWorkerData } from './row-worker.js';

/** What the row worker posts: the file's size once open, batches, then the end or a failure. */
export type RowWorkerMessage =
  | { readonly kind: 'opened'; readonly totalBytes: number }
  | { readonly kind: 'batch'; readonly batch: EncodedBatch; readonly bytesRead: number }
  | { readonly kind: 'done'; readonly bytesRead: number }
  | { readonly kind: 'failed'; readonly code: ErrorCode | undefined; readonly message: string };

/** A history file read into rows on another thread, for the replay. */
export interface RowSource {
  readonly batches: AsyncIterable<ReadBatch>;
  readonly totalBytes: number;
  bytesRead(): number;
}

const YOUNG_GENERATION_MB = 8;

/** The compiled worker next to this module (tests of the sources point at the build). */
const WORKER = new URL('./row-worker.js', import.meta.url);

/**
 * Reads a history file (gzipped or not) into rows on a worker thread: unzipping, cutting lines,
 * parsing CSV or JSON and decoding events take a core of their own instead of a fifth of the
 * replay's. The rows are exactly those of `HistoryRowReader` on the same lines (it runs there),
 * in order, with the same errors. Stopping the iteration early (a replay that fails) ends the worker.
 */
export async function openRowsInWorker(file: string, options: HistoryRowOptions, worker: URL = WORKER): Promise<RowSource> {
  // Parsing makes short-lived garbage only: a smaller young generation than V8's default keeps the
  // worker's peak memory down at no measurable cost in speed (docs/performance.md).
  const thread = new Worker(worker, { workerData: { file, options } satisfies RowWorkerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const inbox = new Inbox(thread);
  const first = await inbox.next();
  if (first.kind !== 'opened') {
    await thread.terminate();
    throw failure(first);
  }
  // Until the replay reads, the worker must not keep the process alive: a command failing between
  // opening the file and replaying it still exits.
  thread.unref();
  let bytesRead = 0;
  const decoder = new RowDecoder(options.template);
  async function* batches(): AsyncIterable<ReadBatch> {
    thread.ref();
    try {
      for (;;) {
        const message = await inbox.next();
        if (message.kind === 'done') {
          bytesRead = message.bytesRead;
          return;
        }
        if (message.kind !== 'batch') throw failure(message);
        // Taken: the worker may read one more batch ahead while this one is replayed.
        thread.postMessage(null);
        bytesRead = message.bytesRead;
        yield decoder.decode(message.batch);
      }
    } finally {
      await thread.terminate();
    }
  }
  return { batches: batches(), totalBytes: first.totalBytes, bytesRead: () => bytesRead };
}

function failure(message: RowWorkerMessage): Error {
  if (message.kind !== 'failed') return new Error(`row worker: unexpected ${message.kind} message`);
  return message.code === undefined ? new Error(message.message) : new VigilError(message.code, message.message);
}

/** The worker's messages in order, awaited one at a time; its crash or early exit is a failure. */
class Inbox {
  private readonly queue: RowWorkerMessage[] = [];
  private problem: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(thread: Worker) {
    thread.on('message', (message: RowWorkerMessage) => this.arrive(message));
    thread.on('error', (error) => this.fail(error));
    thread.on('exit', (code) => this.fail(new Error(`row worker exited (code ${code}) before the end of the file`)));
  }

  async next(): Promise<RowWorkerMessage> {
    while (this.queue.length === 0) {
      if (this.problem) throw this.problem;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.queue.shift()!;
  }

  private arrive(message: RowWorkerMessage): void {
    this.queue.push(message);
    this.wake?.();
  }

  private fail(error: Error): void {
    this.problem ??= error;
    this.wake?.();
  }
}
