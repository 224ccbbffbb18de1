/**
 * Event-time timers of one partition. A timer is identified by (owner, name, key): scheduling the
 * same identity again moves it, so detectors can keep "expire this key at t" timers cheaply.
 * Due timers come out in time order; ties keep scheduling order so replays are deterministic.
 */
export interface DueTimer {
  readonly owner: string;
  readonly name: string;
  readonly key: string;
  readonly time: number;
}

interface Entry extends DueTimer {
  readonly seq: number;
}

/** A timer set (time) or gone (null: fired or restored away), for the changelog. */
export interface TimerChange {
  readonly owner: string;
  readonly name: string;
  readonly key: string;
  readonly time: number | null;
}

export class TimerQueue {
  private readonly byId = new Map<string, Entry>();
  private heap: Entry[] = [];
  private seq = 0;
  private changes = new Map<string, TimerChange>();

  get size(): number {
    return this.byId.size;
  }

  schedule(owner: string, name: string, key: string, time: number): void {
    this.set(owner, name, key, time);
    this.changes.set(timerId(owner, name, key), { owner, name, key, time });
  }

  /** Sets a timer from the changelog, without recording a change. */
  restore(owner: string, name: string, key: string, time: number | null): void {
    if (time === null) this.byId.delete(timerId(owner, name, key));
    else this.set(owner, name, key, time);
  }

  /** Timers set or fired since the last drain, latest per timer. */
  drain(): TimerChange[] {
    const out = [...this.changes.values()];
    this.changes = new Map();
    return out;
  }

  private set(owner: string, name: string, key: string, time: number): void {
    const entry: Entry = { owner, name, key, time, seq: this.seq++ };
    this.byId.set(timerId(owner, name, key), entry);
    this.push(entry);
    if (this.heap.length > 4 * this.byId.size + 1024) this.compact();
  }

  /**
   * True when some timer may be due by `until` (the earliest entry is, though it may turn out to
   * be superseded): lets the runtime skip `popDue` and its allocation on nearly every event.
   */
  hasDue(until: number): boolean {
    return this.heap.length > 0 && this.heap[0]!.time <= until;
  }

  /** Removes and returns every live timer with time <= `until`, earliest first. */
  popDue(until: number): DueTimer[] {
    const due: DueTimer[] = [];
    while (this.heap.length > 0 && this.heap[0]!.time <= until) {
      const entry = this.pop()!;
      const id = timerId(entry.owner, entry.name, entry.key);
      // Superseded entries stay in the heap until they surface; only the latest one is live.
      if (this.byId.get(id) === entry) {
        this.byId.delete(id);
        this.changes.set(id, { owner: entry.owner, name: entry.name, key: entry.key, time: null });
        due.push({ owner: entry.owner, name: entry.name, key: entry.key, time: entry.time });
      }
    }
    if (this.heap.length > 4 * this.byId.size + 1024) this.compact();
    return due;
  }

  private compact(): void {
    this.heap = [...this.byId.values()].sort(compare);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[parent]!, heap[i]!) <= 0) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && compare(heap[left]!, heap[smallest]!) < 0) smallest = left;
        if (right < heap.length && compare(heap[right]!, heap[smallest]!) < 0) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

function timerId(owner: string, name: string, key: string): string {
  return `${owner}\u0000${name}\u0000${key}`;
}

function compare(a: Entry, b: Entry): number {
  return a.time - b.time || a.seq - b.seq;
}
