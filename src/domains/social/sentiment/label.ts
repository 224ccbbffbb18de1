export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** The VADER paper's protocol: a score above 0.05 is positive, below −0.05 negative, else neutral. */
export const LABEL_THRESHOLD = 0.05;

export function sentimentLabel(score: number): SentimentLabel {
  if (score > LABEL_THRESHOLD) return 'positive';
  if (score < -LABEL_THRESHOLD) return 'negative';
  return 'neutral';
}
