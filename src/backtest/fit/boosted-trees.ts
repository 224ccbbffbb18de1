/**
 * Gradient-boosted decision trees for a binary label (log-loss), histogram-based like LightGBM and
 * XGBoost's `hist`: each input is cut at up to `bins` quantiles of its values, trees grow level by
 * level to `maxDepth`, and a split's gain is XGBoost's second-order one with L2 `lambda` on leaf
 * values. No npm package in use here offers boosted trees, so this is a compact one.
 *
 * A fitted model is plain numbers (`BoostedTrees`) and scores raw inputs with `boostedLogit`: a tree
 * sends x left when x[feature] ≤ threshold, and every threshold is one of the input's own values, so
 * a model scores exactly the hours it was fitted on as it scores them in a stream.
 */
export interface BoostedTreesParams {
  readonly rounds: number;
  readonly learningRate: number;
  readonly maxDepth: number;
  /** Smallest sum of hessians p(1 − p) a leaf may hold (XGBoost's min_child_weight). */
  readonly minChildWeight: number;
  /** L2 penalty on leaf values. */
  readonly lambda: number;
  /** Most cut points per input, at most 255. */
  readonly bins: number;
  /** Share of rows each tree is grown on (1 = all), drawn with `seed`. */
  readonly subsample: number;
  readonly seed: number;
}

/**
 * One tree as parallel node arrays (node 0 the root). A node with feature −1 is a leaf. `value` is
 * the (shrunk) leaf value a node would have as a leaf; internal nodes keep theirs so that a score
 * can be explained as the change of value along the path, split by split.
 */
export interface RegressionTree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

export interface BoostedTrees {
  /** Log-odds before any tree (the label's log-odds in the fitting rows). */
  readonly base: number;
  readonly trees: readonly RegressionTree[];
}

/** The leaf a tree sends x to. */
export function treeLeaf(tree: RegressionTree, x: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node]! >= 0) node = x[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return node;
}

export function boostedLogit(model: BoostedTrees, x: ArrayLike<number>): number {
  let z = model.base;
  for (const tree of model.trees) z += tree.value[treeLeaf(tree, x)]!;
  return z;
}

/**
 * Each input's share of the log-odds (Saabas' path attribution): walking a tree from the root, the
 * change of node value at a split is credited to the split's input. The shares add up exactly to
 * the log-odds minus `base` plus the trees' root values, i.e. to how far this x is from an average row.
 */
export function boostedContributions(model: BoostedTrees, x: ArrayLike<number>, dims: number): Float64Array {
  const out = new Float64Array(dims);
  for (const tree of model.trees) {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      const f = tree.feature[node]!;
      const next = x[f]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      out[f]! += tree.value[next]! - tree.value[node]!;
      node = next;
    }
  }
  return out;
}

/** Cut points per input: distinct values at the 1/bins .. (bins−1)/bins quantiles of (a sample of) its values. */
export function quantileCuts(rows: Float64Array, n: number, dims: number, bins: number): Float64Array[] {
  if (bins < 2 || bins > 255) throw new RangeError(`bins: expected 2..255, got ${bins}`);
  const step = Math.max(1, Math.floor(n / 200_000));
  const m = Math.ceil(n / step);
  const values = new Float64Array(m);
  const cuts: Float64Array[] = [];
  for (let j = 0; j < dims; j++) {
    for (let k = 0; k < m; k++) values[k] = rows[k * step * dims + j]!;
    values.sort();
    const picked: number[] = [];
    for (let b = 1; b < bins; b++) {
      const v = values[Math.min(m - 1, Math.floor((b * m) / bins))]!;
      if (picked.length === 0 || v > picked.at(-1)!) picked.push(v);
    }
    // A cut at the largest value would leave its right side empty.
    if (picked.length > 0 && picked.at(-1)! >= values[m - 1]!) picked.pop();
    cuts.push(Float64Array.from(picked));
  }
  return cuts;
}

/** Bin of x: how many cuts lie below it, so bin(x) ≤ b exactly when x ≤ cuts[b]. */
function binOf(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fits boosted trees to rows (row-major, n × dims, finite values) and 0/1 labels. `onTree` sees
 * each tree as it is added (e.g. to score held-out rows after every round in one fit).
 */
export function fitBoostedTrees(
  rows: Float64Array,
  labels: ArrayLike<number>,
  dims: number,
  params: BoostedTreesParams,
  onTree?: (tree: RegressionTree, round: number) => void,
): BoostedTrees {
  const n = labels.length;
  if (rows.length !== n * dims) throw new RangeError(`rows: expected ${n} × ${dims} values, got ${rows.length}`);
  for (let i = 0; i < rows.length; i++) if (!Number.isFinite(rows[i])) throw new RangeError(`rows: value ${i} (row ${Math.floor(i / dims)}, input ${i % dims}) is not finite`);
  const cuts = quantileCuts(rows, n, dims, params.bins);
  const binned = new Uint8Array(n * dims);
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) binned[i * dims + j] = binOf(cuts[j]!, rows[i * dims + j]!);

  const base = priorLogOdds(labels);
  const logit = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const random = mulberry32(params.seed);
  const grower = new TreeGrower(binned, cuts, dims, grad, hess, params);
  const trees: RegressionTree[] = [];

  for (let round = 0; round < params.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-logit[i]!));
      grad[i] = p - labels[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
    const sample = sampleRows(n, params.subsample, random);
    const tree = grower.grow(sample);
    trees.push(tree);
    for (let i = 0; i < n; i++) logit[i]! += tree.value[binnedLeaf(tree, binned, i * dims, cuts)]!;
    onTree?.(tree, round + 1);
  }
  return { base, trees };
}

