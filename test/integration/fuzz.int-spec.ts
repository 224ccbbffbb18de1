import { runFuzz } from '../../src/fuzz/fuzz-run.js';
import { createLogger } from '../../src/logging/logger.js';
import { testBrokers, uniqueName } from '../utils/kafka.js';
import { CHDB_DIR } from '../utils/pipeline.js';

/**
 * A short run of `npm run fuzz`: hostile events (truncated and invalid JSON, wrong types, huge
 * strings and arrays, deep nesting, NaN/Infinity, -0, years 9999 and 1970, unicode edge cases,
 * __proto__ keys, duplicate ids) through the real broker into detect and the sink.
 */
describe('hostile input (real Kafka broker, embedded ClickHouse)', () => {
  it('dead-letters every malformed event with its reason, processes every valid one, and loses none', async () => {
    const result = await runFuzz({
      template: 'finance',
      events: 1_500,
      seed: 7,
      brokers: testBrokers(),
      logger: createLogger('error', 'fuzz-test'),
      dataDir: CHDB_DIR,
      database: uniqueName('fuzz').replace(/-/g, '_'),
      timeoutMs: 180_000,
    });
    expect(result.misplaced).toEqual([]);
    expect(result.deadLettered + result.processed + result.late).toBe(result.produced);
    expect(result.deadLettered).toBe(result.malformed);
    // Every kind of mutation was generated.
    expect(Object.keys(result.byMutation).length).toBeGreaterThanOrEqual(18);
    expect(result.ok).toBe(true);
  }, 300_000);
});
