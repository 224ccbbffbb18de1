import { parseNews2Input } from '../news2/news2-input.js';
import { implausibleReason, plausibleOrMissing } from './plausibility.js';

describe('vital plausibility', () => {
  it.each([
    ['spo2', 140, 'spo2: 140 is outside the plausible range 20–100 %'],
    ['temperature', 3, 'temperature: 3 is outside the plausible range 25–45 °C'],
    ['temperature', 98.6, 'temperature: 98.6 is outside the plausible range 25–45 °C'],
    ['pulse', -1, 'pulse: -1 is outside the plausible range 0–300 /min'],
    ['fio2', 40, 'fio2: 40 is outside the plausible range 0.21–1'],
    ['resp_rate', '16', 'resp_rate: expected a number, got "16"'],
  ] as const)('rejects %p %p', (name, value, reason) => expect(implausibleReason(name, value)).toBe(reason));

  it.each([
    ['spo2', 100], ['spo2', 20], ['temperature', 25], ['temperature', 45], ['pulse', 0], ['systolic_bp', 300], ['fio2', 0.21],
  ] as const)('accepts %p %p', (name, value) => expect(implausibleReason(name, value)).toBeUndefined());

  it('treats an implausible recorded value as missing', () => {
    expect(plausibleOrMissing('spo2', 140)).toBeUndefined();
    expect(plausibleOrMissing('spo2', 97)).toBe(97);
    expect(plausibleOrMissing('spo2', undefined)).toBeUndefined();
  });
});

describe('news2 input line', () => {
  it('reads every field; absent and null are missing', () => {
    expect(parseNews2Input({ resp_rate: 18, spo2: 95, spo2_scale: 2, on_oxygen: true, systolic_bp: 120, pulse: 80, consciousness: 'c', temperature: null })).toEqual({
      ok: true,
      vitals: { respRate: 18, spo2: 95, spo2Scale: 2, onOxygen: true, systolicBp: 120, pulse: 80, consciousness: 'C' },
    });
  });

  it.each([
    [[1, 2], 'expected a JSON object'],
    [{ spo2: 140 }, 'spo2: 140 is outside the plausible range 20–100 %'],
    [{ spo2_scale: 3 }, 'spo2_scale: expected 1 or 2, got 3'],
    [{ on_oxygen: 'yes' }, 'on_oxygen: expected true or false, got "yes"'],
    [{ consciousness: 'X' }, 'consciousness: expected one of A, C, V, P, U, got "X"'],
  ])('rejects %p', (input, reason) => expect(parseNews2Input(input)).toEqual({ ok: false, reason }));
});
