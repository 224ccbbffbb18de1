import type { LocalBroker } from '../../src/kafka/local-broker.js';

/** Set by global-setup.ts when it started a broker (and not when KAFKA_BROKERS was given). */
const LOCAL_BROKER_KEY = Symbol.for('vigil.test.localBroker');

export default async function globalTeardown(): Promise<void> {
  const store = globalThis as Record<symbol, LocalBroker | undefined>;
  const broker = store[LOCAL_BROKER_KEY];
  if (!broker) return;
  delete store[LOCAL_BROKER_KEY];
  delete process.env.KAFKA_BROKERS;
  await broker.stop();
}
