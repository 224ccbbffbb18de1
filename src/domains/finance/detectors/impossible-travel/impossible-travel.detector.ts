import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { haversineKm } from './haversine.js';
import { impossibleTravelParams, type ImpossibleTravelParams } from './impossible-travel.params.js';

/** Store of each card's latest located payment: [time, lat, lon]. */
export const LAST_SEEN_STORE = 'last_seen';
const HOUR = 3_600_000;
/** Payments a minute apart or less are compared as if a minute apart (clock skew between terminals). */
const MIN_GAP_HOURS = 1 / 60;

/**
 * Impossible travel: two payments of one card at terminals too far apart for the time between
 * them, e.g. Brussels then Madrid 20 minutes later: one of them is a cloned card. Only payments
 * with a location (card-present) are compared; online payments carry none and are skipped.
 * Signals `speed_kmh` and `distance_km` against the card's previous located payment; a finding
 * `travel.impossible` above `maxSpeedKmh` over at least `minDistanceKm`.
 */
export const impossibleTravelDetector = defineDetector<ImpossibleTravelParams>({
  meta: {
    name: 'impossible_travel',
    version: '1.0.0',
    description: 'Consecutive located payments of a card too far apart for the time between them',
    params: impossibleTravelParams,
    requiredFields: (p) => [p.key, p.latField, p.lonField],
    // A card seen once a day still has a previous position worth comparing with.
    stateTtl: () => 2 * 86_400_000,
  },
  create(context: DetectorContext, params: ImpossibleTravelParams): DetectorInstance {
    const lastSeen = context.store<number[]>(LAST_SEEN_STORE);
    return {
      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        const lat = event.fields[params.latField];
        const lon = event.fields[params.lonField];
        if (keyValue === null || keyValue === undefined || typeof lat !== 'number' || typeof lon !== 'number') return;
        const key = String(keyValue);
        const previous = lastSeen.get(key);
        // Out-of-order payments are compared with the latest one but never replace it.
        if (!previous || event.time >= previous[0]!) lastSeen.put(key, [event.time, lat, lon]);
        if (!previous) return;
        const [time, prevLat, prevLon] = previous as [number, number, number];
        const distance = haversineKm(prevLat, prevLon, lat, lon);
        const hours = Math.max(Math.abs(event.time - time) / HOUR, MIN_GAP_HOURS);
        const speed = distance / hours;
        context.signal('distance_km', distance);
        context.signal('speed_kmh', speed);
        if (distance < params.minDistanceKm || speed <= params.maxSpeedKmh) return;
        context.emit({
          entity: event.key,
          severity: params.severity,
          kind: 'travel.impossible',
          title: `${params.key} ${key} paid ${Math.round(distance)} km apart within ${Math.round((Math.abs(event.time - time) / 60_000) * 10) / 10} min (${Math.round(speed)} km/h)`,
          score: Math.min(1, speed / (4 * params.maxSpeedKmh)),
          windowStart: Math.min(time, event.time),
          windowEnd: Math.max(time, event.time),
          values: { distance_km: Math.round(distance), speed_kmh: Math.round(speed), from_lat: prevLat, from_lon: prevLon, lat, lon },
          thresholds: { max_speed_kmh: params.maxSpeedKmh, min_distance_km: params.minDistanceKm },
          eventIds: [event.id],
        });
      },
    };
  },
});
