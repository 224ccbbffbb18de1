import type { AnyDetectorDefinition } from '../model/detector.js';
import { amountDeviationDetector } from './amount-deviation/amount-deviation.detector.js';
import { firstSeenDetector } from './first-seen/first-seen.detector.js';
import { velocityDetector } from './velocity/velocity.detector.js';
import { volumeAnomalyDetector } from './volume-anomaly/volume-anomaly.detector.js';

/**
 * The generic detectors, by the name templates use as `type`: any domain's template may use them.
 * A domain's own detectors live in its folder (src/domains/<name>/detectors) and join these in
 * src/domains/domains.ts. One sorted list, no folder scanning: adding a detector means adding a
 * line here or in its domain's definition (and its spec, template example and panel).
 */
export const GENERIC_DETECTORS: readonly AnyDetectorDefinition[] = [amountDeviationDetector, firstSeenDetector, velocityDetector, volumeAnomalyDetector];

export class DetectorRegistry {
  private readonly byName = new Map<string, AnyDetectorDefinition>();

  constructor(definitions: readonly AnyDetectorDefinition[]) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: AnyDetectorDefinition): void {
    if (this.byName.has(definition.meta.name)) throw new Error(`detector "${definition.meta.name}" registered twice`);
    this.byName.set(definition.meta.name, definition);
  }

  get(type: string): AnyDetectorDefinition | undefined {
    return this.byName.get(type);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
