import { BenchUsageError, parseBenchOptions, type BenchOptions } from './bench-options.js';

function parse(argv: string[]): BenchOptions {
  const options = parseBenchOptions(argv);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('parseBenchOptions: alert latency', () => {
  it('measures both shapes by default, after everything else', () => {
    const options = parse([]);
    expect(options.alertShapes).toEqual(['one-process', 'separate']);
    expect(options.alertsOnly).toBe(false);
    expect(options.alerts).toBe(true);
  });

  it('takes one shape, or only the alert run', () => {
    expect(parse(['--alert-shape', 'one']).alertShapes).toEqual(['one-process']);
    expect(parse(['--alert-shape', 'separate']).alertShapes).toEqual(['separate']);
    expect(parse(['--alerts-only']).alertsOnly).toBe(true);
  });

  it('rejects an unknown shape with the flag named', () => {
    expect(() => parse(['--alert-shape', 'two'])).toThrow(BenchUsageError);
    expect(() => parse(['--alert-shape', 'two'])).toThrow(/--alert-shape/);
  });
});
