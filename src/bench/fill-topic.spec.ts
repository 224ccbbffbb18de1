import { fillStartTimeMs } from './fill-topic.js';

describe('fillStartTimeMs', () => {
  const day = Date.UTC(2026, 11, 8);
  const hour = 3_600_000;

  it('starts at 08:00 UTC today when the whole fill is already in the past', () => {
    expect(fillStartTimeMs(200_000, day + 15 * hour)).toBe(day + 8 * hour);
  });

  it('starts at 08:00 UTC of the day before when the fill would reach past now', () => {
    // 200,000 events at 5 ms each span 1,000 s: at 08:10 they would end at 08:16:40.
    expect(fillStartTimeMs(200_000, day + 8 * hour + 600_000)).toBe(day - 16 * hour);
    expect(fillStartTimeMs(200_000, day + 2 * hour)).toBe(day - 16 * hour);
  });

  it('goes back as many days as a long fill needs', () => {
    const events = 40_000_000; // 200,000 s: more than two days
    const start = fillStartTimeMs(events, day + 15 * hour);
    expect(start + events * 5).toBeLessThanOrEqual(day + 15 * hour);
    expect(new Date(start).getUTCHours()).toBe(8);
    expect(start + events * 5 + 86_400_000).toBeGreaterThan(day + 15 * hour);
  });
});
