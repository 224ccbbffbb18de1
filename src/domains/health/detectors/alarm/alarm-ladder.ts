/**
 * Alarm-fatigue control shared by the health detectors that grade a patient into levels (NEWS2
 * risk bands, sepsis risk): a finding when a patient escalates or while a level persists past its
 * re-notification interval, never per reading. Level 0 is "nothing to say".
 *
 * - Escalation: the raw level rises above the held one; it notifies unless a notification at that
 *   level or above went out within the level's re-notification interval (so a score hovering at a
 *   threshold, leaving and re-entering, does not notify again).
 * - Hysteresis: the held level drops only when the score is clearly below its entry threshold
 *   (`clearlyBelow`, the caller's threshold − margin) or after `exitReadings` consecutive
 *   evaluations below it; until then it is held.
 * - Re-notification: while a level with a severity is held, a reminder once its interval has
 *   passed since the last notification at that level or above.
 *
 * The state is plain JSON for a keyed store: [level, consecutive lower evaluations, level since,
 * last notification time per level 1..n (−1: never)]. Times are the patient's event time and must
 * not go back (callers pass the latest event time they have seen for the patient).
 */
export type AlarmState = number[];

const LEVEL = 0;
const LOWER = 1;
const SINCE = 2;
const NOTIFIED = 3;

export interface AlarmLevel {
  /** False: the level is tracked (for hysteresis) but never notified. */
  readonly notifies: boolean;
  /** Event-time ms between reminders while the level persists. */
  readonly renotify: number;
}

export interface AlarmStep {
  readonly level: number;
  readonly previous: number;
  readonly notify?: 'escalation' | 'reminder';
  /** When the held level was entered. */
  readonly since: number;
}

export function newAlarmState(levels: number): AlarmState {
  return [0, 0, -1, ...Array.from({ length: levels - 1 }, () => -1)];
}

/**
 * One evaluation. `levels[0]` is level 0 (never notifies); `raw` the level the score alone
 * says; `clearlyBelow` whether the score is clearly below the held level's entry threshold.
 */
export function stepAlarm(
  state: AlarmState,
  levels: readonly AlarmLevel[],
  raw: number,
  clearlyBelow: boolean,
  time: number,
  exitReadings: number,
): AlarmStep {
  const previous = state[LEVEL]!;
  let notify: AlarmStep['notify'];
  if (raw > previous) {
    enter(state, raw, time);
    if (levels[raw]!.notifies && !notifiedWithin(state, levels, raw, time)) notify = 'escalation';
  } else if (raw < previous) {
    state[LOWER]!++;
    if (clearlyBelow || state[LOWER]! >= exitReadings) enter(state, raw, time);
  } else {
    state[LOWER] = 0;
  }
  const level = state[LEVEL]!;
  if (notify === undefined && level > 0 && levels[level]!.notifies && !notifiedWithin(state, levels, level, time)) notify = 'reminder';
  if (notify !== undefined) state[NOTIFIED + level - 1] = time;
  return { level, previous, notify, since: state[SINCE]! };
}

function enter(state: AlarmState, level: number, time: number): void {
  state[LEVEL] = level;
  state[LOWER] = 0;
  state[SINCE] = time;
}

/** Whether a notification at `level` or above went out less than `level`'s interval before `time`. */
function notifiedWithin(state: AlarmState, levels: readonly AlarmLevel[], level: number, time: number): boolean {
  for (let k = level; k < levels.length; k++) {
    const at = state[NOTIFIED + k - 1]!;
    if (at >= 0 && time - at < levels[level]!.renotify) return true;
  }
  return false;
}
