import type { News2Risk } from '../../news2/news2-risk.js';

/** The chart's risk bands as alarm levels, lowest first (the `risk` signal is the index). */
export const RISK_LEVELS: readonly News2Risk[] = ['low', 'low-medium', 'medium', 'high'];
