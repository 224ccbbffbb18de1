import type { GeneratorDefinition } from '../../simulate/generator.js';
import type { DomainDefinition } from '../domain.js';
import { financeDashboard } from './dashboard/finance.dashboard.js';
import { cardTestingDetector } from './detectors/card-testing/card-testing.detector.js';
import { impossibleTravelDetector } from './detectors/impossible-travel/impossible-travel.detector.js';
import { labelRiskDetector } from './detectors/label-risk/label-risk.detector.js';
import { riskScoreDetector } from './detectors/risk-score/risk-score.detector.js';
import { financeGenerator } from './simulator/finance.generator.js';

/**
 * Card payments: fraud detectors, the payment simulator, the finance dashboard. Its evaluation
 * against the fraud handbook's data set is `npm run eval:finance` (evaluation/finance-eval.ts).
 */
export const financeDomain: DomainDefinition = {
  name: 'finance',
  detectors: [cardTestingDetector, impossibleTravelDetector, labelRiskDetector, riskScoreDetector],
  simulator: financeGenerator as GeneratorDefinition<unknown>,
  dashboard: financeDashboard,
};
