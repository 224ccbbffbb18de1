/** F1 per class weighted by the class's share of the truth (scikit-learn's average="weighted"). */
export function weightedF1<T>(truth: readonly T[], predicted: readonly T[]): number {
  if (truth.length !== predicted.length) throw new Error(`weightedF1: ${truth.length} truths, ${predicted.length} predictions`);
  if (truth.length === 0) return 0;
  const classes = new Set([...truth, ...predicted]);
  let weighted = 0;
  for (const cls of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] === cls;
      const p = predicted[i] === cls;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    const support = tp + fn;
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    weighted += f1 * support;
  }
  return weighted / truth.length;
}

/** Pearson's correlation coefficient; 0 when either series is constant. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length) throw new Error(`pearson: ${n} xs, ${ys.length} ys`);
  if (n === 0) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
