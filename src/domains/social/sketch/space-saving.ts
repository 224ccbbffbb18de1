/**
 * Space-Saving (Metwally, Agrawal, El Abbadi 2005): the heavy hitters of a stream in `capacity`
 * counters. Each counter holds an item, its count and the error that count may overstate; a new
 * item takes over the smallest counter and inherits its count as error. Guarantees, for a stream of
 * N items: every item whose true count exceeds N / capacity holds a counter, and for an item held,
 * count − error ≤ true count ≤ count.
 *
 * The sketch is a tuple of plain arrays so it can be a store value as is (JSON, changelogged):
 * counters are kept sorted by count, largest first, so the smallest is the last one and an
 * increment is a binary search and one swap (O(log capacity), no allocation); finding an item is a
 * lookup in an index from item to counter. Each counter also keeps the ids of the last
 * `samples` events that counted it (a ring), for a finding's contributing events.
 *
 * Memory per counter, measured in V8 for 10-character items and 40-character ids: about 57 bytes
 * (item string and two numbers), plus about 64 per kept id and about 37 for the derived index entry.
 */
export type SpaceSaving = [total: number, items: string[], counts: number[], errors: number[], samples: string[]];

/**
 * Item → counter index of each sketch in use, derived from its `items` and kept in step by
 * `offerSpaceSaving`, so a lookup is one hash probe instead of comparing up to `capacity` strings.
 * It is not state: it is rebuilt from the sketch the first time a sketch object is offered an item
 * (after a restore from the changelog, the value is a new object), and goes with the sketch object.
 */
const indexes = new WeakMap<SpaceSaving, Map<string, number>>();

function indexOf(sketch: SpaceSaving): Map<string, number> {
  let index = indexes.get(sketch);
  if (index === undefined) {
    index = new Map(sketch[ITEMS].map((item, i) => [item, i]));
    indexes.set(sketch, index);
  }
  return index;
}

const TOTAL = 0;
const ITEMS = 1;
const COUNTS = 2;
const ERRORS = 3;
const SAMPLES = 4;

export function createSpaceSaving(): SpaceSaving {
  return [0, [], [], [], []];
}

/**
 * Counts one occurrence of `item` (with the event `id` that carried it); returns the counter's
 * index after the update. `capacity` and `samples` must stay the same for the life of the sketch.
 * The id is kept only once the counter has seen `sampleFrom` occurrences (count − error): a caller
 * that only ever reports items past a count need not store ids for the long tail.
 */
export function offerSpaceSaving(sketch: SpaceSaving, capacity: number, samples: number, item: string, id: string, sampleFrom = 1): number {
  const items = sketch[ITEMS];
  const counts = sketch[COUNTS];
  const errors = sketch[ERRORS];
  const ids = sketch[SAMPLES];
  const index = indexOf(sketch);
  sketch[TOTAL]++;
  let i = index.get(item) ?? -1;
  if (i < 0) {
    if (items.length < capacity) {
      i = items.length;
      index.set(item, i);
      items.push(item);
      counts.push(0);
      errors.push(0);
      for (let s = 0; s < samples; s++) ids.push('');
    } else {
      i = items.length - 1; // the smallest counter
      index.delete(items[i]!);
      index.set(item, i);
      items[i] = item;
      errors[i] = counts[i]!;
      for (let s = 0; s < samples; s++) ids[i * samples + s] = '';
    }
  }
  const count = counts[i]!;
  const j = firstAtOrBelow(counts, count, i);
  if (j !== i) {
    swap(sketch, samples, i, j);
    index.set(items[i]!, i);
    index.set(items[j]!, j);
  }
  counts[j] = count + 1;
  const seen = count - errors[j]!;
  if (samples > 0 && seen + 1 >= sampleFrom) ids[j * samples + (seen % samples)] = id;
  return j;
}

/** The counter of `item`, or −1 when the sketch holds none for it. */
export function indexOfItem(sketch: SpaceSaving, item: string): number {
  return indexOf(sketch).get(item) ?? -1;
}

export function itemAt(sketch: SpaceSaving, index: number): string {
  return sketch[ITEMS][index]!;
}

export function countAt(sketch: SpaceSaving, index: number): number {
  return sketch[COUNTS][index]!;
}

export function errorAt(sketch: SpaceSaving, index: number): number {
  return sketch[ERRORS][index]!;
}

/** The ids of the last events that counted counter `index`, latest first. */
export function samplesAt(sketch: SpaceSaving, index: number, samples: number): string[] {
  const ids = sketch[SAMPLES];
  const seen = sketch[COUNTS][index]! - sketch[ERRORS][index]!;
  const out: string[] = [];
  for (let back = 1; back <= Math.min(samples, seen); back++) {
    const id = ids[index * samples + ((((seen - back) % samples) + samples) % samples)];
    if (id) out.push(id);
  }
  return out;
}

/** Items counted so far (N). */
export function totalOf(sketch: SpaceSaving): number {
  return sketch[TOTAL];
}

/** Counters in use; they are sorted by count, largest first, so the top k are the first k. */
export function sizeOf(sketch: SpaceSaving): number {
  return sketch[ITEMS].length;
}

/**
 * Upper bound on the true count of an item the sketch does not hold: the smallest count once all
 * `capacity` counters are in use (0 before).
 */
export function unheldBound(sketch: SpaceSaving, capacity: number): number {
  const counts = sketch[COUNTS];
  return counts.length < capacity ? 0 : (counts[counts.length - 1] ?? 0);
}

/** Leftmost index in [0, upTo] whose count is <= `count` (counts are sorted descending). */
function firstAtOrBelow(counts: readonly number[], count: number, upTo: number): number {
  let lo = 0;
  let hi = upTo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (counts[mid]! <= count) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function swap(sketch: SpaceSaving, samples: number, a: number, b: number): void {
  swapIn(sketch[ITEMS], a, b);
  swapIn(sketch[COUNTS], a, b);
  swapIn(sketch[ERRORS], a, b);
  for (let s = 0; s < samples; s++) swapIn(sketch[SAMPLES], a * samples + s, b * samples + s);
}

function swapIn<T>(array: T[], a: number, b: number): void {
  const t = array[a]!;
  array[a] = array[b]!;
  array[b] = t;
}
