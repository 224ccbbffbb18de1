import { dailyRhythm, weekdayRhythm } from '../../../simulate/daily-rhythm.js';
import { defineGenerator, type EventGenerator, type EventLabel, type GeneratedEvent, LABEL_PROPERTY } from '../../../simulate/generator.js';
import { hash32, hashUnit, Random } from '../../../simulate/random.js';
import { ENTITIES, type SocialEntity } from './social.entities.js';
import { type Incident, IncidentTimeline } from './social.incidents.js';
import { socialParamsSchema, type SocialParams } from './social.params.js';
import { NEWS_DOMAINS } from './social.phrases.js';
import { type Mood, PostWriter } from './social.post-writer.js';
import { SocialWorld } from './social.world.js';

// Bound once: hot paths avoid global lookups (see random.ts).
const { floor, min } = Math;

/** Relative posts per local hour, 00:00 to 23:00: quiet small hours, a long evening peak. */
const HOURLY_ACTIVITY = [
  0.5, 0.35, 0.25, 0.2, 0.2, 0.3, 0.5, 0.8, 1.0, 1.05, 1.05, 1.1, 1.2, 1.15, 1.1, 1.1, 1.15, 1.25, 1.4, 1.55, 1.6, 1.5, 1.1, 0.75,
];
/** Recent posts kept per stream (an entity's ordinary posts, or one incident's), for replies and reposts. */
const RECENT = 64;
const NORMAL: EventLabel = Object.freeze({ fraud: false });

interface Post {
  readonly id: string;
  readonly handle: string;
  readonly text: string;
  readonly lang: string;
  readonly tags: readonly string[];
  readonly mentions: readonly string[];
  readonly links: readonly string[];
}

/** How a post comes to be: its entity, mood, label, and which stream its replies and reposts draw on. */
interface Plan {
  readonly entity: number;
  readonly mood: Mood;
  readonly label: EventLabel;
  readonly stream: string;
  readonly extraTag?: string;
}

/**
 * Posts on a social network about brands, topics and accounts, as flat JSON (docs/social-simulator.md
 * has the shape and params). Ordinary traffic: Zipf-popular entities, heavy-tailed authors, a daily
 * rhythm, mildly positive sentiment, long-tailed hashtags, replies and reposts. Injected incidents
 * (labelled in `_label`): a burst of posts about one entity, a sentiment turn against one, a new
 * hashtag going viral. Incidents add posts on top of the ordinary rate (`intensity` includes them).
 */
export class SocialGenerator implements EventGenerator {
  private readonly random: Random;
  private readonly world: SocialWorld;
  private readonly writer: PostWriter;
  private readonly rhythm: (timeMs: number) => number;
  private readonly entities: readonly SocialEntity[];
  /** Per entity: chance of a positive and of a negative ordinary post. */
  private readonly moods: readonly { positive: number; negative: number }[];
  private timeline: IncidentTimeline | undefined;
  private readonly recent = new Map<string, Post[]>();
  private sequence = 0;

  constructor(
    private readonly seed: number,
    private readonly params: SocialParams,
  ) {
    this.random = new Random(seed);
    this.world = new SocialWorld(seed, params);
    this.writer = new PostWriter(this.random);
    const daily = dailyRhythm(HOURLY_ACTIVITY, params.utcOffsetHours);
    const weekday = weekdayRhythm(params.weekdayWeights, params.utcOffsetHours);
    this.rhythm = (timeMs) => daily(timeMs) * weekday(timeMs);
    this.entities = ENTITIES.slice(0, params.entities);
    this.moods = this.entities.map((_, i) => ({ positive: 0.3 + 0.12 * hashUnit(seed, i, 51), negative: 0.12 + 0.08 * hashUnit(seed, i, 52) }));
  }

  /** The daily and weekly rhythm, times the extra posts of incidents running at `timeMs`. */
  intensity(timeMs: number): number {
    const timeline = this.incidents(timeMs);
    let extra = 0;
    for (const incident of timeline.activeAt(timeMs)) extra += timeline.extraRate(incident, timeMs);
    return this.rhythm(timeMs) * (1 + extra);
  }

