import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../logging/logger.js';

/** kafkajs logs at warn and above; debug/info from the client are noise for Vigil's operators. */
export const KAFKAJS_LOG_LEVEL = logLevel.WARN;

const CONCURRENT_TRANSACTIONS = /another concurrent operation on the same transaction/;
/**
 * Transactional producers bound their retries on purpose (kafkajs.producer.ts): a send that still
 * fails aborts its transaction, which keeps exactly-once; kafkajs warns about it at every start.
 */
const BOUNDED_IDEMPOTENT_RETRIES = /^Limiting retries for the idempotent producer/;
/** A seed broker that did not answer in time: kafkajs tries the next and retries; failing for good surfaces as VIGIL_KAFKA. */
const SEED_BROKER_RETRY = /^Failed to connect to seed broker, trying another broker/;
/**
 * A broker that has just started (every `npm start`) loads its group coordinator for a moment; a
 * consumer joining then "crashes" and kafkajs restarts it 300 ms later, which always succeeds.
 */
const COORDINATOR_LOADING = /^Crash: KafkaJSProtocolError: The coordinator is loading/;
const RESTARTING = /^Restarting the consumer in/;

/** Routes kafkajs' log entries into our pino logger (child `component: 'kafkajs'`). */
export function kafkajsLogCreator(logger: Logger | undefined, muted: () => boolean = () => false): logCreator {
  const log = logger?.child({ component: 'kafkajs' });
  /** Consumer groups whose last crash was a coordinator still loading: their restart line is routine too. */
  const loadingCrashes = new Set<unknown>();
  return () => (entry: LogEntry) => {
    if (!log || muted()) return;
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry.log;
    const record = { namespace: entry.namespace, ...fields };
    const group = (fields as { groupId?: unknown }).groupId;
    let routineRestart = false;
    if (entry.namespace === 'Consumer' && COORDINATOR_LOADING.test(message)) {
      loadingCrashes.add(group);
      routineRestart = true;
    } else if (entry.namespace === 'Consumer' && RESTARTING.test(message) && loadingCrashes.delete(group)) {
      routineRestart = true;
    }
    // kafkajs' Connection logs every error response (a rebalance in progress, a coordinator still
    // loading) at ERROR, although its callers retry them; a real failure surfaces as VIGIL_KAFKA.
    // Likewise the Producer's "Failed to send messages" for CONCURRENT_TRANSACTIONS, which our
    // producer retries (kafkajs.producer.ts).
    const retried =
      entry.namespace === 'Connection' || (entry.namespace === 'Producer' && CONCURRENT_TRANSACTIONS.test(message)) || routineRestart;
    const bounded = entry.namespace === 'Producer' && BOUNDED_IDEMPOTENT_RETRIES.test(message);
    const seedRetry = entry.level === logLevel.ERROR && entry.namespace === 'BrokerPool' && SEED_BROKER_RETRY.test(message);
    const level = (entry.level === logLevel.ERROR && retried) || (entry.level === logLevel.WARN && bounded) ? logLevel.DEBUG : seedRetry ? logLevel.WARN : entry.level;
    switch (level) {
      case logLevel.ERROR:
        log.error(record, message);
        break;
      case logLevel.WARN:
        log.warn(record, message);
        break;
      case logLevel.INFO:
        log.info(record, message);
        break;
      default:
        log.debug(record, message);
    }
  };
}
