/**
 * The one JSON line a state child (state-run.ts) prints on stdout for the parent (state-measure.ts):
 * detector state of one partition holding `keys` distinct cards, what it costs in memory, and how
 * fast that partition's state comes back from its changelog topic. Seconds are wall time.
 */
export interface StateResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Distinct cards fed (one event each), hence keys expected in the state. */
  readonly keys: number;
  /** Changelog partition written and restored (one partition: the case the target names). */
  readonly partition: number;
  /** Detector instances of the template that ran (finance: card_velocity). */
  readonly detectors: readonly string[];
  /** Each phase is present once it completed; a failed run (ok: false) keeps what it measured. */
  readonly feed?: StateFeed;
  readonly memory?: StateMemory;
  readonly changelog?: StateChangelog;
  readonly restore?: StateRestore;
  /** CPU time of the whole child (user + system), all phases. */
  readonly cpuSeconds: number;
  /** process.resourceUsage().maxRSS at the end, in MiB (includes the restore's record list). */
  readonly peakRssMiB: number;
}

export interface StateFeed {
  /** Events decoded (EventDecoder, as the detect stage does) and run through PartitionRuntime.process. */
  readonly events: number;
  readonly seconds: number;
  readonly rate: number;
  /** drainChanges() calls, one per `drainEvery` events like one per batch in the stage. */
  readonly drains: number;
  readonly drainEvery: number;
  /** Event time covered by the run, kept under the shortest state TTL so nothing is evicted. */
  readonly eventSpanSeconds: number;
  readonly stateTtlSeconds: number;
  /** Keys the runtime evicted during the run (must be 0 for the per-key figures to hold). */
  readonly evicted: number;
  readonly findings: number;
}

export interface StateMemory {
  /** state.keyCount() after the run. */
  readonly keyCount: number;
  /** V8 heapUsed after gc(), minus the same before the first event; changelog spilled to disk, not held. */
  readonly heapDeltaBytes: number;
  /** heapDeltaBytes / keyCount: what the target bounds. */
  readonly heapBytesPerKey: number;
  /** Heap per card over all of the template's detector stores (a card is a key in each). */
  readonly heapBytesPerCard: number;
  /** state.estimateBytes() / keyCount: sampled JSON size of the values alone (what the metric shows). */
  readonly estimateBytesPerKey: number;
  /** Mean JSON bytes of key + value over the changelog records of the state (for comparison). */
  readonly changelogBytesPerKey: number;
}

export interface StateChangelog {
  readonly topic: string;
  /** Records drained over the run: one per key, plus one meta record per drain. */
  readonly records: number;
  /** Key + value bytes of those records. */
  readonly bytes: number;
  /** Producer sends (Vigil's idempotent producer, acks=all), each at most `batchBytes`. */
  readonly sends: number;
  readonly batchBytes: number;
  readonly seconds: number;
  readonly rate: number;
}

export interface StateRestore {
  /** state.keyCount() of the restored runtime. */
  readonly keys: number;
  readonly records: number;
  /**
   * From calling kafka.readToEnd (end offsets, throw-away group join, fetches, leaving the group)
   * until every record is applied to a fresh PartitionRuntime, as DetectStage.restore does it.
   */
  readonly seconds: number;
  /** keys / seconds: what the target bounds. */
  readonly rate: number;
  /** Of which readToEnd() as it reports itself (includes decoding in its callback). */
  readonly readSeconds: number;
  /** Until the first messages reached the callback: end offsets, connect, group join, first fetch. */
  readonly firstMessageSeconds: number;
  /** Until the last messages reached the callback. */
  readonly lastMessageSeconds: number;
  /** Spent in the callback: decoding each record and applying it (ChangelogRestorer.apply). */
  readonly decodeSeconds: number;
  /** After the read: dropping state of detectors no longer in force (ChangelogRestorer.finish). */
  readonly applySeconds: number;
  /** Batches handed to the callback, and the mean records per batch. */
  readonly batches: number;
  readonly meanBatchRecords: number;
  /** CPU time of the child over `seconds` (kafkajs runs on the main thread too). */
  readonly cpuSeconds: number;
  /** Restored state's V8 heap per key (gc'd, record list dropped): may differ from the live run's. */
  readonly heapBytesPerKey: number;
  /** The restored values equal the live run's (same keys, same values in the same order). */
  readonly matches: boolean;
}
