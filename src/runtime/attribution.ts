import type { FeedbackLabel } from '../model/records.js';

/**
 * What a finding emitted right now is attributed to: the event being processed, a label being
 * delivered or a timer firing, its time, and how many findings the current detector has emitted
 * for it (the sequence that keeps finding ids distinct). One object per runtime, re-aimed before
 * every detector call rather than allocated: a replay makes millions of calls and hardly any emit.
 * A label's trigger id is built only when something is emitted for it, for the same reason.
 */
export class Attribution {
  /** False outside process/onFeedback/onTimer: emitting then is a detector bug. */
  active = false;
  time = 0;
  emitted = 0;
  private id = '';
  private label: FeedbackLabel | undefined;

  /** A detector is about to process the event `id` at `time`. */
  toEvent(id: string, time: number): void {
    this.aim(id, undefined, time);
  }

  /** A detector is about to learn from `label`, delivered at its labelled_at. */
  toFeedback(label: FeedbackLabel): void {
    this.aim('', label, label.labelled_at);
  }

  /** A detector's timer is about to fire. */
  toTimer(owner: string, name: string, key: string, time: number): void {
    this.aim(`timer:${owner}:${name}:${key}:${time}`, undefined, time);
  }

  clear(): void {
    this.active = false;
    this.label = undefined;
  }

  get triggerId(): string {
    if (this.label !== undefined) {
      this.id = `feedback:${this.label.event_id}:${this.label.labelled_at}`;
      this.label = undefined;
    }
    return this.id;
  }

  private aim(id: string, label: FeedbackLabel | undefined, time: number): void {
    this.active = true;
    this.id = id;
    this.label = label;
    this.time = time;
    this.emitted = 0;
  }
}
