import type { AnyDetectorDefinition } from '../model/detector.js';
import { amountDeviationDetector } from './amount-deviation/amount-deviation.detector.js';
import { cardTestingDetector } from './card-testing/card-testing.detector.js';
import { firstSeenDetector } from './first-seen/first-seen.detector.js';
import { impossibleTravelDetector } from './impossible-travel/impossible-travel.detector.js';
import { labelRiskDetector } from './label-risk/label-risk.detector.js';
import { riskScoreDetector } from './risk-score/risk-score.detector.js';
import { velocityDetector } from './velocity/velocity.detector.js';

/**
 * Every built-in detector, by the name templates use as `type`. One sorted list, no folder
 * scanning: adding a detector means adding a line here (and its spec, template example and panel).
 */
export const BUILT_IN_DETECTORS: readonly AnyDetectorDefinition[] = [
  amountDeviationDetector,
  cardTestingDetector,
  firstSeenDetector,
  impossibleTravelDetector,
  labelRiskDetector,
  riskScoreDetector,
  velocityDetector,
];

export class DetectorRegistry {
  private readonly byName = new Map<string, AnyDetectorDefinition>();

  constructor(definitions: readonly AnyDetectorDefinition[] = BUILT_IN_DETECTORS) {
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
