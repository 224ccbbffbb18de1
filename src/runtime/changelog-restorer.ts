import { decodeRecord } from './changelog.js';
import type { PartitionRuntime } from './partition-runtime.js';

/** A changelog message as any reader hands it over (key and value bytes). */
export interface ChangelogMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/**
 * Rebuilds partitions' detector state from their changelog: feed it every message in order with
 * `apply`, then call `finish`. Records are applied as they arrive, since holding a million decoded
 * records first costs GBs. The one restore path of the detect stage and the state bench.
 */
export class ChangelogRestorer {
  private readonly inputNext = new Map<number, bigint>();
  private records = 0;

  /** `runtimes`: a fresh runtime per partition to restore. */
  constructor(private readonly runtimes: ReadonlyMap<number, PartitionRuntime>) {}

  apply(partition: number, messages: readonly ChangelogMessage[]): void {
    const runtime = this.runtimes.get(partition);
    if (!runtime) throw new Error(`changelog partition ${partition} was not being restored`);
    for (const m of messages) {
      const record = decodeRecord(m.key ?? '', m.value);
      if (record.kind === 'input') this.inputNext.set(partition, BigInt(record.next));
      else runtime.restore(record);
    }
    this.records += messages.length;
  }

  /** Per partition, the next input offset the changelog recorded (its `i` record), if any. */
  inputOffsets(): ReadonlyMap<number, bigint> {
    return this.inputNext;
  }

  /**
   * Drops the state of detectors no longer in force (rules deleted or changed while the partition
   * was elsewhere) and says how much state is left.
   */
  finish(): { keys: number; records: number } {
    let keys = 0;
    for (const runtime of this.runtimes.values()) {
      runtime.prune();
      keys += runtime.state.keyCount();
    }
    return { keys, records: this.records };
  }
}
