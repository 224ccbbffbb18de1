import { measurePipeline, type PipelineMeasureOptions } from './pipeline-measure.js';
import type { PipelineResult } from './pipeline-result.js';

/**
 * The pipeline as docker-compose deploys it: detect and sink each in its own process, started
 * together on the same template copy (same consumer groups and topics), so the two stages use
 * both cores instead of sharing one event loop.
 */
export interface SeparatePipelineResult {
  readonly ok: boolean;
  readonly detect: PipelineResult;
  readonly sink: PipelineResult;
  /** The slower child's time to its goal (detect: all events processed; sink: all stored). */
  readonly seconds: number | null;
  readonly rate: number | null;
  /** Both children's peak resident memory, added: what the machine held at most. */
  readonly peakRssMiB: number;
  readonly cpuSeconds: number;
}

export async function measureSeparatePipeline(options: Omit<PipelineMeasureOptions, 'stages'>): Promise<SeparatePipelineResult> {
  const [detect, sink] = await Promise.all([measurePipeline({ ...options, stages: ['detect'] }), measurePipeline({ ...options, stages: ['sink'] })]);
  return combineSeparate(detect, sink);
}

export function combineSeparate(detect: PipelineResult, sink: PipelineResult): SeparatePipelineResult {
  const ok = detect.ok && sink.ok && detect.seconds !== null && sink.seconds !== null;
  const seconds = ok ? Math.max(detect.seconds!, sink.seconds!) : null;
  return {
    ok,
    detect,
    sink,
    seconds,
    rate: seconds === null || seconds <= 0 ? null : Math.round(detect.events / seconds),
    peakRssMiB: Math.round((detect.peakRssMiB + sink.peakRssMiB) * 10) / 10,
    cpuSeconds: Math.round((detect.cpuSeconds + sink.cpuSeconds) * 100) / 100,
  };
}
