import path from 'node:path';
import { generateDashboards, writeDashboards } from './generate-dashboards.js';

/**
 * `npm run dashboards`: regenerates dashboards/ from the code in this folder. Run from the
 * repository root; the JSON is committed and dashboards.spec.ts fails when it drifts.
 */
const generated = await generateDashboards(path.resolve('templates'));
await writeDashboards(path.resolve('dashboards'), generated);
process.stdout.write(`wrote ${generated.map((g) => `dashboards/${g.file}`).join(', ')}\n`);
