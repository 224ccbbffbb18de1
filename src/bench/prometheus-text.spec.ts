import { sumSamples } from './prometheus-text.js';

const TEXT = `# HELP vigil_events_processed_total Events run through the detectors
# TYPE vigil_events_processed_total counter
vigil_events_processed_total{template="t1",partition="0"} 5
vigil_events_processed_total{template="t1",partition="1"} 7
vigil_events_processed_total{template="t2",partition="0"} 100
vigil_events_processed_total_extra 1000
vigil_sink_rows_total{table="a \\"quoted\\" name"} 3
vigil_process_resident_memory_bytes 1048576
`;

describe('sumSamples', () => {
  it('sums every series of a metric, or those whose labels match', () => {
    expect(sumSamples(TEXT, 'vigil_events_processed_total')).toBe(112);
    expect(sumSamples(TEXT, 'vigil_events_processed_total', { template: 't1' })).toBe(12);
    expect(sumSamples(TEXT, 'vigil_events_processed_total', { template: 't1', partition: '1' })).toBe(7);
  });

  it('reads unlabelled samples and escaped label values', () => {
    expect(sumSamples(TEXT, 'vigil_process_resident_memory_bytes')).toBe(1048576);
    expect(sumSamples(TEXT, 'vigil_sink_rows_total', { table: 'a "quoted" name' })).toBe(3);
  });

  it('is 0 for a metric that is not there or no matching series', () => {
    expect(sumSamples(TEXT, 'vigil_alerts_total')).toBe(0);
    expect(sumSamples(TEXT, 'vigil_events_processed_total', { template: 't3' })).toBe(0);
  });
});
