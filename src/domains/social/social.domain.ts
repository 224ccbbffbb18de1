import type { DomainDefinition } from '../domain.js';
import { socialDashboard } from './dashboard/social.dashboard.js';
import { SOCIAL_FORMATS } from './formats/social-formats.js';

/**
 * Social listening: posts keyed by the entity they are about. Its source formats read Bluesky
 * Jetstream, Mastodon statuses and flat JSON posts; its sentiment scorer and evaluation
 * (`npm run eval:social`) live beside them.
 */
export const socialDomain: DomainDefinition = {
  name: 'social',
  detectors: [],
  formats: SOCIAL_FORMATS,
  dashboard: socialDashboard,
};
