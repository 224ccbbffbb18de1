import type { TemplateDashboardModule } from '../dashboards/template-dashboard.js';
import { DetectorRegistry, GENERIC_DETECTORS } from '../detectors/registry.js';
import { GeneratorRegistry } from '../simulate/generators.js';
import { SourceFormatRegistry } from '../model/source-formats.js';
import type { DomainDefinition } from './domain.js';
import { financeDomain } from './finance/finance.domain.js';
import { healthDomain } from './health/health.domain.js';
import { socialDomain } from './social/social.domain.js';

/** Every domain Vigil ships, sorted by name. Adding a domain: its folder and one line here. */
export const DOMAINS: readonly DomainDefinition[] = [financeDomain, healthDomain, socialDomain];

/** The generic detectors and every domain's own: what templates may name as `type`. */
export function builtInDetectors(): DetectorRegistry {
  return new DetectorRegistry([...GENERIC_DETECTORS, ...DOMAINS.flatMap((domain) => domain.detectors)]);
}

/** Every domain's simulator generator, by the name `simulator.generator` uses. */
export function builtInGenerators(): GeneratorRegistry {
  return new GeneratorRegistry(DOMAINS.flatMap((domain) => (domain.simulator === undefined ? [] : [domain.simulator])));
}

/** `json` and every domain's source formats, by the name `event.format` uses. */
export function builtInFormats(): SourceFormatRegistry {
  return new SourceFormatRegistry(DOMAINS.flatMap((domain) => domain.formats ?? []));
}

/** The lookups the template loader checks a template against: `loadTemplate(file, { env, ...builtIns() })`. */
export function builtIns(): { detectors: DetectorRegistry; generators: GeneratorRegistry; formats: SourceFormatRegistry } {
  return { detectors: builtInDetectors(), generators: builtInGenerators(), formats: builtInFormats() };
}

/** Per-template dashboards, sorted by template name. */
export function templateDashboards(): TemplateDashboardModule[] {
  return DOMAINS.flatMap((domain) => (domain.dashboard === undefined ? [] : [domain.dashboard])).sort((a, b) => a.template.localeCompare(b.template));
}

/** What `generateDashboards` builds: every domain's dashboard, validated against the built-ins. */
export function dashboardSources(): { modules: TemplateDashboardModule[]; lookups: ReturnType<typeof builtIns> } {
  return { modules: templateDashboards(), lookups: builtIns() };
}
