/**
 * Pre-fetches the Kafka broker jars into the cache (CI runs this before the tests so the first
 * integration test does not pay for Maven): `node dist/kafka/fetch-jars.js`.
 * Honours VIGIL_KAFKA_CACHE (default ~/.cache/vigil) through the config module.
 */
import { loadConfig } from '../config/vigil-config.js';
import { describeError } from '../errors/vigil-error.js';
import { createLogger } from '../logging/logger.js';
import { ensureKafkaJars } from './kafka-jars.js';

const config = loadConfig();
const logger = createLogger(config.logLevel, 'fetch-jars');
try {
  const jars = await ensureKafkaJars(config.kafkaCacheDir, { logger });
  process.stdout.write(`${jars.libsDir}\n`);
} catch (error) {
  logger.error({ err: error }, describeError(error));
  process.exitCode = 1;
}
