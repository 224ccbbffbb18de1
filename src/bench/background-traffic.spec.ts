import { BackgroundTraffic } from './background-traffic.js';
import { builtInGenerators } from '../domains/domains.js';

const START = Date.UTC(2026, 11, 6, 12, 0, 0);

function traffic(rate: number, durationMs: number): BackgroundTraffic {
  return new BackgroundTraffic(builtInGenerators().create('finance', { seed: 7, params: {} }), rate, durationMs, START);
}

const parse = (line: string) => {
  const [key, json, ...rest] = line.split('\t');
  return { key, value: JSON.parse(json!) as { timestamp: string; card: { id: string } }, rest };
};

describe('BackgroundTraffic', () => {
  it('generates rate × duration events, event i stamped i/rate seconds after the start', () => {
    const t = traffic(200, 1_500);
    expect(t.size).toBe(300);
    const lines = t.chunk(0, t.size).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(300);
    const times = lines.map((line) => Date.parse(parse(line).value.timestamp));
    expect(times[0]).toBe(START);
    expect(times[1]).toBe(START + 5);
    expect(times[299]).toBe(START + 1_495);
  });

  it('writes key<TAB>json lines keyed as the template keys events (card id)', () => {
    for (const line of traffic(100, 1_000).chunk(0, 100).trimEnd().split('\n')) {
      const { key, value, rest } = parse(line);
      expect(rest).toEqual([]);
      expect(key).toBe(value.card.id);
    }
  });

  it('cuts chunks without losing or repeating a line, and stops at the end', () => {
    const t = traffic(100, 1_000);
    const whole = t.chunk(0, t.size);
    expect(t.chunk(0, 37) + t.chunk(37, 80) + t.chunk(80, 500)).toBe(whole);
    expect(t.chunk(100, 120)).toBe('');
  });

  it('runs its event clock from the start mark on', () => {
    const t = traffic(10, 1_000);
    t.start(1_000_000);
    expect(t.eventClock(1_000_000)).toBe(START);
    expect(t.eventClock(1_002_500)).toBe(START + 2_500);
  });
});
