import type { SourceFormat } from '../../../model/source-format.js';
import { blueskyJetstreamFormat } from './bluesky-jetstream.format.js';
import { mastodonStatusFormat } from './mastodon-status.format.js';
import { socialJsonFormat } from './social-json.format.js';

/** The social template's `event.format` values, beside plain `json`. */
export const SOCIAL_FORMATS: readonly SourceFormat[] = [blueskyJetstreamFormat, mastodonStatusFormat, socialJsonFormat];
