/**
 * Where notify may commit a partition: up to what it has handled, but never past an alert a group
 * still needs (`pinned`), so after a restart those alerts are read again and the group rebuilt.
 * Returns undefined when that would not move the committed offset forward.
 */
export function commitPosition(handledThrough: bigint | undefined, pinned: bigint | undefined, committed: bigint | undefined): bigint | undefined {
  if (handledThrough === undefined) return undefined;
  const next = pinned !== undefined && pinned < handledThrough ? pinned : handledThrough;
  return committed !== undefined && next <= committed ? undefined : next;
}
