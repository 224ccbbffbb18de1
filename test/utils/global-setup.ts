import { registerHooks } from 'node:module';
import type { LocalBroker } from '../../src/kafka/local-broker.js';

/** Handle shared with global-teardown.ts (jest runs both in its parent process). */
const LOCAL_BROKER_KEY = Symbol.for('vigil.test.localBroker');

/**
 * jest loads this file outside its module registry: it is compiled to CommonJS and `require`d by
 * Node, so jest.config's moduleNameMapper (`./x.js` -> `./x.ts`) does not apply to it or to the src
 * modules it loads. This resolve hook does the same mapping, only for relative `.js` specifiers of
 * our own files that do not resolve as written. It must be registered before those modules load,
 * hence the dynamic imports below.
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const ours = context.parentURL?.startsWith('file:') === true && !context.parentURL.includes('/node_modules/');
      if (ours && /^\.\.?\/.*\.js$/.test(specifier)) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});

/**
 * Integration tests talk to a real broker: the one in KAFKA_BROKERS, or else a local one started
 * here from the official jars (fetched once into VIGIL_KAFKA_CACHE, default ~/.cache/vigil).
 * Test workers inherit the KAFKA_BROKERS set here.
 */
export default async function globalSetup(): Promise<void> {
  const { loadConfig } = await import('../../src/config/vigil-config.js');
  const config = loadConfig();
  if (config.kafkaBrokers) return;
  const { startLocalBroker } = await import('../../src/kafka/local-broker.js');
  const { createLogger } = await import('../../src/logging/logger.js');
  const broker: LocalBroker = await startLocalBroker({ cacheDir: config.kafkaCacheDir, logger: createLogger('warn', 'test-broker') });
  (globalThis as Record<symbol, unknown>)[LOCAL_BROKER_KEY] = broker;
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
}
