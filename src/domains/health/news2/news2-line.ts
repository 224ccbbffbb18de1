import { parseNews2Input } from './news2-input.js';
import { scoreNews2 } from './news2.js';

/**
 * One `vigil news2` answer line (without the newline) for one input line: the score, or
 * `{"error": reason}` for a line that is not JSON or holds an impossible value.
 */
export function news2Line(line: string): string {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (error) {
    return JSON.stringify({ error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
  const parsed = parseNews2Input(input);
  if (!parsed.ok) return JSON.stringify({ error: parsed.reason });
  const score = scoreNews2(parsed.vitals);
  return JSON.stringify({
    total: score.total,
    risk: score.risk,
    points: score.points,
    missing: score.missing,
    red_score: score.redScore,
    monitoring: score.monitoring.frequency,
  });
}
