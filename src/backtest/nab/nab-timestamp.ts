/**
 * NAB's timestamps ("2015-02-26 21:42:53", windows with ".000000" appended) as epoch ms, read as
 * UTC. Sub-second digits are dropped: every NAB row is on a whole second.
 */
export function parseNabTimestamp(text: string): number {
  const t = text.trim();
  const ms = Date.parse(`${t.slice(0, 10)}T${t.slice(11, 19)}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a NAB timestamp: "${text}"`);
  return ms;
}
