import { round } from './measurement.js';
import type { ValueDiff } from './output-diff.js';

/** Issue 18: against each peer, at least twice its rate at no more than half its CPU per event. */
export const PEER_TARGETS = { rateRatioMin: 2, cpuPerEventRatioMax: 0.5 } as const;

/** One timed run of an engine (Vigil's detect alone, or a peer) in one round. */
export type EngineRun =
  | { readonly round: number; readonly ok: true; readonly rate: number; readonly seconds: number; readonly cpuSeconds: number; readonly findings: number; readonly alerts: number }
  | { readonly round: number; readonly ok: false; readonly error: string };

/** Means over the rounds that completed; per-round values beside them. */
export interface EngineSummary {
  /** events / seconds, mean over the completed rounds. */
  readonly rate: number | null;
  /** CPU-seconds of the engine's process per run, mean over the completed rounds. */
  readonly cpuSeconds: number | null;
  readonly cpuMicrosPerEvent: number | null;
  readonly seconds: number | null;
  readonly rounds: number;
  readonly rates: readonly (number | null)[];
  readonly cpuSecondsPerRound: readonly (number | null)[];
  readonly findings: readonly (number | null)[];
  readonly alerts: readonly (number | null)[];
  readonly errors?: readonly string[];
}

/** Vigil's outputs of one round against one peer's of the same round. */
export type RoundDiff =
  | { readonly round: number; readonly peer: string; readonly findings: ValueDiff; readonly alerts: ValueDiff }
  | { readonly round: number; readonly peer: string; readonly error: string };

export interface PeerComparisonInput {
  readonly events: number;
  readonly rounds: number;
  readonly template: string;
  readonly partitions: number;
  readonly vigil: readonly EngineRun[];
  /** Runs of each peer that ran; a skipped peer is absent. */
  readonly peers: Readonly<Record<string, readonly EngineRun[]>>;
  readonly diffs: readonly RoundDiff[];
  /** Why peers did not run (missing template, Java, script). */
  readonly skipped: readonly string[];
}

/** The result object; `events`, `vigil`, each peer by name and `outputsIdentical` are the interface. */
export type PeerComparison = {
  readonly events: number;
  readonly rounds: number;
  readonly template: string;
  readonly partitions: number;
  readonly vigil: EngineSummary;
  /** Vigil's rate over the peer's, and Vigil's CPU per event over the peer's. */
  readonly ratios: Readonly<Record<string, PeerRatios>>;
  /** Every round of every peer that ran had byte-identical findings and alerts to Vigil's; null when no peer ran. */
  readonly outputsIdentical: boolean | null;
  readonly differences: readonly RoundDiff[];
  readonly skipped?: readonly string[];
} & Readonly<Record<string, unknown>>;

export interface PeerRatios {
  readonly rate: number | null;
  readonly cpuPerEvent: number | null;
  /** Both ratios within PEER_TARGETS; null when either is unknown. */
  readonly targetMet: boolean | null;
}

export function summarizeEngine(events: number, runs: readonly EngineRun[]): EngineSummary {
  const done = runs.filter((run) => run.ok);
  const mean = (pick: (run: (typeof done)[number]) => number) => (done.length === 0 ? null : done.reduce((sum, run) => sum + pick(run), 0) / done.length);
  const rate = mean((run) => run.rate);
  const cpuSeconds = mean((run) => run.cpuSeconds);
  const seconds = mean((run) => run.seconds);
  const errors = runs.filter((run) => !run.ok).map((run) => `round ${run.round}: ${run.error}`);
  const perRound = (pick: (run: (typeof done)[number]) => number) => runs.map((run) => (run.ok ? pick(run) : null));
  return {
    rate: rate === null ? null : Math.round(rate),
    cpuSeconds: cpuSeconds === null ? null : round(cpuSeconds, 2),
    cpuMicrosPerEvent: cpuSeconds === null ? null : round((cpuSeconds / events) * 1e6, 1),
    seconds: seconds === null ? null : round(seconds, 3),
    rounds: done.length,
    rates: perRound((run) => run.rate),
    cpuSecondsPerRound: perRound((run) => run.cpuSeconds),
    findings: perRound((run) => run.findings),
    alerts: perRound((run) => run.alerts),
    ...(errors.length > 0 && { errors }),
  };
}

