/**
 * Real-shaped source documents for the social formats' specs and integration tests, written after
 * the public shapes: Bluesky Jetstream events (kind commit / identity / account; a commit's record
 * as the app.bsky.feed.post lexicon defines it, facets indexed by UTF-8 byte offsets) and Mastodon
 * Status entities (HTML content, tags, mentions, a preview card, a boost), and the streaming API's
 * envelope. Ids, DIDs and CIDs are made up in the real formats.
 */

const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
const ALICE = 'did:plc:vwzwgnygau7ed7b7wt5ux7y2';
const POST_TIME_US = 1_765_110_000_123_456;

/** A post with a tag, a mention after an emoji (byte and character offsets differ), a shortened link, and a link card. */
export function jetstreamPost(overrides: { rkey?: string; createdAt?: string | undefined; text?: string } = {}): Record<string, unknown> {
  const text = overrides.text ?? 'Loving the new #Vigil release 🎉 thanks @alice.bsky.social! Notes: example.com/notes…';
  const record: Record<string, unknown> = {
    $type: 'app.bsky.feed.post',
    createdAt: '2025-12-07T12:20:00.120Z',
    embed: {
      $type: 'app.bsky.embed.external',
      external: {
        description: 'What changed in this release.',
        thumb: { $type: 'blob', ref: { $link: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' }, mimeType: 'image/jpeg', size: 48211 },
        title: 'Vigil release notes',
        uri: 'https://example.com/notes/2026-release',
      },
    },
    facets: [
      { features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'Vigil' }], index: { byteEnd: 21, byteStart: 15 } },
      { features: [{ $type: 'app.bsky.richtext.facet#mention', did: ALICE }], index: { byteEnd: 60, byteStart: 42 } },
      { features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/notes/2026-release' }], index: { byteEnd: 89, byteStart: 69 } },
    ],
    langs: ['en'],
    text,
  };
  if ('createdAt' in overrides) {
    if (overrides.createdAt === undefined) delete record.createdAt;
    else record.createdAt = overrides.createdAt;
  }
  return {
    did: DID,
    time_us: POST_TIME_US,
    kind: 'commit',
    commit: {
      rev: '3lcsvgxdjzk2a',
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: overrides.rkey ?? '3lcsvgxccm22k',
      record,
      cid: 'bafyreih4lzslhbqz5xhy6nyb4lrdcrp3tfnxyynrmhjd2pkw4gxkxnv2mi',
    },
  };
}

/** A reply with no facets at all (a bot's post): hashtags and mentions come from the text. */
export function jetstreamReply(): Record<string, unknown> {
  return {
    did: ALICE,
    time_us: POST_TIME_US + 2_000_000,
    kind: 'commit',
    commit: {
      rev: '3lcsvh2a4vs2b',
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: '3lcsvh29yqk2b',
      record: {
        $type: 'app.bsky.feed.post',
        createdAt: '2025-12-07T12:20:02.001Z',
        langs: ['en', 'de'],
        reply: {
          parent: { cid: 'bafyreih4lzslhbqz5xhy6nyb4lrdcrp3tfnxyynrmhjd2pkw4gxkxnv2mi', uri: `at://${DID}/app.bsky.feed.post/3lcsvgxccm22k` },
          root: { cid: 'bafyreih4lzslhbqz5xhy6nyb4lrdcrp3tfnxyynrmhjd2pkw4gxkxnv2mi', uri: `at://${DID}/app.bsky.feed.post/3lcsvgxccm22k` },
        },
        text: 'Ugh, @BigBank app is down AGAIN 😡 #outage #BigBank',
      },
      cid: 'bafyreiakz7r4ft2q3y3mcnsw5ciwypw2l6vq2qz4ayi7gfsfbq3m6ejgcy',
    },
  };
}

export const JETSTREAM_LIKE = {
  did: DID,
  time_us: POST_TIME_US + 3_000_000,
  kind: 'commit',
  commit: {
    rev: '3lcsvh3qdyc2c',
    operation: 'create',
    collection: 'app.bsky.feed.like',
    rkey: '3lcsvh3pzzk2c',
    record: { $type: 'app.bsky.feed.like', createdAt: '2025-12-07T12:20:03.000Z', subject: { cid: 'bafyreiakz7r4ft2q3y3mcnsw5ciwypw2l6vq2qz4ayi7gfsfbq3m6ejgcy', uri: `at://${ALICE}/app.bsky.feed.post/3lcsvh29yqk2b` } },
    cid: 'bafyreibwbm4tp7ba2kbw4ajsqmpjrmlmbhbcyuh3kaiy4z2eqgsi4juoc4',
  },
};

export const JETSTREAM_DELETE = {
  did: DID,
  time_us: POST_TIME_US + 4_000_000,
  kind: 'commit',
  commit: { rev: '3lcsvh4kx5k2d', operation: 'delete', collection: 'app.bsky.feed.post', rkey: '3lcsvgxccm22k' },
};

export const JETSTREAM_IDENTITY = {
  did: DID,
  time_us: POST_TIME_US + 5_000_000,
  kind: 'identity',
  identity: { did: DID, handle: 'vigil-dev.bsky.social', seq: 4_527_118_123, time: '2025-12-07T12:20:05.000Z' },
};

export const JETSTREAM_ACCOUNT = {
  did: DID,
  time_us: POST_TIME_US + 6_000_000,
  kind: 'account',
  account: { active: true, did: DID, seq: 4_527_118_200, time: '2025-12-07T12:20:06.000Z' },
};

const ACCOUNT = {
  id: '109348473580393617',
  username: 'carol',
  acct: 'Carol@fosstodon.org',
  display_name: 'Carol 🌻',
  locked: false,
  bot: false,
  created_at: '2022-11-14T00:00:00.000Z',
  note: '<p>Open source, coffee, trains.</p>',
  url: 'https://fosstodon.org/@carol',
  avatar: 'https://files.mastodon.social/cache/accounts/avatars/109/348/473/580/393/617/original/a1b2c3.png',
  followers_count: 812,
  following_count: 301,
  statuses_count: 4410,
};

/** A status as the REST API and the streaming `update` payload carry it. */
export function mastodonStatus(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '113612345678901234',
    created_at: '2025-12-07T12:21:30.000Z',
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: 'en',
    uri: 'https://fosstodon.org/users/carol/statuses/113612345678901234',
    url: 'https://fosstodon.org/@carol/113612345678901234',
    replies_count: 2,
    reblogs_count: 5,
    favourites_count: 17,
    edited_at: null,
    content:
      '<p>Switched our alerts to <a href="https://fosstodon.org/tags/Vigil" class="mention hashtag" rel="tag">#<span>Vigil</span></a> and it&#39;s <strong>great</strong> &amp; fast! ' +
      'Thanks <span class="h-card" translate="no"><a href="https://mastodon.social/@dave" class="u-url mention">@<span>dave</span></a></span></p>' +
      '<p>Write-up: <a href="https://blog.example.org/posts/vigil-alerts" target="_blank" rel="nofollow noopener noreferrer" translate="no">' +
      '<span class="invisible">https://</span><span class="ellipsis">blog.example.org/posts/vigil-al</span><span class="invisible">erts</span></a><br />more soon &#x1F680;</p>',
    reblog: null,
    application: { name: 'Web', website: null },
    account: ACCOUNT,
    media_attachments: [],
    mentions: [{ id: '14715', username: 'dave', url: 'https://mastodon.social/@dave', acct: 'dave@mastodon.social' }],
    tags: [{ name: 'vigil', url: 'https://fosstodon.org/tags/vigil' }],
    emojis: [],
    card: { url: 'https://blog.example.org/posts/vigil-alerts', title: 'How we moved our alerts', description: '', type: 'link' },
    poll: null,
    ...overrides,
  };
}

/** A boost: the booster's status, empty content, the boosted status inside. */
export function mastodonReblog(): Record<string, unknown> {
  return mastodonStatus({
    id: '113612399999999999',
    created_at: '2025-12-07T12:25:00.000Z',
    content: '',
    language: null,
    tags: [],
    mentions: [],
    card: null,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    account: { ...ACCOUNT, id: '1', username: 'erin', acct: 'erin', url: 'https://fosstodon.org/@erin' },
    reblog: mastodonStatus(),
  });
}

/** The streaming API's envelope: the status is a JSON string in `payload`. */
export function mastodonStreamingUpdate(status: Record<string, unknown> = mastodonStatus()): Record<string, unknown> {
  return { stream: ['public'], event: 'update', payload: JSON.stringify(status) };
}

export const MASTODON_STREAMING_DELETE = { stream: ['public'], event: 'delete', payload: '113612345678901234' };
