import {
  airOrOxygenPoints,
  consciousnessPoints,
  pulsePoints,
  respRatePoints,
  roundToChart,
  spo2Points,
  systolicBpPoints,
  temperaturePoints,
} from './news2-bands.js';

// Every band edge of the RCP NEWS2 chart (2017), both sides of each edge.
describe('NEWS2 bands', () => {
  it.each([
    [0, 3], [8, 3], [9, 1], [11, 1], [12, 0], [20, 0], [21, 2], [24, 2], [25, 3], [60, 3],
    [8.4, 3], [8.5, 1], [20.4, 0], [20.5, 2], [24.5, 3],
  ])('respiration rate %p scores %p', (value, points) => expect(respRatePoints(value)).toBe(points));

  it.each([
    [50, 3], [91, 3], [92, 2], [93, 2], [94, 1], [95, 1], [96, 0], [100, 0], [91.5, 2], [95.49, 1],
  ])('SpO2 scale 1 %p scores %p (air or oxygen alike)', (value, points) => {
    expect(spo2Points(value, 1, false)).toBe(points);
    expect(spo2Points(value, 1, true)).toBe(points);
    expect(spo2Points(value, 1, undefined)).toBe(points);
  });

  it.each([
    [70, true, 3], [83, false, 3], [84, true, 2], [85, false, 2], [86, true, 1], [87, false, 1],
    [88, true, 0], [92, true, 0], [88, false, 0], [92, false, 0],
    [93, false, 0], [100, false, 0],
    [93, true, 1], [94, true, 1], [95, true, 2], [96, true, 2], [97, true, 3], [100, true, 3],
  ])('SpO2 scale 2 %p (on oxygen: %p) scores %p', (value, onOxygen, points) => expect(spo2Points(value, 2, onOxygen)).toBe(points));

  it('SpO2 scale 2 at 93 % or more cannot be scored without knowing air or oxygen', () => {
    expect(spo2Points(93, 2, undefined)).toBeUndefined();
    expect(spo2Points(92, 2, undefined)).toBe(0);
  });

  it('oxygen scores 2, air 0', () => {
    expect(airOrOxygenPoints(true)).toBe(2);
    expect(airOrOxygenPoints(false)).toBe(0);
  });

  it.each([
    [40, 3], [90, 3], [91, 2], [100, 2], [101, 1], [110, 1], [111, 0], [219, 0], [220, 3], [280, 3], [90.5, 2], [219.4, 0],
  ])('systolic BP %p scores %p', (value, points) => expect(systolicBpPoints(value)).toBe(points));

  it.each([
    [0, 3], [40, 3], [41, 1], [50, 1], [51, 0], [90, 0], [91, 1], [110, 1], [111, 2], [130, 2], [131, 3], [220, 3], [90.5, 1], [130.49, 2],
  ])('pulse %p scores %p', (value, points) => expect(pulsePoints(value)).toBe(points));

  it.each([
    ['A', 0], ['C', 3], ['V', 3], ['P', 3], ['U', 3],
  ] as const)('consciousness %p scores %p', (value, points) => expect(consciousnessPoints(value)).toBe(points));

  it.each([
    [30, 3], [35.0, 3], [35.04, 3], [35.05, 1], [35.1, 1], [36.0, 1], [36.04, 1], [36.05, 0], [36.1, 0], [38.0, 0], [38.05, 1], [38.1, 1],
    [39.0, 1], [39.1, 2], [42, 2],
  ])('temperature %p °C scores %p', (value, points) => expect(temperaturePoints(value)).toBe(points));

  it('rounds half up to the chart resolution despite binary fractions', () => {
    expect(roundToChart(36.05, 1)).toBe(36.1);
    expect(roundToChart(35.05, 1)).toBe(35.1);
    expect(roundToChart(36.04999, 1)).toBe(36);
    expect(roundToChart(90.5, 0)).toBe(91);
    expect(roundToChart(90.49, 0)).toBe(90);
  });
});