export function buildPeerComparison(input: PeerComparisonInput): PeerComparison {
  const vigil = summarizeEngine(input.events, input.vigil);
  const peers = Object.fromEntries(Object.entries(input.peers).map(([name, runs]) => [name, summarizeEngine(input.events, runs)]));
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : round(a / b, 3));
  const ratios = Object.fromEntries(
    Object.entries(peers).map(([name, peer]): [string, PeerRatios] => {
      const rate = ratio(vigil.rate, peer.rate);
      const cpuPerEvent = ratio(vigil.cpuMicrosPerEvent, peer.cpuMicrosPerEvent);
      const targetMet = rate === null || cpuPerEvent === null ? null : rate >= PEER_TARGETS.rateRatioMin && cpuPerEvent <= PEER_TARGETS.cpuPerEventRatioMax;
      return [name, { rate, cpuPerEvent, targetMet }];
    }),
  );
  return {
    events: input.events,
    rounds: input.rounds,
    template: input.template,
    partitions: input.partitions,
    vigil,
    ...peers,
    ratios,
    outputsIdentical: outputsIdentical(input),
    differences: input.diffs.filter((diff) => !('findings' in diff) || !diff.findings.identical || !diff.alerts.identical),
    ...(input.skipped.length > 0 && { skipped: input.skipped }),
  };
}

/**
 * True only when a diff exists for every peer that ran in every round and each found nothing:
 * a round that failed or could not be read proves nothing, so it counts as not identical.
 */
function outputsIdentical(input: PeerComparisonInput): boolean | null {
  const peers = Object.keys(input.peers);
  if (peers.length === 0) return null;
  for (const peer of peers) {
    for (let r = 1; r <= input.rounds; r++) {
      const diff = input.diffs.find((d) => d.peer === peer && d.round === r);
      if (diff === undefined || !('findings' in diff) || !diff.findings.identical || !diff.alerts.identical) return false;
    }
  }
  return true;
}

export function renderPeerComparison(comparison: PeerComparison, peerNames: readonly string[]): string {
  const { vigil } = comparison;
  const lines = [`Vigil's detect stage against its peers: ${comparison.events} ${comparison.template} events, ${comparison.partitions} partitions, ${comparison.rounds} round(s)`];
  const row = (name: string, s: EngineSummary) =>
    `  ${name.padEnd(14)} ${fmt(s.rate).padStart(8)} events/s  ${fmt(s.cpuSeconds).padStart(7)} CPU-s  ${fmt(s.cpuMicrosPerEvent).padStart(6)} µs/event  rounds ${s.rates.map(fmt).join(' / ')}` +
    (s.errors ? `  FAILED ${s.errors.join('; ')}` : '');
  lines.push(row('vigil detect', vigil));
  for (const name of peerNames) {
    const peer = comparison[name] as EngineSummary | undefined;
    if (peer === undefined) continue;
    const r = comparison.ratios[name];
    const target = `target ≥ ${PEER_TARGETS.rateRatioMin}× at ≤ ${PEER_TARGETS.cpuPerEventRatioMax}×: ${r?.targetMet === true ? 'met' : r?.targetMet === false ? 'not met' : 'unknown'}`;
    lines.push(`${row(name, peer)}\n  ${''.padEnd(14)} Vigil ${fmt(r?.rate ?? null)}× its rate at ${fmt(r?.cpuPerEvent ?? null)}× its CPU per event (${target})`);
  }
  for (const reason of comparison.skipped ?? []) lines.push(`  skipped: ${reason}`);
  if (comparison.outputsIdentical === null) lines.push('  outputs: no peer ran, nothing compared');
  else if (comparison.outputsIdentical) lines.push('  outputs: findings and alerts byte-identical to Vigil\'s in every round');
  else lines.push('  outputs: NOT identical', ...comparison.differences.map(describeDiff));
  return lines.join('\n');
}

function describeDiff(diff: RoundDiff): string {
  if (!('findings' in diff)) return `    round ${diff.round}, ${diff.peer}: not compared: ${diff.error}`;
  const side = (what: string, d: ValueDiff) =>
    `${what} ${d.left} vs ${d.right}: ${d.onlyLeft} only in Vigil's, ${d.onlyRight} only in ${diff.peer}'s` +
    [...d.examples.onlyLeft.map((e) => `\n      vigil:  ${e}`), ...d.examples.onlyRight.map((e) => `\n      ${diff.peer}: ${e}`)].join('');
  return `    round ${diff.round}, ${diff.peer}: ${side('findings', diff.findings)}; ${side('alerts', diff.alerts)}`;
}

function fmt(value: number | null): string {
  return value === null ? '–' : value.toLocaleString('en-US');
}
