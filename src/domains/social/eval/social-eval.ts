import path from 'node:path';
import { parseArgs } from 'node:util';
import { type SocialEvalPart } from './eval-part.js';
import { sentimentEvalPart } from './sentiment-eval.js';
import { matchEventsEvalPart, nabEvalPart } from './volume-eval-parts.js';

/**
 * `npm run eval:social`: the social template's measurements on public labelled data, one part
 * after another: sentiment, the volume-anomaly detector on NAB, match events on MUNLIV. A new
 * measurement is a SocialEvalPart added to PARTS.
 * `--data <dir>` points at the shared data directory (default ../shared/data); `--dev` measures the
 * development split only, for working on the scorers without looking at held-out data;
 * `--only <name>` runs one part. Exit 0 with the tables, 2 when data is absent.
 */
const PARTS: readonly SocialEvalPart[] = [sentimentEvalPart, nabEvalPart, matchEventsEvalPart];

const args = parseArgs({ options: { data: { type: 'string' }, dev: { type: 'boolean' }, only: { type: 'string' } } });
const dataDir = path.resolve(args.values.data ?? '../shared/data');
const parts = PARTS.filter((part) => args.values.only === undefined || part.name === args.values.only);
if (parts.length === 0) {
  process.stderr.write(`eval:social: no part named ${args.values.only}; parts: ${PARTS.map((p) => p.name).join(', ')}\n`);
  process.exit(2);
}
for (const part of parts) {
  const missing = part.missingData(dataDir);
  if (missing !== undefined) {
    process.stderr.write(`eval:social: ${part.name}: ${missing}\n`);
    process.exit(2);
  }
}
for (const part of parts) process.stdout.write(`${part.run(dataDir, { dev: args.values.dev === true })}\n\n`);