  /** Incidents that have started by `timeMs` (for tests and evaluation). */
  incidentsStartedBy(timeMs: number): readonly Incident[] {
    return this.incidents(timeMs).startedBy(timeMs);
  }

  next(timeMs: number): GeneratedEvent {
    const plan = this.plan(timeMs);
    const entity = this.entities[plan.entity]!;
    const post = this.compose(timeMs, entity, plan);
    return this.emit(timeMs, entity, post, plan.label);
  }

  /** The incident schedule counts from the first moment the generator is asked about. */
  private incidents(timeMs: number): IncidentTimeline {
    this.timeline ??= new IncidentTimeline(this.seed, timeMs, this.params, this.world.entityShares);
    return this.timeline;
  }

  /** Picks an incident's post in proportion to its extra rate, else an ordinary post. */
  private plan(timeMs: number): Plan {
    const timeline = this.incidents(timeMs);
    const active = timeline.activeAt(timeMs);
    const extras = active.map((incident) => timeline.extraRate(incident, timeMs));
    // [0, 1) is ordinary traffic; each incident owns the next slice, as wide as its extra rate.
    let pick = this.random.next() * (1 + extras.reduce((sum, extra) => sum + extra, 0)) - 1;
    for (const [i, incident] of active.entries()) {
      if (pick < 0) break;
      pick -= extras[i]!;
      if (pick < 0) return this.incidentPlan(incident);
    }
    const entity = this.world.entityByUnit(this.random.next());
    const turn = active.find((incident) => incident.kind === 'sentiment_turn' && incident.entity === entity);
    if (turn !== undefined && this.random.chance(this.params.turnNegativeShare)) return this.incidentPlan(turn, entity);
    return { entity, mood: this.baselineMood(entity), label: NORMAL, stream: `e${entity}` };
  }

  private incidentPlan(incident: Incident, entity = incident.entity): Plan {
    const label: EventLabel = { fraud: true, scenario: incident.kind };
    const stream = `i${incident.number}`;
    if (incident.kind === 'sentiment_turn') return { entity, mood: 'angry', label, stream };
    if (incident.kind === 'burst') return { entity, mood: this.baselineMood(entity), label, stream };
    const anyEntity = this.world.entityByUnit(this.random.next());
    return { entity: anyEntity, mood: this.baselineMood(anyEntity), label, stream, extraTag: incident.tag };
  }

  private baselineMood(entity: number): Mood {
    const { positive, negative } = this.moods[entity]!;
    const unit = this.random.next();
    return unit < positive ? 'positive' : unit < positive + negative ? 'negative' : 'neutral';
  }

  /** An original post, a reply or a repost within the plan's stream. */
  private compose(timeMs: number, entity: SocialEntity, plan: Plan): Post & { replyTo?: string; repostOf?: string } {
    const random = this.random;
    const recent = this.recent.get(plan.stream) ?? [];
    const handle = this.world.handle(this.world.authorByUnit(random.next()));
    const id = this.postId(timeMs);
    const kind = random.next();
    if (recent.length > 0 && kind < this.params.repostShare) {
      const original = random.pick(recent);
      return { ...original, id, handle, repostOf: original.id };
    }
    const replyTo = recent.length > 0 && kind < this.params.repostShare + this.params.replyShare ? random.pick(recent) : undefined;
    const written = this.writer.write(entity, plan.mood, plan.label.fraud ? 0 : this.params.otherLanguageShare);
    const tags = this.drawTags(entity, plan.extraTag);
    const mentions = this.drawMentions(replyTo?.handle, written.mentionsEntity ? entity.account : undefined);
    const links = random.chance(0.1) ? [this.drawLink(entity)] : [];
    const others = mentions.filter((handle) => handle !== replyTo?.handle && handle !== entity.account);
    const text = [
      replyTo === undefined ? '' : `@${replyTo.handle} `,
      written.text,
      others.length === 0 ? '' : ` cc ${others.map((handle) => `@${handle}`).join(' ')}`,
      tags.map((tag) => ` #${tag}`).join(''),
      links.map((link) => ` ${link}`).join(''),
    ].join('');
    const post: Post = { id, handle, text, lang: written.lang, tags, mentions, links };
    recent.push(post);
    if (recent.length > RECENT) recent.shift();
    this.recent.set(plan.stream, recent);
    return replyTo === undefined ? post : { ...post, replyTo: replyTo.id };
  }

