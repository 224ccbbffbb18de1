import type { TemplateDashboardModule } from '../dashboards/template-dashboard.js';
import type { AnyDetectorDefinition } from '../model/detector.js';
import type { GeneratorDefinition } from '../simulate/generator.js';
import type { SourceFormat } from '../model/source-format.js';

/**
 * A domain (finance, social, health…): everything Vigil knows about one kind of stream, in one
 * folder src/domains/<name>/ that exports one DomainDefinition; src/domains/domains.ts lists them.
 * Its user-facing template (YAML and README) stays in templates/<name>/.
 *
 * A domain imports the shared layers (model, runtime, detectors, simulate, dashboards, backtest)
 * and never another domain; nothing but domains.ts and the entry points above it imports a domain.
 */
export interface DomainDefinition {
  /** The folder name under src/domains/ and, when it ships one, under templates/. */
  readonly name: string;
  /** Detectors only this domain's templates need; generic ones stay in src/detectors/. */
  readonly detectors: readonly AnyDetectorDefinition[];
  /** The event generator its template's `simulator.generator` names, if it has a simulator. */
  readonly simulator?: GeneratorDefinition<unknown>;
  /** The real feeds its templates read (`event.format`), beside plain `json`. */
  readonly formats?: readonly SourceFormat[];
  /** Its template's own Grafana dashboard, if it has one. */
  readonly dashboard?: TemplateDashboardModule;
}
