/**
 * Area under the ROC curve of `scores` against 0|1 `labels`: the trapezoid over every distinct
 * score threshold, ties taken together (so it equals the Mann–Whitney probability that a random
 * positive outscores a random negative, ties counting one half). The Challenge's compute_auc gives
 * the same number for probabilities in (0, 1]; it differs only for a score of exactly 0 (it drops
 * that threshold) or above 1 (it starts its thresholds at 1), which is why scores like a NEWS2
 * total are ranked here rather than through a port of it.
 */
export function auroc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) throw new RangeError('Numbers of scores and labels must be the same.');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  let tp = 0;
  let area = 0;
  for (let i = 0; i < n; ) {
    const score = scores[order[i]!]!;
    let dTp = 0;
    let dFp = 0;
    for (; i < n && scores[order[i]!] === score; i++) {
      if (labels[order[i]!] === 1) dTp++;
      else dFp++;
    }
    area += (dFp * (2 * tp + dTp)) / 2;
    tp += dTp;
  }
  return area / (positives * negatives);
}
