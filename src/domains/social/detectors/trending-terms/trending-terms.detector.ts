import { defineDetector, type DetectorContext, type DetectorInstance, type FiredTimer } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { formatDuration } from '../../../../model/template/duration.js';
import {
  countAt, createSpaceSaving, errorAt, itemAt, offerSpaceSaving, samplesAt, sizeOf, totalOf, type SpaceSaving,
} from '../../sketch/space-saving.js';
import { itemLabel, postKey, postTerms, termFields } from '../post-terms.js';
import { trendingTermsParams, type TrendingTermsParams } from './trending-terms.params.js';

/** Store of each key's open windows, under `<key>|<window start>`: [start, posts, Space-Saving sketch]. */
export const TRENDING_STORE = 'window';
/** Timer that reports a window, one per store key. */
const CLOSE_TIMER = 'close';
/** Post ids remembered per counter: the latest post of each listed item is a contributing event. */
const SAMPLES = 1;

type WindowValue = [start: number, posts: number, sketch: SpaceSaving];

/**
 * Trending terms (heavy hitters): per key (the entity a post is about) and tumbling event-time
 * window, the top `k` hashtags, terms or authors, counted in a Space-Saving sketch of `capacity`
 * counters, so memory is bounded whatever the vocabulary. Each post counts an item once. When event
 * time passes the window's end + `lateness` (a timer), one finding at `severity` lists the top k
 * with their counts and error bounds (ties in the order the items reached the count): every item counted more than N / capacity times in the window
 * is in the sketch, and its true count lies in [count − error, count].
 *
 * Memory per key and open window (one, or two around a window's end while it waits for `lateness`):
 * `capacity` counters, each an item string, two numbers, one post id and an entry of the derived
 * item index (space-saving.ts): about 160 bytes per counter in V8 for 10-character items and
 * 40-character ids (57 without the id, 37 of it the index), so 200 counters ≈ 32 KB; a changelog
 * record of the window is about 60 bytes per counter (12 KB). A partition holds this per key (entity)
 * with posts in the open window; a key's window goes when it is reported.
 */
export const trendingTermsDetector = defineDetector<TrendingTermsParams>({
  meta: {
    name: 'trending_terms',
    version: '1.0.0',
    description: 'Top-k hashtags, terms or authors per key and tumbling window, in bounded memory (Space-Saving)',
    params: trendingTermsParams,
    requiredFields: termFields,
    // A window is reported (and deleted) at end + lateness; the TTL only guards against a lost timer.
    stateTtl: (p) => 2 * p.window + p.lateness,
  },
  create(context: DetectorContext, params: TrendingTermsParams): DetectorInstance {
    const windows = context.store<WindowValue>(TRENDING_STORE);

    function report(key: string, [start, posts, sketch]: WindowValue): void {
      const values: Record<string, number> = { posts, items: totalOf(sketch), counters: sizeOf(sketch) };
      const listed: string[] = [];
      const eventIds: string[] = [];
      for (let i = 0; i < Math.min(params.k, sizeOf(sketch)) && countAt(sketch, i) >= params.minCount; i++) {
        const item = itemAt(sketch, i);
        values[`count:${item}`] = countAt(sketch, i);
        values[`error:${item}`] = errorAt(sketch, i);
        listed.push(`${itemLabel(params.of, item)} ${countAt(sketch, i)}${errorAt(sketch, i) > 0 ? `±${errorAt(sketch, i)}` : ''}`);
        eventIds.push(...samplesAt(sketch, i, SAMPLES));
      }
      if (listed.length === 0) return;
      context.emit({
        entity: key,
        severity: params.severity,
        kind: `trending.${params.of}`,
        title: `Top ${params.of} for ${key} in ${formatDuration(params.window)}: ${listed.join(', ')}`,
        score: countAt(sketch, 0) / Math.max(1, totalOf(sketch)),
        windowStart: start,
        windowEnd: start + params.window,
        values,
        thresholds: { k: params.k, capacity: params.capacity, min_count: params.minCount, guaranteed_above: totalOf(sketch) / params.capacity },
        eventIds,
      });
    }

    return {
      process(event: VigilEvent): void {
        const key = postKey(event, params);
        if (key === undefined) return;
        const start = Math.floor(event.time / params.window) * params.window;
        const due = start + params.window + params.lateness;
        // Its window was reported already (the timer is due at or behind the watermark): never revised.
        if (due <= context.watermark()) return;
        const storeKey = `${key}|${start}`;
        let value = windows.get(storeKey);
        if (value === undefined) {
          value = [start, 0, createSpaceSaving()];
          context.schedule(CLOSE_TIMER, storeKey, due);
        }
        value[1]++;
        for (const item of postTerms(event, params)) offerSpaceSaving(value[2], params.capacity, SAMPLES, item, event.id);
        windows.put(storeKey, value);
      },
      onTimer(timer: FiredTimer): void {
        if (timer.name !== CLOSE_TIMER) return;
        const value = windows.get(timer.key);
        if (value === undefined) return;
        windows.delete(timer.key);
        report(timer.key.slice(0, timer.key.lastIndexOf('|')), value);
      },
    };
  },
});
