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

  it('scales detect out in the separate shape only when asked', () => {
    expect(parse([]).alertDetectProcesses).toBe(1);
    expect(parse(['--alert-detect-processes', '2']).alertDetectProcesses).toBe(2);
    expect(() => parse(['--alert-detect-processes', '0'])).toThrow(/--alert-detect-processes/);
  });

  it('rejects an unknown shape with the flag named', () => {
    expect(() => parse(['--alert-shape', 'two'])).toThrow(BenchUsageError);
    expect(() => parse(['--alert-shape', 'two'])).toThrow(/--alert-shape/);
  });
});

describe('parseBenchOptions: pipeline shape', () => {
  it('measures the pipeline in one process and as separate processes by default', () => {
    expect(parse([]).pipelineShapes).toEqual(['one-process', 'separate']);
  });

  it('takes one shape, and rejects an unknown one with the flag named', () => {
    expect(parse(['--pipeline-shape', 'one']).pipelineShapes).toEqual(['one-process']);
    expect(parse(['--pipeline-shape', 'separate']).pipelineShapes).toEqual(['separate']);
    expect(() => parse(['--pipeline-shape', 'many'])).toThrow(/--pipeline-shape/);
  });
});

describe('parseBenchOptions: peers', () => {
  it('compares with no peer, three rounds and human output by default', () => {
    const options = parse([]);
    expect(options.peers).toEqual([]);
    expect(options.rounds).toBe(3);
    expect(options.json).toBe(false);
    expect(options.peersDir).toBeUndefined();
  });

  it('takes a comma-separated list of peers, once each, in the order given', () => {
    expect(parse(['--peers', 'kstreams,flink']).peers).toEqual(['kstreams', 'flink']);
    expect(parse(['--peers', 'flink']).peers).toEqual(['flink']);
    expect(parse(['--peers', 'flink, kstreams,flink']).peers).toEqual(['flink', 'kstreams']);
  });

  it('rejects an unknown or empty list with the flag and the known peers named', () => {
    expect(() => parse(['--peers', 'kstreams,spark'])).toThrow(BenchUsageError);
    expect(() => parse(['--peers', 'kstreams,spark'])).toThrow(/--peers: unknown peer "spark" \(known: kstreams, flink\)/);
    expect(() => parse(['--peers', ','])).toThrow(/--peers/);
  });

  it('takes the rounds, the peers folder and --json', () => {
    const options = parse(['--peers', 'kstreams', '--rounds', '1', '--peers-dir', '/tmp/p', '--json']);
    expect(options).toMatchObject({ rounds: 1, peersDir: '/tmp/p', json: true });
    expect(() => parse(['--rounds', '0'])).toThrow(/--rounds/);
  });
});

describe('parseBenchOptions: all-in-one memory run', () => {
  it('runs in the full bench with 1M cards by default', () => {
    const options = parse([]);
    expect(options).toMatchObject({ memory: true, memoryOnly: false, memoryCards: 1_000_000 });
  });

  it('takes the cards, runs alone or not at all', () => {
    expect(parse(['--memory-cards', '20000']).memoryCards).toBe(20_000);
    expect(parse(['--memory-only']).memoryOnly).toBe(true);
    expect(parse(['--no-memory']).memory).toBe(false);
    expect(() => parse(['--memory-cards', '0'])).toThrow(/--memory-cards/);
  });
});
