import { parseArgs } from 'node:util';
import { createLogger } from '../logging/logger.js';
import { runFuzz, type FuzzResult } from './fuzz-run.js';

/**
 * `npm run fuzz [-- --events 100000 --templates finance --seed 1]`: hostile events through the real
 * broker into detect and the sink, one template after another; exits 1 unless every event landed
 * where it must.
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    templates: { type: 'string', default: 'finance' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const logger = createLogger(process.env.VIGIL_LOG_LEVEL ?? 'error', 'fuzz');
const results: FuzzResult[] = [];
for (const template of values.templates.split(',').map((t) => t.trim()).filter(Boolean)) {
  process.stderr.write(`fuzz: ${values.events} hostile events into template ${template}…\n`);
  const result = await runFuzz({ template, events: Number(values.events), seed: Number(values.seed), logger });
  results.push(result);
  process.stderr.write(
    `fuzz: ${template}: produced ${result.produced} (${result.malformed} malformed), dead-lettered ${result.deadLettered}, processed ${result.processed}, late ${result.late}, ` +
      `misplaced ${result.misplaced.length}, ${result.seconds.toFixed(1)} s: ${result.ok ? 'OK' : 'FAILED'}\n`,
  );
  for (const line of result.misplaced.slice(0, 20)) process.stderr.write(`  ${line}\n`);
}
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
