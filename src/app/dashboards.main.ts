import path from 'node:path';
import { generateDashboards, writeDashboards } from '../dashboards/generate-dashboards.js';
import { dashboardSources } from '../domains/domains.js';

/**
 * `npm run dashboards`: regenerates dashboards/ from src/dashboards and every domain's dashboard module. Run from the
 * repository root; the JSON is committed and dashboards.spec.ts fails when it drifts.
 */
const generated = await generateDashboards(path.resolve('templates'), dashboardSources());
await writeDashboards(path.resolve('dashboards'), generated);
process.stdout.write(`wrote ${generated.map((g) => `dashboards/${g.file}`).join(', ')}\n`);
