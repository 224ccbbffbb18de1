import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { formatDuration } from '../../../../model/template/duration.js';
import { addCountMin, estimateCountMin, type CountMinShape } from '../../sketch/count-min.js';
import { countAt, createSpaceSaving, errorAt, offerSpaceSaving, samplesAt, type SpaceSaving } from '../../sketch/space-saving.js';
import { itemLabel, postKey, postTerms, termFields } from '../post-terms.js';
import { emergingTermsParams, type EmergingTermsParams } from './emerging-terms.params.js';

/** Store of each key's baseline: [current window start, finished windows, ...Count-Min cells of the EWMA]. */
export const BASELINE_STORE = 'baseline';
/** Store of each key's current window: [window start, posts, Space-Saving sketch, Count-Min cells of its counts]. */
export const CURRENT_STORE = 'current';
/** Store of each key's fired items: [item, last window it qualified in, item, window, ...]. */
export const ACTIVE_STORE = 'active';
const WINDOW_START = 0;
const FINISHED = 1;
const CELLS = 2;
/** Post ids remembered per counter of the current window: the finding's contributing posts. */
const SAMPLES = 3;
/** Baseline cells are rounded to this when a window is folded in: shorter changelog records, no visible loss. */
const CELL_PRECISION = 1e4;

type CurrentValue = [start: number, posts: number, sketch: SpaceSaving, counts: number[]];

/**
 * Emerging terms: hashtags, terms or authors whose count in the current tumbling window is far
 * above their usual count per window, per key (the entity posts are about). The current window is
 * counted twice, in a Space-Saving sketch (the item's count with its error bound, and its latest
 * posts) and in a Count-Min sketch of integer counts (every item, however rare). The baseline is a
 * Count-Min sketch of the same shape holding an exponentially weighted average of each item's count
 * per finished window: when a key's next window starts, the finished window is folded in with
 * weight `alpha` and every empty window in between counts as zeros. The first windows are
 * bias-corrected (divided by 1 − (1 − alpha)^n, n windows finished), so the baseline is a true
 * average from the start.
 *
 * An item fires, on the post that takes it there, when its current count (the sketch's lower bound,
 * count − error) is at least `minCount` and at least `ratio` × (baseline + smoothing), after
 * `minHistory` finished windows. It fires once per episode: it stays quiet while it keeps qualifying
 * in consecutive windows, and may fire again after a window in which it did not. A late post (of an
 * earlier window) goes into the baseline with its window's weight and never fires. Count-Min can only
 * overstate an item's baseline, which makes the detector miss rather than invent.
 *
 * Memory per key: two Count-Min sketches of depth × width numbers (2 × 4 × 256 × 8 bytes = 16 KB by
 * default), `capacity` counters of the current window (an item, two numbers and 3 post-id slots
 * each, ids kept only for items near minCount: about 56 bytes of references and numbers plus an
 * index entry and the item string, ~10 KB for 100)
 * and up to `maxActive` fired items. Per post, the current window is written back; the baseline only
 * when a window finishes or a late post arrives.
 */
