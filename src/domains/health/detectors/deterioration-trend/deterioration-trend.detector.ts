import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { observationRequiredFields, readObservation } from '../observation/observation.js';
import { deteriorationTrendParams, type DeteriorationTrendParams } from './deterioration-trend.params.js';
import { addPoint, lastValue, minBeforeLast, pointCount, span, theilSenPerHour, trimBefore, type TrendSeries } from './trend-series.js';

/** Store of each patient's trends. */
export const TREND_STORE = 'trend';
const NEWS2 = 'news2';

/** One patient: latest event time, a series per followed source, and which sources are in an episode. */
interface PatientTrends {
  at: number;
  series: Record<string, TrendSeries>;
  open: Record<string, 1>;
}

/**
 * Deterioration trend, before a threshold is crossed: a NEWS2 total that rose by `news2Rise`
 * within `window` from its lowest there while still below `news2Below` (read from the news2
 * detector's `total` signal, so place this detector after it), or a vital whose robust
 * (Theil–Sen) slope, as a change over `window`, is a worsening of at least its `change`. One
 * `trend.<source>` finding per episode: the source must fall below `exitFraction` of its threshold
 * before it can fire again. Publishes `news2_rise` and, for a followed vital's reading, `change`.
 */
export const deteriorationTrendDetector = defineDetector<DeteriorationTrendParams>({
  meta: {
    name: 'deterioration_trend',
    version: '1.0.0',
    description: 'Rising NEWS2 or a worsening vital over hours, before a threshold is crossed, once per episode',
    params: deteriorationTrendParams,
    requiredFields: (p) => observationRequiredFields(p, false),
    stateTtl: (p) => p.window,
  },
  create(context: DetectorContext, params: DeteriorationTrendParams): DetectorInstance {
    const store = context.store<PatientTrends>(TREND_STORE);
    const bucketMs = Math.max(1, Math.floor(params.window / params.points));
    const windowHours = params.window / 3_600_000;

    /** Fires once per episode: true when `measure` reaches `threshold` and the source was not in one. */
    const episode = (trends: PatientTrends, source: string, measure: number, threshold: number): boolean => {
      if (measure >= threshold) {
        if (trends.open[source] === 1) return false;
        trends.open[source] = 1;
        return true;
      }
      if (measure < threshold * params.exitFraction) delete trends.open[source];
      return false;
    };

    const emit = (event: VigilEvent, patient: string, trends: PatientTrends, source: string, title: string, values: Record<string, number>, thresholds: Record<string, number>, score: number) =>
      context.emit({
        entity: patient,
        severity: params.severity,
        kind: `trend.${source}`,
        title,
        score: Math.min(1, score),
        windowStart: trends.series[source]![0]!,
        windowEnd: trends.at,
        values,
        thresholds,
        eventIds: [event.id],
      });

    return {
      process(event: VigilEvent): void {
        const obs = readObservation(event, params, context.log);
        if (obs === undefined) return;
        const news2 = params.news2Signal === null ? undefined : context.signals().get(params.news2Signal);
        const watched = params.parameters[obs.parameter];
        if (news2 === undefined && watched === undefined) return;
        const trends = store.get(obs.patient) ?? { at: obs.time, series: {}, open: {} };
        trends.at = Math.max(trends.at, obs.time);
        const from = trends.at - params.window;
        for (const series of Object.values(trends.series)) trimBefore(series, from);

        if (news2 !== undefined) {
          const series = (trends.series[NEWS2] ??= []);
          addPoint(series, trends.at, news2, bucketMs, 'last');
          const low = minBeforeLast(series);
          const rise = low === undefined ? 0 : news2 - low;
          context.signal('news2_rise', rise);
          // At or above news2Below the news2 detector has escalated: count it as this episode.
          if (params.news2Below !== null && news2 >= params.news2Below) trends.open[NEWS2] = 1;
          else if (episode(trends, NEWS2, rise, params.news2Rise)) {
            emit(
              event,
              obs.patient,
              trends,
              NEWS2,
              `NEWS2 rose from ${low} to ${news2} within ${windowHours} h for patient ${obs.patient}`,
              { total: news2, lowest: low!, rise },
              { rise: params.news2Rise, ...(params.news2Below === null ? {} : { below: params.news2Below }) },
              rise / (2 * params.news2Rise),
            );
          }
        }

        if (watched !== undefined && obs.time >= from) {
          const series = (trends.series[obs.parameter] ??= []);
          addPoint(series, obs.time, obs.value, bucketMs, 'mean');
          const slope = pointCount(series) >= params.minPoints && span(series) >= params.minSpan ? theilSenPerHour(series) : undefined;
          if (slope !== undefined) {
            const change = slope * windowHours;
            const worse = watched.direction === 'up' ? change : -change;
            context.signal('change', change);
            if (episode(trends, obs.parameter, worse, watched.change)) {
              emit(
                event,
                obs.patient,
                trends,
                obs.parameter,
                `${obs.parameter} ${watched.direction === 'up' ? 'rising' : 'falling'} ${round(Math.abs(slope))}/h for patient ${obs.patient}: ` +
                  `${round(change)} over ${windowHours} h (now ${round(lastValue(series)!)})`,
                { slope_per_h: round(slope), change: round(change), value: obs.value, points: pointCount(series) },
                { change: watched.change },
                worse / (2 * watched.change),
              );
            }
          }
        }
        store.put(obs.patient, trends);
      },
    };
  },
});

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
