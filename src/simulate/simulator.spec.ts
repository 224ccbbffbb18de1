import { VirtualClock } from './clock.js';
import type { EventGenerator } from './generator.js';
import { runSimulator, type SimulatedMessage, type SimulatorProgress } from './simulator.js';

const START = Date.UTC(2025, 0, 1);

/** Every 10th event is fraud; the value records the time it was asked for. */
function fakeGenerator(intensity?: (timeMs: number) => number): EventGenerator & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    next(timeMs) {
      calls.push(timeMs);
      const n = calls.length;
      return { key: `k${n % 3}`, value: { n, timeMs }, label: { fraud: n % 10 === 0 } };
    },
    ...(intensity === undefined ? {} : { intensity }),
  };
}

function recordingSend(): { batches: SimulatedMessage[][]; send: (batch: SimulatedMessage[]) => Promise<void> } {
  const batches: SimulatedMessage[][] = [];
  return { batches, send: async (batch) => void batches.push(batch) };
}

describe('runSimulator', () => {
  it('sends `count` events in small batches, event times evenly spaced at `rate`', async () => {
    const generator = fakeGenerator();
    const { batches, send } = recordingSend();
    const result = await runSimulator({ generator, rate: 100, count: 1_000, send, clock: new VirtualClock(START) });

    expect(result).toEqual({ events: 1_000, fraud: 100, batches: 200 });
    expect(batches.every((batch) => batch.length === 5)).toBe(true);
    expect(batches.flat().map((message) => (message.value as { n: number }).n)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(generator.calls[0]).toBe(START);
    expect(generator.calls[999]).toBe(START + 9_990);
    expect(generator.calls.every((time, i) => i === 0 || time - generator.calls[i - 1]! === 10)).toBe(true);
  });

  it('runs for `durationMs` of clock time', async () => {
    const { send } = recordingSend();
    const result = await runSimulator({ generator: fakeGenerator(), rate: 50, durationMs: 60_000, send, clock: new VirtualClock(START) });
    expect(result.events).toBe(3_000);
    expect(result.fraud).toBe(300);
  });

  it('follows the generator’s intensity', async () => {
    const generator = fakeGenerator((timeMs) => (timeMs < START + 30_000 ? 2 : 0.5));
    const { send } = recordingSend();
    await runSimulator({ generator, rate: 10, durationMs: 60_000, send, clock: new VirtualClock(START) });
    const early = generator.calls.filter((time) => time < START + 30_000).length;
    expect(early).toBe(600);
    expect(generator.calls.length - early).toBe(150);
  });

  it('skips ahead instead of replaying a backlog when sending falls behind', async () => {
    const clock = new VirtualClock(START);
    const generator = fakeGenerator();
    const send = async (): Promise<void> => clock.advance(5_000);
    const result = await runSimulator({ generator, rate: 100, durationMs: 60_000, batchSize: 10, maxLagMs: 1_000, send, clock });
    // Each 10-event batch takes 5 s, and at most 1 s of backlog is kept: about 2 events per second get out.
    expect(result.events).toBeLessThan(200);
    const gaps = generator.calls.slice(1).map((time, i) => time - generator.calls[i]!);
    expect(Math.max(...gaps)).toBeGreaterThan(3_000);
  });

  it('reports progress after every batch', async () => {
    const progress: SimulatorProgress[] = [];
    const { send } = recordingSend();
    await runSimulator({
      generator: fakeGenerator(),
      rate: 100,
      count: 25,
      batchSize: 10,
      send,
      clock: new VirtualClock(START),
      onProgress: (p) => progress.push(p),
    });
    expect(progress.map((p) => [p.events, p.fraud, p.batches])).toEqual([
      [10, 1, 1],
      [20, 2, 2],
      [25, 2, 3],
    ]);
    expect(progress.at(-1)?.time).toBe(START + 240);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const { batches, send } = recordingSend();
    const stopAfterThree = async (batch: SimulatedMessage[]): Promise<void> => {
      await send(batch);
      if (batches.length === 3) controller.abort();
    };
    const result = await runSimulator({
      generator: fakeGenerator(),
      rate: 100,
      batchSize: 5,
      signal: controller.signal,
      send: stopAfterThree,
      clock: new VirtualClock(START),
    });
    expect(result.events).toBe(15);
  });

  it('waits at most 100 ms for a batch to fill', async () => {
    const { batches, send } = recordingSend();
    await runSimulator({ generator: fakeGenerator(), rate: 10, count: 6, batchSize: 50, send, clock: new VirtualClock(START) });
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 2]);
  });

  it('propagates a failed send', async () => {
    const send = async (): Promise<void> => Promise.reject(new Error('broker down'));
    await expect(runSimulator({ generator: fakeGenerator(), rate: 10, count: 5, send, clock: new VirtualClock(START) })).rejects.toThrow(
      'broker down',
    );
  });

  it('rejects a rate that is not positive', async () => {
    const { send } = recordingSend();
    await expect(runSimulator({ generator: fakeGenerator(), rate: 0, count: 1, send })).rejects.toThrow('rate must be positive, got 0');
  });
});
