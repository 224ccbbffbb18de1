/**
 * NAB's weighting of a detection by its position relative to a labelled window (nab/sweeper.py):
 * -1 is the window's left edge (≈ 0.987), 0 its right edge (0), positive positions are false
 * positives after it, and anything 3 or more window widths behind scores -1.
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}
