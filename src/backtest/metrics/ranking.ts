/**
 * Ranking metrics of a score against binary labels, over the events `indices` selects. Both follow
 * scikit-learn (roc_auc_score, average_precision_score), which the Fraud Detection Handbook uses:
 * tied scores form one threshold, so the order of ties never changes the result.
 */

export interface RankingInput {
  readonly score: Float64Array;
  /** 1 fraud, 0 genuine. */
  readonly fraud: Uint8Array;
  readonly indices: Int32Array;
}

/** Area under the ROC curve; NaN when only one class is present. */
export function aucRoc({ score, fraud, indices }: RankingInput): number {
  const order = byScoreAscending(score, indices);
  let positives = 0;
  let rankSum = 0;
  // Mann-Whitney U with mid-ranks for ties.
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && score[order[j]!] === score[order[i]!]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (fraud[order[k]!] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision: Σ (R_n − R_{n−1}) P_n over descending thresholds; NaN without positives. */
export function averagePrecision({ score, fraud, indices }: RankingInput): number {
  const order = byScoreAscending(score, indices).reverse();
  let positives = 0;
  for (const i of order) positives += fraud[i] === 1 ? 1 : 0;
  if (positives === 0) return Number.NaN;
  let truePositives = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let newPositives = 0;
    while (j < order.length && score[order[j]!] === score[order[i]!]) {
      if (fraud[order[j]!] === 1) newPositives++;
      j++;
    }
    truePositives += newPositives;
    seen = j;
    ap += (newPositives / positives) * (truePositives / seen);
    i = j;
  }
  return ap;
}

function byScoreAscending(score: Float64Array, indices: Int32Array): Int32Array {
  return Int32Array.from(indices).sort((a, b) => score[a]! - score[b]! || a - b);
}
