/**
 * A patient's own normal for one vital, learned as readings arrive: a winsorised exponential
 * average (center) and mean absolute deviation (scale). Each reading is clipped to
 * center ± `winsorise` × scale before it updates them, so one artefact moves the normal little,
 * while a level that persists pulls it along (and widens the scale) until it is the new normal.
 * Plain numbers for a keyed store: [readings, center, scale, episode (−1 low, 0 none, 1 high),
 * calm readings in the episode, latest reading time].
 */
export type BaselineTrack = number[];

export interface BaselineConfig {
  /** Readings before any can deviate. */
  readonly minHistory: number;
  /** The averages weigh the last ~this many readings. */
  readonly readings: number;
  /** A deviation is at least `z` scales… */
  readonly z: number;
  /** …and at least this far from the center (units of the vital). */
  readonly minDeviation: number;
  readonly winsorise: number;
  /** An episode ends after `exitReadings` consecutive readings within `exitFraction` of the limit. */
  readonly exitFraction: number;
  readonly exitReadings: number;
  /** Which deviations open an episode that notifies. */
  readonly direction: 'both' | 'up' | 'down';
}

export interface BaselineStep {
  /** Center and scale before this reading (undefined on the first reading). */
  readonly center?: number;
  readonly scale?: number;
  readonly deviation?: number;
  readonly limit?: number;
  /** 1 or −1 when this reading opens an episode that notifies. */
  readonly opened: number;
}

const N = 0;
const CENTER = 1;
const SCALE = 2;
const EPISODE = 3;
const CALM = 4;
const LAST = 5;
/** Readings before winsorising: the scale means nothing before. */
const WINSORISE_AFTER = 3;

export function observeBaseline(track: BaselineTrack | undefined, x: number, time: number, cfg: BaselineConfig): { track: BaselineTrack; step: BaselineStep } {
  if (track === undefined || track[N] === 0) return { track: [1, x, 0, 0, 0, time], step: { opened: 0 } };
  const n = track[N]!;
  const center = track[CENTER]!;
  const scale = track[SCALE]!;
  const limit = Math.max(cfg.z * scale, cfg.minDeviation);
  const deviation = x - center;
  let opened = 0;
  // A reading older than the latest one is history: it teaches the normal but opens nothing.
  if (n >= cfg.minHistory && time >= track[LAST]!) {
    const episode = track[EPISODE]!;
    if (Math.abs(deviation) >= limit) {
      const dir = Math.sign(deviation);
      if (episode !== dir) {
        track[EPISODE] = dir;
        if (cfg.direction === 'both' || (cfg.direction === 'up') === dir > 0) opened = dir;
      }
      track[CALM] = 0;
    } else if (episode !== 0) {
      track[CALM] = Math.abs(deviation) < limit * cfg.exitFraction ? track[CALM]! + 1 : 0;
      if (track[CALM]! >= cfg.exitReadings) {
        track[EPISODE] = 0;
        track[CALM] = 0;
      }
    }
  }
  const alpha = 1 / Math.min(n + 1, cfg.readings);
  const clip = n >= WINSORISE_AFTER ? cfg.winsorise * Math.max(scale, cfg.minDeviation / cfg.z) : Infinity;
  const clipped = Math.min(center + clip, Math.max(center - clip, x));
  track[CENTER] = center + alpha * (clipped - center);
  track[SCALE] = scale + alpha * (Math.min(Math.abs(deviation), clip) - scale);
  track[N] = n + 1;
  track[LAST] = Math.max(track[LAST]!, time);
  return { track, step: { center, scale, deviation, limit, opened } };
}
