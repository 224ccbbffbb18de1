import { describe, expect, it } from '@jest/globals';
import { skippedText } from './demo-progress.js';
import { skippedReasons } from './demo-summary.js';

const template = { name: 'finance', event: { maxOutOfOrderness: 30_000, allowedLateness: 0 } } as const;

describe('what the demo says about events the detectors did not see', () => {
  it('says nothing when every event was processed', () => {
    expect(skippedText({ late: 0, deadLetters: 0 })).toBe('');
    expect(skippedReasons({ late: 0, deadLetterReasons: {} }, template)).toEqual([]);
  });

  it('counts late and dead-lettered events on the progress line', () => {
    expect(skippedText({ late: 9963, deadLetters: 0 })).toBe(' | late 9963');
    expect(skippedText({ late: 2, deadLetters: 3 })).toBe(' | late 2 | dead-lettered 3');
  });

  it('gives the summary one line per kind, with why and where to look', () => {
    const lines = skippedReasons({ late: 9963, deadLetterReasons: { VIGIL_EVENT_SCHEMA: 2, VIGIL_EVENT_DECODE: 1 } }, template);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^late 9963: event time more than 30 s behind the newest event already read from their partition, so the detectors skipped them \(.*FROM late_events/);
    expect(lines[1]).toMatch(/^dead-lettered by reason: VIGIL_EVENT_SCHEMA 2, VIGIL_EVENT_DECODE 1 \(.*FROM dead_letters/);
  });
});
