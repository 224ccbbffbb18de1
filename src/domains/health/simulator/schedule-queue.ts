/** An entry due at `dueMs`; ties go to the one scheduled first, so the order is deterministic. */
export interface Scheduled {
  readonly dueMs: number;
}

/** A binary min-heap of scheduled entries by (dueMs, insertion order). */
export class ScheduleQueue<T extends Scheduled> {
  private readonly items: { entry: T; order: number }[] = [];
  private inserted = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0]?.entry;
  }

  push(entry: T): void {
    const items = this.items;
    items.push({ entry, order: this.inserted++ });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.before(left, smallest)) smallest = left;
        if (right < items.length && this.before(right, smallest)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top.entry;
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.entry.dueMs < y.entry.dueMs || (x.entry.dueMs === y.entry.dueMs && x.order < y.order);
  }
}
