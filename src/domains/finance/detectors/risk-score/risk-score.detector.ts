import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { compileRiskInput, rawValue, transform } from './risk-input.js';
import { riskScoreParams, type RiskScoreParams } from './risk-score.params.js';

/**
 * The per-transaction risk score: a logistic combination of the signals the detectors before it in
 * the template published about the same event (and of raw fields such as the amount),
 *
 *     score = 1 / (1 + e^−(bias + Σ weight × transform(value)))
 *
 * so each signal's contribution is one additive term in log-odds, which is what the finding
 * explains: `values` holds `contrib.<name>` (the term) and `<name>` (the raw value) for every input.
 * It keeps no state. It publishes `score` and each `contrib.<name>` for every event (backtests rank
 * by the score and report the contributions) and emits a
 * `risk.score` finding when the score is at or above `emitAbove`; `thresholds.score` is that.
 * Place it after the detectors whose signals it reads.
 */
export const riskScoreDetector = defineDetector<RiskScoreParams>({
  meta: {
    name: 'risk_score',
    version: '1.0.0',
    description: "Logistic combination of the other detectors' signals per transaction, with each contribution explained",
    params: riskScoreParams,
    requiredFields: (p) => p.inputs.flatMap((input) => (input.field === undefined ? [] : [input.field])),
    stateTtl: () => 0,
  },
  create(context: DetectorContext, params: RiskScoreParams): DetectorInstance {
    const inputs = params.inputs.map(compileRiskInput);
    // Reused for every event: two fresh arrays per payment are garbage at a million payments.
    const terms = new Float64Array(inputs.length);
    const raws = new Float64Array(inputs.length);
    return {
      process(event: VigilEvent): void {
        const signals = context.signals();
        let logit = params.bias;
        for (let i = 0; i < inputs.length; i++) {
          const input = inputs[i]!;
          const raw = rawValue(input, event.fields, signals);
          const term = input.weight * transform(input, raw);
          context.signal(input.contribSignal, term);
          raws[i] = raw;
          terms[i] = term;
          logit += term;
        }
        const score = 1 / (1 + Math.exp(-logit));
        context.signal('score', score);
        if (score < params.emitAbove) return;

        const values: Record<string, number> = { score: round(score, 4), logit: round(logit, 3) };
        const explained: { name: string; term: number }[] = [];
        inputs.forEach(({ name }, i) => {
          values[`contrib.${name}`] = round(terms[i]!, 3);
          values[name] = round(raws[i]!, 3);
          if (terms[i] !== 0) explained.push({ name, term: terms[i]! });
        });
        explained.sort((a, b) => Math.abs(b.term) - Math.abs(a.term));
        const why = explained.slice(0, 3).map(({ name, term }) => `${name} ${term >= 0 ? '+' : ''}${term.toFixed(2)}`);
        const critical = params.criticalAbove !== undefined && score >= params.criticalAbove;
        context.emit({
          entity: event.key,
          severity: critical ? 'critical' : params.severity,
          kind: 'risk.score',
          title: `risk ${score.toFixed(2)} for ${event.key}${why.length > 0 ? `: ${why.join(', ')}` : ''}`,
          score,
          windowStart: event.time,
          windowEnd: event.time,
          values,
          thresholds: { score: params.emitAbove },
          eventIds: [event.id],
        });
      },
    };
  },
});

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
