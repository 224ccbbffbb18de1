import type { GeneratorDefinition } from '../../simulate/generator.js';
import type { DomainDefinition } from '../domain.js';
import { socialDashboard } from './dashboard/social.dashboard.js';
import { SOCIAL_DETECTORS } from './detectors/social-detectors.js';
import { SOCIAL_FORMATS } from './formats/social-formats.js';
import { socialGenerator } from './simulator/social.generator.js';

/**
 * Social listening: posts keyed by the entity they are about. Its detectors follow sentiment,
 * trending and emerging terms per entity (bursts use the generic volume_anomaly); its simulator
 * invents posts with labelled incidents; its source formats read Bluesky Jetstream, Mastodon
 * statuses and flat JSON posts. The sentiment scorer and its evaluation (`npm run eval:social`)
 * live beside them.
 */
export const socialDomain: DomainDefinition = {
  name: 'social',
  detectors: SOCIAL_DETECTORS,
  simulator: socialGenerator as GeneratorDefinition<unknown>,
  formats: SOCIAL_FORMATS,
  dashboard: socialDashboard,
};
