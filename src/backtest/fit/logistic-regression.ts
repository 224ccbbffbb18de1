export interface LogisticModel {
  readonly bias: number;
  readonly weights: readonly number[];
  readonly iterations: number;
  /** Mean log-loss on the training rows. */
  readonly logLoss: number;
}

/**
 * Fits P(y = 1 | x) = σ(b + w·x) by Newton's method (iteratively reweighted least squares) with a
 * small L2 penalty on w, on standardised columns so the penalty treats them alike; the returned
 * weights are on the original scale. `rows` is row-major: rows[i * dims + j].
 */
export function fitLogistic(rows: Float64Array, labels: Uint8Array, dims: number, l2 = 1e-4, maxIterations = 50): LogisticModel {
  const n = labels.length;
  if (rows.length !== n * dims) throw new RangeError(`expected ${n * dims} values, got ${rows.length}`);
  const mean = new Float64Array(dims);
  const scale = new Float64Array(dims);
  for (let j = 0; j < dims; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rows[i * dims + j]!;
    mean[j] = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (rows[i * dims + j]! - mean[j]!) ** 2;
    scale[j] = Math.sqrt(sq / n) || 1;
  }
  const p = dims + 1; // bias last
  const beta = new Float64Array(p);
  const x = new Float64Array(p);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = new Float64Array(p);
    const hessian = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < dims; j++) x[j] = (rows[i * dims + j]! - mean[j]!) / scale[j]!;
      x[dims] = 1;
      let z = 0;
      for (let j = 0; j < p; j++) z += beta[j]! * x[j]!;
      const mu = sigmoid(z);
      const w = Math.max(mu * (1 - mu), 1e-12);
      const residual = labels[i]! - mu;
      for (let j = 0; j < p; j++) {
        gradient[j]! += residual * x[j]!;
        for (let k = 0; k <= j; k++) hessian[j * p + k]! += w * x[j]! * x[k]!;
      }
    }
    for (let j = 0; j < dims; j++) {
      gradient[j]! -= l2 * n * beta[j]!;
      hessian[j * p + j]! += l2 * n;
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hessian[k * p + j] = hessian[j * p + k]!;
    const step = solve(hessian, gradient, p);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      beta[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-8) break;
  }
  const weights = Array.from({ length: dims }, (_, j) => beta[j]! / scale[j]!);
  const bias = beta[dims]! - weights.reduce((sum, w, j) => sum + w * mean[j]!, 0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = bias;
    for (let j = 0; j < dims; j++) z += weights[j]! * rows[i * dims + j]!;
    const mu = Math.min(Math.max(sigmoid(z), 1e-15), 1 - 1e-15);
    loss -= labels[i] === 1 ? Math.log(mu) : Math.log(1 - mu);
  }
  return { bias, weights, iterations: iterations + 1, logLoss: loss / n };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Solves A x = b for symmetric positive definite A (Cholesky). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * out[k]!;
    out[i] = sum / l[i * n + i]!;
  }
  return out;
}
