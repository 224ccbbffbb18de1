import type { BacktestReport } from './report.js';

/** A row of the `backtest_metrics` table. */
export interface BacktestMetricRow {
  readonly run_id: string;
  readonly created_at: string;
  readonly template: string;
  /** '' for the combined risk score. */
  readonly detector: string;
  /** 'YYYY-MM-DD'; 1970-01-01 for the whole run. */
  readonly day: string;
  readonly metric: string;
  readonly value: number;
}

const WHOLE_RUN = '1970-01-01';

/** The report as table rows; metrics that are undefined for the data (NaN) are left out. */
export function metricRows(report: BacktestReport): BacktestMetricRow[] {
  const rows: BacktestMetricRow[] = [];
  const createdAt = report.created_at.replace('T', ' ').replace('Z', '');
  const add = (detector: string, day: string, metric: string, value: number): void => {
    if (Number.isFinite(value)) rows.push({ run_id: report.run_id, created_at: createdAt, template: report.template, detector, day, metric, value });
  };
  const whole = report.handbook_protocol;
  add('', WHOLE_RUN, 'auc_roc', whole.auc_roc);
  add('', WHOLE_RUN, 'average_precision', whole.average_precision);
  add('', WHOLE_RUN, 'card_precision_at_100', whole.card_precision_at_100);
  add('', WHOLE_RUN, 'precision', report.alerts.precision);
  add('', WHOLE_RUN, 'recall', report.alerts.recall);
  add('', WHOLE_RUN, 'alerts', report.alerts.alerts);
  add('', WHOLE_RUN, 'time_to_detection_ms', report.time_to_detection.medianMs);
  for (const day of report.per_day) {
    add('', day.day, 'auc_roc', day.auc_roc);
    add('', day.day, 'average_precision', day.average_precision);
    add('', day.day, 'card_precision_at_100', day.card_precision_at_100);
    add('', day.day, 'precision', day.precision);
    add('', day.day, 'recall', day.recall);
    add('', day.day, 'alerts', day.alerts);
  }
  for (const detector of report.detectors) {
    add(detector.detector, WHOLE_RUN, 'alerts', detector.alerts);
    add(detector.detector, WHOLE_RUN, 'precision', detector.precision);
    add(detector.detector, WHOLE_RUN, 'recall', detector.recall);
  }
  for (const [signal, means] of Object.entries(report.contributions)) {
    // `<risk detector>.contrib.<input>`: the input is the row's detector, the value its mean on frauds.
    add(signal.split('.contrib.')[1] ?? signal, WHOLE_RUN, 'contribution', means.mean_fraud - means.mean_genuine);
  }
  return rows;
}
