/** NAB's application profiles (config/profiles.json): how a TP, FP and missed window weigh. */
export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

export const NAB_PROFILES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;
export type NabProfile = (typeof NAB_PROFILES)[number];

/** NAB v1.1's weights, the same as config/profiles.json ships (the corpus loader reads that file). */
export const DEFAULT_COST_MATRICES: Readonly<Record<NabProfile, CostMatrix>> = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};
