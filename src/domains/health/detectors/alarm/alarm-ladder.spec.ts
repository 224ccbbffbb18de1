import { newAlarmState, stepAlarm, type AlarmLevel } from './alarm-ladder.js';

const H = 3_600_000;
const T = Date.UTC(2026, 0, 1);
const LEVELS: AlarmLevel[] = [
  { notifies: false, renotify: Infinity },
  { notifies: true, renotify: 4 * H },
  { notifies: true, renotify: H },
];

/** Runs (time in hours, raw level, clearly below) evaluations; what each notified. */
function run(steps: readonly [number, number, boolean?][], exitReadings = 3): string[] {
  const state = newAlarmState(LEVELS.length);
  return steps.map(([hours, raw, clearly]) => {
    const step = stepAlarm(state, LEVELS, raw, clearly ?? false, T + hours * H, exitReadings);
    return `${step.level}${step.notify === undefined ? '' : ` ${step.notify}`}`;
  });
}

describe('alarm ladder', () => {
  it('notifies an escalation, holds the level while the score stays, reminds after the interval', () => {
    expect(run([[0, 0], [1, 1], [2, 1], [4.9, 1], [5, 1], [9, 1]])).toEqual(['0', '1 escalation', '1', '1', '1 reminder', '1 reminder']);
  });

  it('holds a level through fewer than exitReadings lower evaluations, leaves it after them or when clearly below', () => {
    expect(run([[0, 1], [0.5, 0], [1, 0], [1.5, 1], [2, 0], [2.5, 0], [3, 0]])).toEqual(['1 escalation', '1', '1', '1', '1', '1', '0']);
    expect(run([[0, 1], [1, 0, true]])).toEqual(['1 escalation', '0']);
  });

  it('a re-entry within the interval does not notify again; after it, it does', () => {
    expect(run([[0, 1], [1, 0, true], [2, 1], [3, 0, true], [4, 1]])).toEqual(['1 escalation', '0', '1', '0', '1 escalation']);
  });

  it('a higher level notifies at once; a lower one after a recent higher one waits for its own interval', () => {
    expect(run([[0, 1], [0.5, 2], [1, 1, true], [4.4, 1], [4.5, 1]])).toEqual(['1 escalation', '2 escalation', '1', '1', '1 reminder']);
  });

  it('a level that does not notify is tracked silently', () => {
    const state = newAlarmState(2);
    const silent: AlarmLevel[] = [LEVELS[0]!, { notifies: false, renotify: H }];
    expect(stepAlarm(state, silent, 1, false, T, 3)).toMatchObject({ level: 1, notify: undefined });
    expect(stepAlarm(state, silent, 1, false, T + 2 * H, 3)).toMatchObject({ level: 1, notify: undefined });
  });
});
