/**
 * Requests per caller in fixed one-minute windows. A fixed window lets a caller burst up to twice
 * the rate across a window edge, which is fine for its purpose: one runaway script or token
 * guesser must not take the API from everyone else.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined when the request may go on; else the seconds until the caller's window ends. */
  take(caller: string): number | undefined {
    const now = this.now();
    let window = this.windows.get(caller);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.forgetEnded(now);
      window = { start: now, count: 0 };
      this.windows.set(caller, window);
    }
    window.count += 1;
    if (window.count <= this.perMinute) return undefined;
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }

  /** Bounds memory when many addresses call once (a scan). */
  private forgetEnded(now: number): void {
    for (const [caller, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(caller);
  }
}
