/**
 * What the simulator's `_label.fraud` flag marks, in the domain's words: a fraudulent payment, or
 * (social and other domains) an event of an injected incident such as a burst or a sentiment turn.
 */
export function labelledAs(domain: string): string {
  return domain === 'finance' ? 'fraud' : 'incident';
}
