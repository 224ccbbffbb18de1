import { DetectorTestContext, testEvent } from '../../../../runtime/testing/detector-test-context.js';
import { haversineKm } from './haversine.js';
import { impossibleTravelDetector } from './impossible-travel.detector.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
const BRUSSELS = { lat: 50.8503, lon: 4.3517 };
const ANTWERP = { lat: 51.2194, lon: 4.4025 };
const MADRID = { lat: 40.4168, lon: -3.7038 };

function pay(minute: number, at: { lat: number; lon: number } | null, card = 'c1') {
  return testEvent(T0 + minute * MINUTE, { card_id: card, lat: at?.lat ?? null, lon: at?.lon ?? null });
}

describe('impossible travel detector', () => {
  it('measures great-circle distances', () => {
    expect(haversineKm(BRUSSELS.lat, BRUSSELS.lon, MADRID.lat, MADRID.lon)).toBeCloseTo(1316, -1);
    expect(haversineKm(1, 2, 1, 2)).toBe(0);
  });

  it('flags a card paying in Brussels then in Madrid 20 minutes later', () => {
    const ctx = DetectorTestContext.start(impossibleTravelDetector, {});
    ctx.process(pay(0, BRUSSELS));
    const [finding, ...rest] = ctx.process(pay(20, MADRID));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ entity: 'c1', kind: 'travel.impossible', severity: 'high', windowStart: T0, windowEnd: T0 + 20 * MINUTE });
    expect(finding!.values!.distance_km).toBeGreaterThan(1300);
    expect(ctx.published.speed_kmh).toBeGreaterThan(3900);
  });

  it('allows a flight, short hops, online payments and other cards', () => {
    const ctx = DetectorTestContext.start(impossibleTravelDetector, {});
    ctx.process(pay(0, BRUSSELS));
    ctx.process(pay(180, MADRID)); // 3 hours: a flight
    ctx.process(pay(181, null)); // online: no location
    ctx.process(pay(182, MADRID, 'c2'));
    ctx.process(pay(183, ANTWERP, 'c3'));
    ctx.process(pay(188, BRUSSELS, 'c3')); // 41 km in 5 minutes: under minDistanceKm
    expect(ctx.emitted).toEqual([]);
    expect(ctx.published.distance_km).toBeCloseTo(41, -1);
  });
});
