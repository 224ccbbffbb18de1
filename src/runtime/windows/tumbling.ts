import type { DetectorContext, FiredTimer } from '../../model/detector.js';
import { HoppingWindow } from './hopping.js';
import type { ClosedWindowHandler } from './window-aggregate.js';

export interface TumblingWindowOptions {
  /** Store and timer name; the detector routes `onTimer` calls with this name here. */
  readonly name: string;
  /** Window length S in ms; windows are [kS, kS + S), aligned to the epoch (UTC). */
  readonly size: number;
  /** Extra event time (ms) a window waits after its end before it is emitted. Default 0. */
  readonly allowedLateness?: number;
  readonly onClose: ClosedWindowHandler;
}

/**
 * Per-key tumbling (fixed, non-overlapping) windows, each emitted once through `onClose` when the
 * partition's event time reaches its end + allowedLateness. A tumbling window is a hopping window
 * whose hop equals its size, so the semantics are HoppingWindow's: events for a window still open
 * are counted in any order; an event whose window was already emitted is dropped (`add` returns
 * false); empty windows are not emitted; a key costs [emittedThrough] plus 5 numbers per open
 * window, usually one. Set the detector's `meta.stateTtl` to at least size + allowedLateness.
 */
export class TumblingWindow {
  private readonly windows: HoppingWindow;

  constructor(context: DetectorContext, options: TumblingWindowOptions) {
    this.windows = new HoppingWindow(context, { ...options, hop: options.size });
  }

  get name(): string {
    return this.windows.name;
  }

  /** Counts `value` at `time` in the key's window; false when that window was already emitted. */
  add(key: string, time: number, value: number): boolean {
    return this.windows.add(key, time, value);
  }

  /** Emits the key's due windows when `timer` is this window's; false for someone else's timer. */
  onTimer(timer: FiredTimer): boolean {
    return this.windows.onTimer(timer);
  }
}
