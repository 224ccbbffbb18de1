import { AcceleratedClock } from './clock.js';

describe('AcceleratedClock', () => {
  it('runs simulated time faster than the wall clock, from its start', async () => {
    const clock = new AcceleratedClock(1_000_000, 100);
    expect(clock.now()).toBeGreaterThanOrEqual(1_000_000);
    const before = clock.now();
    await clock.sleep(2_000); // 20 ms of real time
    expect(clock.now() - before).toBeGreaterThanOrEqual(1_900);
  });

  it('rejects a speed that is not positive', () => {
    expect(() => new AcceleratedClock(0, 0)).toThrow('speed must be positive');
  });
});
