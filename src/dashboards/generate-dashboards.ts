import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { TemplateCatalog } from '../templates/template.catalog.js';
import { loadTemplate, type LoadTemplateOptions } from '../templates/template.loader.js';
import type { DashboardTemplate } from './dashboard-template.js';
import { overviewDashboard } from './overview.dashboard.js';
import type { TemplateDashboardModule } from './template-dashboard.js';

export interface GeneratedDashboard {
  /** File name under dashboards/: `<uid>.json`. */
  readonly file: string;
  readonly dashboard: Dashboard;
}

/** The template dashboards to build and what their templates are validated against (src/domains/domains.ts). */
export interface DashboardSources {
  readonly modules: readonly TemplateDashboardModule[];
  readonly lookups: Omit<LoadTemplateOptions, 'env'>;
}

/**
 * Builds every dashboard: the overview, then one per template module, each from its
 * template.yaml in `templatesDir` (validated by the real loader, with `${VAR:-default}` defaults:
 * nothing a dashboard reads depends on the environment).
 */
export async function generateDashboards(templatesDir: string, sources: DashboardSources): Promise<GeneratedDashboard[]> {
  const catalog = new TemplateCatalog(templatesDir);
  const templates: DashboardTemplate[] = [];
  for (const module of sources.modules) {
    const { template } = await loadTemplate(catalog.resolve(module.template), { env: {}, ...sources.lookups });
    templates.push({ name: template.name, title: template.title, eventsTable: template.tables.events });
  }
  const dashboards = [overviewDashboard(templates), ...sources.modules.map((module, index) => module.build(templates[index]!))];
  return dashboards.map((dashboard) => ({ file: `${dashboard.uid}.json`, dashboard }));
}

/** The committed form: stable key order as built, two-space indent, final newline. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

/** Writes the dashboards into `outDir` and removes JSON files there that are no longer generated. */
export async function writeDashboards(outDir: string, generated: readonly GeneratedDashboard[]): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const keep = new Set(generated.map((g) => g.file));
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.json') && !keep.has(name)) await rm(path.join(outDir, name));
  }
  for (const { file, dashboard } of generated) await writeFile(path.join(outDir, file), dashboardJson(dashboard));
}
