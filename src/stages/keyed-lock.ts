/**
 * Runs work one at a time per key (a partition, or one key for a whole stage), in call order. A
 * failed piece of work does not block the next; its caller gets the error.
 */
export class KeyedLock<K = string> {
  private readonly tails = new Map<K, Promise<unknown>>();

  async run<T>(key: K, work: () => T | Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.tails.set(key, next);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === next) this.tails.delete(key);
    }
  }
}
