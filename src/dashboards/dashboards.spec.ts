import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dashboard, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardJson, generateDashboards, type GeneratedDashboard } from './generate-dashboards.js';
import { dashboardSources, templateDashboards } from '../domains/domains.js';

const DASHBOARDS_DIR = path.resolve('dashboards');

describe('generated dashboards', () => {
  let generated: GeneratedDashboard[];

  beforeAll(async () => {
    generated = await generateDashboards(path.resolve('templates'), dashboardSources());
  });

  it('match the committed JSON in dashboards/ (run `npm run dashboards` after changing src/dashboards)', async () => {
    const committed = (await readdir(DASHBOARDS_DIR)).filter((name) => name.endsWith('.json')).sort();
    expect(committed).toEqual(generated.map((g) => g.file).sort());
    for (const { file, dashboard } of generated) {
      expect({ file, json: await readFile(path.join(DASHBOARDS_DIR, file), 'utf8') }).toEqual({ file, json: dashboardJson(dashboard) });
    }
  });

  it('have the uids and variables alert links rely on', () => {
    const byUid = new Map(generated.map((g) => [g.dashboard.uid, g.dashboard]));
    expect([...byUid.keys()]).toEqual(['vigil-overview', ...templateDashboards().map((m) => `vigil-${m.template}`)]);
    expect(variableNames(byUid.get('vigil-overview')!)).toEqual(['template']);
    for (const module of templateDashboards()) {
      const variables = variableNames(byUid.get(`vigil-${module.template}`)!);
      expect(variables).toEqual(expect.arrayContaining(['template', 'detector', 'entity']));
    }
  });

  it('give every panel one ClickHouse SQL query with a unique panel id, and annotate alerts', () => {
    for (const { dashboard } of generated) {
      const panels = dashboard.panels ?? [];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const panel of panels) {
        const targets = ('targets' in panel ? panel.targets : undefined) ?? [];
        expect({ title: panel.title, targets: targets.length }).toEqual({ title: panel.title, targets: 1 });
        expect(targets[0]).toMatchObject({ datasource: { type: 'grafana-clickhouse-datasource', uid: 'clickhouse' }, editorType: 'sql', rawSql: expect.any(String) });
      }
      expect(dashboard.annotations?.list?.map((a) => a.name)).toContain('Alerts');
    }
  });
});

function variableNames(dashboard: Dashboard): string[] {
  return (dashboard.templating?.list ?? []).map((v: VariableModel) => v.name);
}