  /** 0 to 3 hashtags: the entity's own often, else Zipf over common ones and a long tail. */
  private drawTags(entity: SocialEntity, extraTag: string | undefined): string[] {
    const random = this.random;
    const unit = random.next();
    const count = unit < 0.4 ? 0 : unit < 0.75 ? 1 : unit < 0.93 ? 2 : 3;
    const tags = extraTag === undefined ? [] : [extraTag];
    for (let i = 0; i < count; i++) {
      const tag = random.chance(0.35) ? entity.tag : this.world.tagByUnit(random.next());
      if (!tags.includes(tag)) tags.push(tag);
    }
    return extraTag === undefined ? tags : tags.slice(0, 2);
  }

  private drawMentions(replyHandle: string | undefined, entityAccount: string | undefined): string[] {
    const mentions: string[] = [];
    if (replyHandle !== undefined) mentions.push(replyHandle);
    if (entityAccount !== undefined) mentions.push(entityAccount);
    if (this.random.chance(0.15)) {
      for (let i = 0, count = this.random.chance(0.2) ? 2 : 1; i < count; i++) {
        const handle = this.world.handle(this.world.authorByUnit(this.random.next()));
        if (!mentions.includes(handle)) mentions.push(handle);
      }
    }
    return mentions;
  }

  private drawLink(entity: SocialEntity): string {
    const random = this.random;
    const slug = hash32(this.seed, this.sequence, 77).toString(36);
    return random.chance(0.5)
      ? `https://${entity.domain}/${random.pick(entity.products).toLowerCase()}`
      : `https://${random.pick(NEWS_DOMAINS)}/${entity.id.replace(/_/g, '-')}-${slug}`;
  }

  /** 64 bits from (seed, sequence, time): a rerun at another time does not reuse post ids (see finance). */
  private postId(timeMs: number): string {
    const sequence = this.sequence++;
    const low = timeMs % 4_294_967_296;
    const high = floor(timeMs / 4_294_967_296);
    return `p_${hex(hash32(1, this.seed, sequence, low, high))}${hex(hash32(2, this.seed, sequence, low, high))}`;
  }

  private emit(timeMs: number, entity: SocialEntity, post: Post & { replyTo?: string; repostOf?: string }, label: EventLabel): GeneratedEvent {
    const random = this.random;
    const likes = min(1_000_000, floor(random.logNormal(1.5, 1.6)));
    const omitLists = random.chance(this.params.tagsOmittedShare);
    const value: Record<string, unknown> = {
      id: post.id,
      createdAt: new Date(timeMs).toISOString(),
      author: { handle: post.handle },
      text: post.text,
      lang: post.lang,
      ...(omitLists ? {} : { tags: [...post.tags] }),
      ...(omitLists || post.mentions.length === 0 ? {} : { mentions: [...post.mentions] }),
      ...(post.links.length === 0 ? {} : { links: [...post.links] }),
      about: entity.id,
      ...(post.replyTo === undefined ? {} : { replyTo: post.replyTo }),
      ...(post.repostOf === undefined ? {} : { repostOf: post.repostOf }),
      metrics: { likes, reposts: floor(likes * random.uniform(0, 0.25)), replies: floor(likes * random.uniform(0, 0.15)) },
      [LABEL_PROPERTY]: label.scenario === undefined ? { fraud: label.fraud } : { fraud: label.fraud, scenario: label.scenario },
    };
    return { key: entity.id, value, label };
  }
}

export const socialGenerator = defineGenerator<SocialParams>({
  name: 'social',
  description: 'Posts about brands and topics with heavy-tailed authors and injected bursts, sentiment turns and viral hashtags',
  params: socialParamsSchema,
  create: ({ seed, params }) => new SocialGenerator(seed, params),
});

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
