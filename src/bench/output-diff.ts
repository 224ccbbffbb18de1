/**
 * Compares two topics' record values as multisets, byte for byte: order across partitions and
 * transactions is the engines' own business, but every value and how often it occurs is not (a
 * duplicate on one side is a difference, as exactly-once promises none).
 */
export interface ValueDiff {
  readonly identical: boolean;
  readonly left: number;
  readonly right: number;
  /** Records on the left that have no equal on the right (counting repeats). */
  readonly onlyLeft: number;
  readonly onlyRight: number;
  /** A few of those, as text (cut at EXAMPLE_CHARS), to see what differs. */
  readonly examples: { readonly onlyLeft: readonly string[]; readonly onlyRight: readonly string[] };
}

const EXAMPLES = 3;
const EXAMPLE_CHARS = 300;

export function diffValues(left: readonly Uint8Array[], right: readonly Uint8Array[]): ValueDiff {
  // latin1 maps each byte to one code unit, so equal keys are equal bytes.
  const counts = new Map<string, number>();
  for (const value of left) {
    const key = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const value of right) {
    const key = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
    counts.set(key, (counts.get(key) ?? 0) - 1);
  }
  let onlyLeft = 0;
  let onlyRight = 0;
  const examples = { onlyLeft: [] as string[], onlyRight: [] as string[] };
  for (const [key, count] of counts) {
    if (count === 0) continue;
    const side = count > 0 ? examples.onlyLeft : examples.onlyRight;
    if (count > 0) onlyLeft += count;
    else onlyRight -= count;
    if (side.length < EXAMPLES) side.push(Buffer.from(key, 'latin1').toString('utf8').slice(0, EXAMPLE_CHARS));
  }
  return { identical: onlyLeft === 0 && onlyRight === 0, left: left.length, right: right.length, onlyLeft, onlyRight, examples };
}
