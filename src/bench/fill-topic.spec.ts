import { fillStartTimeMs } from './fill-topic.js';

describe('fillStartTimeMs', () => {
  const day = Date.UTC(2026, 11, 8);
  const hour = 3_600_000;

  it('starts at 08:00 UTC today when the whole fill is already in the past', () => {
    expect(fillStartTimeMs(1_000_000, day + 15 * hour)).toBe(day + 8 * hour);
  });

  it('starts at 08:00 UTC of the day before when the fill would reach past now', () => {
    // A fill spanning 1,000 s started at 08:00 would end at 08:16:40, after 08:10.
    expect(fillStartTimeMs(1_000_000, day + 8 * hour + 600_000)).toBe(day - 16 * hour);
    expect(fillStartTimeMs(1_000_000, day + 2 * hour)).toBe(day - 16 * hour);
  });

  it('goes back as many days as a long fill needs', () => {
    const span = 200_000_000; // more than two days
    const start = fillStartTimeMs(span, day + 15 * hour);
    expect(start + span).toBeLessThanOrEqual(day + 15 * hour);
    expect(new Date(start).getUTCHours()).toBe(8);
    expect(start + span + 86_400_000).toBeGreaterThan(day + 15 * hour);
  });
});
