import type { PipelineResult } from './pipeline-result.js';
import { combineSeparate } from './pipeline-separate.js';
import { buildReport, type BenchRun } from './report.js';

function child(stages: string[], seconds: number | null, rss: number, ok = true): PipelineResult {
  return {
    ok,
    stages,
    events: 1000,
    processed: 1000,
    storedEvents: 1000,
    findings: 0,
    alerts: 0,
    storedFindings: 0,
    storedAlerts: 0,
    startSeconds: 0.1,
    firstEventSeconds: 0.5,
    detectSeconds: seconds,
    sinkSeconds: seconds,
    seconds,
    rate: seconds === null ? null : Math.round(1000 / seconds),
    cpuSeconds: 1.5,
    eventLoopUtilization: 0.5,
    eventInserts: { count: 0, seconds: 0, meanRows: 0 },
    closeSeconds: 0.1,
    peakRssMiB: rss,
    memory: { rssMiB: rss, heapUsedMiB: 1, heapTotalMiB: 1, externalMiB: 1 },
    sinkBatchRows: 100,
    sinkFlushMs: 100,
  };
}

describe('combineSeparate', () => {
  it('is as fast as the slower process, and holds both processes memory', () => {
    const result = combineSeparate(child(['detect'], 4, 300), child(['sink'], 2, 200));
    expect(result).toMatchObject({ ok: true, seconds: 4, rate: 250, peakRssMiB: 500, cpuSeconds: 3 });
  });

  it('has no rate when either process failed', () => {
    const result = combineSeparate(child(['detect'], null, 300, false), child(['sink'], 2, 200));
    expect(result).toMatchObject({ ok: false, seconds: null, rate: null });
  });
});

describe('buildReport: pipeline target', () => {
  const base: BenchRun = {
    startedAt: '2026-11-25T00:00:00Z',
    node: 'v24',
    events: 1000,
    partitions: 6,
    broker: 'local',
    kafkajs: { name: 'kafkajs (bare)', messages: 1000, seconds: 1, flowSeconds: 1, rate: 1000, flowRate: 1000 },
    errors: {},
  };

  it('judges the better of the two shapes and names it', () => {
    const report = buildReport({ ...base, pipeline: child(['detect', 'sink'], 5, 400), separatePipeline: combineSeparate(child(['detect'], 2.5, 300), child(['sink'], 2, 200)) });
    expect(report.ratios.pipelineVsKafkajs).toBe(0.2);
    expect(report.ratios.separateVsKafkajs).toBe(0.4);
    expect(report.targets.pipelineVsKafkajs).toEqual({ min: 0.5, value: 0.4, met: false, shape: 'separate processes' });
  });

  it('judges the one-process pipeline when it is the only one measured', () => {
    const report = buildReport({ ...base, pipeline: child(['detect', 'sink'], 1.6, 400) });
    expect(report.targets.pipelineVsKafkajs).toEqual({ min: 0.5, value: 0.625, met: true, shape: 'one process' });
  });
});
