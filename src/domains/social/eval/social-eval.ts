import path from 'node:path';
import { parseArgs } from 'node:util';
import { missingCorpora, SENTIMENT_DATA_HINT } from './sentiment-corpus.js';
import { formatSentimentEval, runSentimentEval, type Split } from './sentiment-eval.js';

/**
 * `npm run eval:social`: the social template's measurements on public labelled data, one part
 * after another (sentiment now; volume anomaly and match events join here as parts of their own).
 * `--data <dir>` points at the shared data directory (default ../shared/data); `--dev` measures the
 * development split only, for working on the scorer without looking at the held-out texts.
 * Exit 0 with the table, 2 when the data is absent.
 */
const args = parseArgs({ options: { data: { type: 'string' }, dev: { type: 'boolean' } } });
const dataDir = path.resolve(args.values.data ?? '../shared/data');
const splits: Split[] = args.values.dev === true ? ['development'] : ['all', 'held-out'];

const missing = missingCorpora(dataDir);
if (missing.length > 0) {
  process.stderr.write(`eval:social: ${missing.join(', ')} not found: ${SENTIMENT_DATA_HINT}\n`);
  process.exit(2);
}
process.stdout.write(`${formatSentimentEval(runSentimentEval(dataDir, { splits }))}\n`);