/** The label's log-odds over all rows: the score before any tree. */
export function priorLogOdds(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const prior = Math.min(Math.max(positives / labels.length, 1e-6), 1 - 1e-6);
  return Math.log(prior / (1 - prior));
}

/** treeLeaf on a binned row: a cut's bin index is found from the tree's threshold once per node visit. */
function binnedLeaf(tree: RegressionTree, binned: Uint8Array, offset: number, cuts: Float64Array[]): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const f = tree.feature[node]!;
    node = binned[offset + f]! <= binOf(cuts[f]!, tree.threshold[node]!) ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

function sampleRows(n: number, share: number, random: () => number): Uint32Array {
  if (share >= 1) return Uint32Array.from({ length: n }, (_, i) => i);
  const picked: number[] = [];
  for (let i = 0; i < n; i++) if (random() < share) picked.push(i);
  return Uint32Array.from(picked);
}

/** A small seeded uniform generator (mulberry32), so a fit is reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class TreeGrower {
  private readonly width: number;

  constructor(
    private readonly binned: Uint8Array,
    private readonly cuts: Float64Array[],
    private readonly dims: number,
    private readonly grad: Float64Array,
    private readonly hess: Float64Array,
    private readonly params: BoostedTreesParams,
  ) {
    this.width = 256;
  }

  grow(sample: Uint32Array): RegressionTree {
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    this.node(tree, sample, this.histogram(sample), 0);
    return tree;
  }

  /** Adds the node for `rows` (with their histogram) and its subtree; returns its index. */
  private node(tree: RegressionTree, rows: Uint32Array, hist: Float64Array, depth: number): number {
    const { lambda, learningRate, maxDepth, minChildWeight } = this.params;
    let g = 0;
    let h = 0;
    for (const i of rows) {
      g += this.grad[i]!;
      h += this.hess[i]!;
    }
    const index = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(round8((-g / (h + lambda)) * learningRate));
    if (depth >= maxDepth || h < 2 * minChildWeight) return index;

    const parentScore = (g * g) / (h + lambda);
    let best = { gain: 1e-12, feature: -1, bin: -1 };
    for (let f = 0; f < this.dims; f++) {
      const bins = this.cuts[f]!.length;
      let gl = 0;
      let hl = 0;
      const at = f * this.width * 2;
      for (let b = 0; b < bins; b++) {
        gl += hist[at + 2 * b]!;
        hl += hist[at + 2 * b + 1]!;
        const hr = h - hl;
        if (hl < minChildWeight) continue;
        if (hr < minChildWeight) break;
        const gr = g - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
        if (gain > best.gain) best = { gain, feature: f, bin: b };
      }
    }
    if (best.feature < 0) return index;

    const { feature, bin } = best;
    const goesLeft = (i: number) => this.binned[i * this.dims + feature]! <= bin;
    let nLeft = 0;
    for (const i of rows) if (goesLeft(i)) nLeft++;
    const leftRows = new Uint32Array(nLeft);
    const rightRows = new Uint32Array(rows.length - nLeft);
    let l = 0;
    let r = 0;
    for (const i of rows) if (goesLeft(i)) leftRows[l++] = i;
    else rightRows[r++] = i;
    // Histogram the smaller side; the larger one is the parent's minus it.
    const leftSmaller = leftRows.length <= rightRows.length;
    const small = this.histogram(leftSmaller ? leftRows : rightRows);
    const large = hist;
    for (let k = 0; k < large.length; k++) large[k]! -= small[k]!;
    tree.feature[index] = feature;
    tree.threshold[index] = this.cuts[feature]![bin]!;
    tree.left[index] = this.node(tree, leftRows, leftSmaller ? small : large, depth + 1);
    tree.right[index] = this.node(tree, rightRows, leftSmaller ? large : small, depth + 1);
    return index;
  }

  /** Sums of gradient and hessian per input and bin over `rows`. */
  private histogram(rows: Uint32Array): Float64Array {
    const { dims, width, binned, grad, hess } = this;
    const hist = new Float64Array(dims * width * 2);
    for (const i of rows) {
      const g = grad[i]!;
      const h = hess[i]!;
      const offset = i * dims;
      for (let f = 0; f < dims; f++) {
        const at = (f * width + binned[offset + f]!) * 2;
        hist[at]! += g;
        hist[at + 1]! += h;
      }
    }
    return hist;
  }
}

/** Eight significant digits: plain numbers a template can hold, far below any effect on the score. */
function round8(n: number): number {
  return Number(n.toPrecision(8));
}
