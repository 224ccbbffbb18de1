/**
 * The few most extreme posts of an entity's window, for a finding's contributing events: a flat
 * store value [id, score, bucketStart, id, score, bucketStart, ...] of at most `max` posts, most
 * extreme first. `sign` −1 keeps the most negative scores, +1 the most positive.
 */
export type ExtremePosts = (string | number)[];

const STRIDE = 3;

/** Drops posts whose bucket is `oldest` or older (out of the window); true when something was dropped. */
export function pruneExtremes(list: ExtremePosts, oldest: number): boolean {
  let kept = 0;
  for (let i = 0; i < list.length; i += STRIDE) {
    if ((list[i + 2] as number) <= oldest) continue;
    if (kept !== i) for (let k = 0; k < STRIDE; k++) list[kept + k] = list[i + k]!;
    kept += STRIDE;
  }
  const dropped = kept < list.length;
  list.length = kept;
  return dropped;
}

/** Inserts the post if it is among the `max` most extreme in direction `sign`; true when the list changed. */
export function offerExtreme(list: ExtremePosts, max: number, sign: 1 | -1, id: string, score: number, bucketStart: number): boolean {
  if (score * sign <= 0) return false; // only posts on the side of the shift explain it
  let at = list.length;
  while (at > 0 && (list[at - STRIDE + 1] as number) * sign < score * sign) at -= STRIDE;
  if (at >= max * STRIDE) return false;
  list.splice(at, 0, id, score, bucketStart);
  if (list.length > max * STRIDE) list.length = max * STRIDE;
  return true;
}

/** The ids, most extreme first. */
export function extremeIds(list: ExtremePosts): string[] {
  const ids: string[] = [];
  for (let i = 0; i < list.length; i += STRIDE) ids.push(list[i] as string);
  return ids;
}