export const emergingTermsDetector = defineDetector<EmergingTermsParams>({
  meta: {
    name: 'emerging_terms',
    version: '1.0.0',
    description: 'Hashtags, terms or authors far above their own baseline count per window (Count-Min baseline, Space-Saving window)',
    params: emergingTermsParams,
    requiredFields: termFields,
    stateTtl: (p) => Math.max(p.ttl, 2 * p.window),
  },
  create(context: DetectorContext, params: EmergingTermsParams): DetectorInstance {
    const baselines = context.store<number[]>(BASELINE_STORE);
    const currents = context.store<CurrentValue>(CURRENT_STORE);
    const actives = context.store<(string | number)[]>(ACTIVE_STORE);
    const shape: CountMinShape = { depth: params.depth, width: params.width };
    const cellCount = params.depth * params.width;
    const keep = 1 - params.alpha;

    function openBaseline(start: number): number[] {
      const cells = new Array<number>(CELLS + cellCount).fill(0);
      cells[WINDOW_START] = start;
      return cells;
    }

    function openWindow(start: number): CurrentValue {
      return [start, 0, createSpaceSaving(), new Array<number>(cellCount).fill(0)];
    }

    /**
     * Moves the key to the window at `start`: the finished window is folded into the baseline, the
     * empty ones after it decay it, and fired items that did not qualify in the last window re-arm.
     */
    function roll(key: string, baseline: number[], window: CurrentValue | undefined, start: number): void {
      const finished = (start - baseline[WINDOW_START]!) / params.window;
      const decay = keep ** finished;
      // The finished window is `finished` − 1 windows older than the last one folded in at weight alpha.
      const weight = params.alpha * keep ** (finished - 1);
      const counts = window !== undefined && window[0] === baseline[WINDOW_START] ? window[3] : undefined;
      for (let i = 0; i < cellCount; i++) {
        const cell = baseline[CELLS + i]! * decay + (counts === undefined ? 0 : weight * counts[i]!);
        baseline[CELLS + i] = Math.round(cell * CELL_PRECISION) / CELL_PRECISION;
      }
      baseline[WINDOW_START] = start;
      baseline[FINISHED] = baseline[FINISHED]! + finished;
      const active = actives.get(key);
      if (active === undefined) return;
      const still: (string | number)[] = [];
      for (let i = 0; i < active.length; i += 2) if (active[i + 1] === start - params.window) still.push(active[i]!, active[i + 1]!);
      if (still.length === 0) actives.delete(key);
      else actives.put(key, still);
    }

    /** Whether `item` already fired in this episode; marks it as qualifying in the window either way. */
    function alreadyActive(key: string, item: string, start: number): boolean {
      const active = actives.get(key) ?? [];
      for (let i = 0; i < active.length; i += 2) {
        if (active[i] !== item) continue;
        active[i + 1] = start;
        actives.put(key, active);
        return true;
      }
      active.push(item, start);
      if (active.length > 2 * params.maxActive) active.splice(0, 2);
      actives.put(key, active);
      return false;
    }

    function check(key: string, event: VigilEvent, baseline: readonly number[], sketch: SpaceSaving, index: number, item: string, start: number): void {
      const finished = baseline[FINISHED]!;
      const count = countAt(sketch, index) - errorAt(sketch, index);
      if (finished < params.minHistory || count < params.minCount) return;
      const usual = estimateCountMin(baseline, CELLS, shape, item) / (1 - keep ** finished);
      const ratio = count / (usual + params.smoothing);
      if (ratio < params.ratio || alreadyActive(key, item, start)) return;
      const label = itemLabel(params.of, item);
      context.emit({
        entity: key,
        severity: params.severity,
        kind: `emerging.${params.of}`,
        title: `${label} is emerging for ${key}: ${count} in this ${formatDuration(params.window)} window, ${round2(usual)} usually (${round2(ratio)}× ≥ ${params.ratio}×)`,
        score: Math.min(1, ratio / (2 * params.ratio)),
        windowStart: start,
        windowEnd: event.time,
        values: { count, count_upper: countAt(sketch, index), baseline: round2(usual), ratio: round2(ratio), history_windows: finished },
        thresholds: { min_count: params.minCount, ratio: params.ratio, smoothing: params.smoothing, window_ms: params.window },
        eventIds: samplesAt(sketch, index, SAMPLES),
      });
    }

    return {
      process(event: VigilEvent): void {
        const key = postKey(event, params);
        if (key === undefined) return;
        const items = postTerms(event, params);
        const start = Math.floor(event.time / params.window) * params.window;
        const baseline = baselines.get(key) ?? openBaseline(start);
        const current = baseline[WINDOW_START]!;
        if (start < current) {
          // A late post: its window is finished, so it only teaches the baseline, at that window's weight.
          const weight = params.alpha * keep ** ((current - start) / params.window - 1);
          for (const item of items) addCountMin(baseline, CELLS, shape, item, weight);
          baselines.put(key, baseline);
          return;
        }
        let window = currents.get(key);
        if (start > current || window === undefined) {
          if (start > current) roll(key, baseline, window, start);
          baselines.put(key, baseline);
          window = openWindow(start);
        }
        window[1]++;
        for (const item of items) {
          addCountMin(window[3], 0, shape, item, 1);
          // Ids are kept only near minCount: the posts that take an item there are the ones a finding names.
          const index = offerSpaceSaving(window[2], params.capacity, SAMPLES, item, event.id, params.minCount - SAMPLES + 1);
          check(key, event, baseline, window[2], index, item, start);
        }
        currents.put(key, window);
      },
    };
  },
});

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
