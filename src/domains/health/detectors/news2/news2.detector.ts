import { defineDetector, type DetectorContext, type DetectorInstance, type FiredTimer } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { scoreNews2, type News2Score } from '../../news2/news2.js';
import type { News2Risk } from '../../news2/news2-risk.js';
import { NEWS2_PARAMETERS } from '../../vitals/vital-signs.js';
import { stepAlarm, type AlarmLevel } from '../alarm/alarm-ladder.js';
import { observationRequiredFields, readObservation } from '../observation/observation.js';
import { chartReading, currentReadings, isComplete, newChart, spo2ScaleOf, vitalsOf, type News2Chart } from './news2-chart.js';
import { news2Finding } from './news2-finding.js';
import { news2Params, type News2Params } from './news2.params.js';
import { RISK_LEVELS } from './risk-levels.js';

/** Store of each patient's chart (see News2Chart). */
export const NEWS2_CHART_STORE = 'chart';
/** Timer that notifies a settled escalation. */
const SETTLE_TIMER = 'settle';

/** The chart's entry thresholds: a total of 5 is medium, 7 high; low-medium is a single parameter scoring 3. */
const MEDIUM_TOTAL = 5;
const HIGH_TOTAL = 7;
const RED_POINTS = 3;

/**
 * NEWS2 per patient on a live stream of single readings (RCP 2017): each reading updates the
 * patient's chart; the latest reading of each parameter counts while it is within its validity
 * window (older: missing, never zero), and the chart is scored with the exact NEWS2 bands. It
 * publishes `total`, `risk` (0 low … 3 high), `band` (the band held after hysteresis) and
 * `points.<parameter>` when at least `minParameters` are current, and `parameters` (how many are)
 * for every reading.
 *
 * Findings follow alarm-fatigue control (alarm-ladder.ts): one when the patient escalates into a
 * band that notifies (`news2.escalation`, `settle` after the escalation, with the band reached by
 * then), one per re-notification interval while the band persists (`news2.reminder`), never per
 * reading. A band is left when the total is its threshold minus `hysteresis.margin` or lower, or
 * after `hysteresis.readings` consecutive lower evaluations, counting only charts where every
 * parameter the patient has had is current (a stale reading is missing, so it cannot show that the
 * patient improved).
 */
export const news2Detector = defineDetector<News2Params>({
  meta: {
    name: 'news2',
    version: '1.0.0',
    description: 'NEWS2 per patient from the latest valid reading of each vital, with escalation by risk band, hysteresis and re-notification',
    params: news2Params,
    requiredFields: (p) => observationRequiredFields(p, true),
    stateTtl: (p) => p.stateTtl,
  },
  create(context: DetectorContext, params: News2Params): DetectorInstance {
    const charts = context.store<News2Chart>(NEWS2_CHART_STORE);
    const levels: AlarmLevel[] = RISK_LEVELS.map((risk) =>
      risk === 'low' ? { notifies: false, renotify: Infinity } : { notifies: params.escalation[risk] !== 'none', renotify: params.renotify[risk] },
    );
    const margin = params.hysteresis.margin;
    const thresholds = { medium_total: MEDIUM_TOTAL, high_total: HIGH_TOTAL, red_points: RED_POINTS, margin, exit_readings: params.hysteresis.readings };

    /** Whether the score is clearly below the entry threshold of `level` (threshold − margin). */
    const clearlyBelow = (score: News2Score, level: number): boolean => {
      if (level === 3) return score.total <= HIGH_TOTAL - margin;
      if (level === 2) return score.total <= MEDIUM_TOTAL - margin;
      const maxPoints = Math.max(0, ...Object.values(score.points).map((p) => p ?? 0));
      return maxPoints <= RED_POINTS - margin;
    };

    const scoreChart = (chart: News2Chart) => {
      const current = currentReadings(chart, params.validity);
      return { current, score: scoreNews2(vitalsOf(current, chart, params.spo2Scale)) };
    };

    const notify = (patient: string, chart: News2Chart, kind: 'escalation' | 'reminder', eventId: string): void => {
      const level = chart.alarm[0]!;
      const band = RISK_LEVELS[level]!;
      const severity = band === 'low' ? 'none' : params.escalation[band];
      if (severity === 'none') return;
      const { current, score } = scoreChart(chart);
      context.emit(
        news2Finding({
          patient,
          score,
          current,
          spo2Scale: spo2ScaleOf(chart, params.spo2Scale),
          band,
          bandLevel: level,
          severity,
          notify: kind,
          bandSince: chart.alarm[2]!,
          at: chart.at,
          eventId,
          thresholds,
        }),
      );
    };

    return {
      process(event: VigilEvent): void {
        const obs = readObservation(event, params, context.log);
        if (obs === undefined) return;
        const chart = charts.get(obs.patient) ?? newChart(RISK_LEVELS.length);
        if (!chartReading(chart, obs)) return;
        const { score } = scoreChart(chart);
        const present = NEWS2_PARAMETERS.length - score.missing.length;
        context.signal('parameters', present);
        if (present < params.minParameters) {
          charts.put(obs.patient, chart);
          return;
        }
        const risk = RISK_LEVELS.indexOf(score.risk as News2Risk);
        context.signal('total', score.total);
        context.signal('risk', risk);
        for (const name of NEWS2_PARAMETERS) {
          const points = score.points[name];
          if (points !== null) context.signal(`points.${name}`, points);
        }
        // A missing parameter adds no points, so a chart missing one the patient has had can raise a
        // band but never lower it: it holds the band until the stale readings are taken again.
        const held = chart.alarm[0]!;
        const evidence = risk < held && !isComplete(chart, score) ? held : risk;
        const step = stepAlarm(chart.alarm, levels, evidence, clearlyBelow(score, held), chart.at, params.hysteresis.readings);
        context.signal('band', step.level);
        if (step.notify === 'escalation' && params.settle > 0) {
          chart.pending = event.id;
          context.schedule(SETTLE_TIMER, obs.patient, chart.at + params.settle);
        }
        charts.put(obs.patient, chart);
        if (step.notify === 'reminder' || (step.notify === 'escalation' && params.settle === 0)) notify(obs.patient, chart, step.notify, event.id);
      },
      onTimer(timer: FiredTimer): void {
        const chart = charts.get(timer.key);
        if (chart === undefined || chart.pending === null) return;
        const eventId = chart.pending;
        chart.pending = null;
        charts.put(timer.key, chart);
        // A band left again before it settled was a passing reading: nothing to say.
        if (chart.alarm[0]! > 0) notify(timer.key, chart, 'escalation', eventId);
      },
    };
  },
});
