import type { SourceFormat } from '../../../model/source-format.js';
import { completePost } from './social-post.js';

/**
 * A flat JSON post in the user's own shape (the simulator's, or any feed the user maps field by
 * field with `from` paths). The document is read as it is; once typed, the post is completed as
 * every social format's is (completePost): hashtags, mentions and links found in the text when the
 * source lists none, the text's length guard, and the entity when the post names none.
 */
export const socialJsonFormat: SourceFormat = {
  name: 'social-json',
  description: 'Flat JSON posts mapped by `from` paths; hashtags, mentions and links extracted from the text when not listed.',
  normalize: (document) => document,
  complete: completePost,
};
