import type { TemplateDashboardModule } from './template-dashboard.js';
import { financeDashboard } from './templates/finance.dashboard.js';

/** Per-template dashboards, sorted by template name. A new template adds its module here. */
export const TEMPLATE_DASHBOARDS: readonly TemplateDashboardModule[] = [financeDashboard];
