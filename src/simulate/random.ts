/**
 * Small deterministic randomness for the simulators. Two kinds, for two jobs:
 * - `Random` (mulberry32) is a sequential stream: the same seed and the same sequence of calls
 *   give the same numbers, which makes a simulated run reproducible.
 * - `hashUnit` is stateless: a number in [0, 1) derived from (seed, index, salt). Simulators use
 *   it to give millions of entities (customers, terminals) stable attributes without storing them.
 * Neither is cryptographic; both are only for simulated data.
 */
// Bound once so hot loops never look up the global `Math` (about 100x slower inside jest's vm
// contexts, which would make the simulator's statistical specs crawl).
const { imul, log, sqrt, cos, sin, floor, exp, PI } = Math;

export class Random {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    // mulberry32: 32-bit state, passes the usual statistical smoke tests, one multiply-xorshift round.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box-Muller, the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const [a, b] = boxMuller(this.next(), this.next());
    this.spareNormal = b;
    return a;
  }

  /** exp(N(ln median, sigma)): right-skewed positive values such as payment amounts. */
  logNormal(median: number, sigma: number): number {
    return median * exp(sigma * this.normal());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[floor(this.next() * items.length)]!;
  }
}

/** A 32-bit avalanche hash of a few integers (murmur3's finaliser applied per word). */
export function hash32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const word of words) {
    h = imul(h ^ (word >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Stateless uniform in [0, 1) for entity `index` and attribute `salt` under `seed`. */
export function hashUnit(seed: number, index: number, salt: number): number {
  return hash32(seed, index, salt) / 4_294_967_296;
}

/** Stateless standard normal for entity `index` and attribute `salt` under `seed`. */
export function hashNormal(seed: number, index: number, salt: number): number {
  return boxMuller(hashUnit(seed, index, salt), hashUnit(seed, index, salt + 0x5bd1e995))[0];
}

/** Picks an index with probability proportional to `cumulative` weights (ascending, last = total). */
export function pickCumulative(cumulative: readonly number[], unit: number): number {
  const target = unit * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function cumulativeWeights(weights: readonly number[]): number[] {
  let total = 0;
  return weights.map((weight) => (total += weight));
}

function boxMuller(u1: number, u2: number): [number, number] {
  const radius = sqrt(-2 * log(1 - u1));
  const angle = 2 * PI * u2;
  return [radius * cos(angle), radius * sin(angle)];
}
