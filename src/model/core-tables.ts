/**
 * Tables Vigil's own migrations create; no template's events table or view may take these names.
 * The sink creates them, the template loader refuses them, so both read this one list.
 */
export const CORE_TABLES = ['findings', 'alerts', 'late_events', 'alert_deliveries', 'fraud_labels', 'backtest_metrics', 'dead_letters', 'consumer_lag', 'audit_log', 'vigil_migrations'] as const;

/** The name a first query reaches for ("SELECT count() FROM events"), whatever the template calls its table. */
export const EVENTS_VIEW = 'events';
