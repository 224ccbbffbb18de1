export { LABEL_THRESHOLD, type SentimentLabel, sentimentLabel } from './label.js';
export { scoreSentiment, type SentimentScore } from './scorer.js';
