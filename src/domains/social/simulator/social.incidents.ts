import { Random } from '../../../simulate/random.js';
import { viralTag } from './social.world.js';

// Bound once: called per event (see random.ts).
const { log, max, min } = Math;

export const INCIDENT_KINDS = ['burst', 'sentiment_turn', 'viral_hashtag'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface IncidentConfig {
  readonly firstIncidentAfter: number;
  readonly incidentsPerHour: number;
  /** When set, the first incidents (one per listed kind) start this far apart instead of at random gaps. */
  readonly firstIncidentsEvery?: number | undefined;
  /** Kinds in the order of the first incidents (one of each); later kinds are drawn uniformly. */
  readonly incidentKinds: readonly IncidentKind[];
  /** Incident entities are drawn among popularity ranks 3..incidentMaxRank (1-based). */
  readonly incidentMaxRank: number;
  readonly burstMinFactor: number;
  readonly burstMaxFactor: number;
  readonly burstMinDuration: number;
  readonly burstMaxDuration: number;
  readonly turnVolumeFactor: number;
  readonly turnMinDuration: number;
  readonly turnMaxDuration: number;
  readonly viralMinShare: number;
  readonly viralMaxShare: number;
  readonly viralMinDuration: number;
  readonly viralMaxDuration: number;
}

export interface Incident {
  /** 1-based, in order of start. */
  readonly number: number;
  readonly kind: IncidentKind;
  readonly startMs: number;
  readonly endMs: number;
  /** Entity index: the burst's or the turn's subject (unused by a viral tag, which spreads over all entities). */
  readonly entity: number;
  /** Burst: volume multiplier of the entity; turn: its volume multiplier while negative. */
  readonly factor: number;
  /** Viral: the tag's peak share of all posts. */
  readonly peakShare: number;
  /** Viral: the new hashtag, without '#'. */
  readonly tag: string;
}

/**
 * When incidents happen, in event time from the generator's first moment (`origin`): the first at
 * `firstIncidentAfter`, the rest of the first round (one per kind) `firstIncidentsEvery` apart
 * when that is set, the next ones at exponential gaps averaging 1/incidentsPerHour. Drawn from
 * its own random stream and extended lazily, so the schedule depends only on the seed and the
 * origin, never on how many events were generated or when `intensity` was asked.
 */
export class IncidentTimeline {
  private readonly random: Random;
  private readonly incidents: Incident[] = [];
  private nextStartMs: number;
  private readonly longestMs: number;

  constructor(
    private readonly seed: number,
    origin: number,
    private readonly config: IncidentConfig,
    private readonly entityShares: readonly number[],
  ) {
    this.random = new Random(seed ^ 0x1c1de27);
    this.nextStartMs = config.incidentKinds.length === 0 ? Infinity : origin + config.firstIncidentAfter;
    this.longestMs = max(config.burstMaxDuration, config.turnMaxDuration, config.viralMaxDuration);
  }

  /** Incidents active at `timeMs` (start inclusive, end exclusive). */
  activeAt(timeMs: number): Incident[] {
    this.extendTo(timeMs);
    const active: Incident[] = [];
    for (let i = this.incidents.length - 1; i >= 0; i--) {
      const incident = this.incidents[i]!;
      if (incident.startMs <= timeMs - this.longestMs) break;
      if (incident.startMs <= timeMs && timeMs < incident.endMs) active.push(incident);
    }
    return active;
  }

  /** Every incident that has started by `timeMs`. */
  startedBy(timeMs: number): readonly Incident[] {
    this.extendTo(timeMs);
    return this.incidents.filter((incident) => incident.startMs <= timeMs);
  }

  /**
   * The incident's posts per normal post at `timeMs`: a burst adds (factor − 1) × the entity's
   * share, a turn likewise, a viral tag ramps up to peakShare of all posts and fades out.
   */
  extraRate(incident: Incident, timeMs: number): number {
    if (incident.kind !== 'viral_hashtag') return (incident.factor - 1) * this.entityShares[incident.entity]!;
    const share = incident.peakShare * viralShape((timeMs - incident.startMs) / (incident.endMs - incident.startMs));
    return share / (1 - share);
  }

  private extendTo(timeMs: number): void {
    while (this.nextStartMs <= timeMs) {
      this.incidents.push(this.draw(this.nextStartMs));
      const { incidentsPerHour: rate, firstIncidentsEvery: every, incidentKinds } = this.config;
      if (every !== undefined && this.incidents.length < incidentKinds.length) this.nextStartMs += every;
      else this.nextStartMs = rate > 0 ? this.nextStartMs + (-log(1 - this.random.next()) * 3_600_000) / rate : Infinity;
    }
  }

  private draw(startMs: number): Incident {
    const { config, random } = this;
    const number = this.incidents.length + 1;
    const kinds = config.incidentKinds;
    const kind = number <= kinds.length ? kinds[number - 1]! : random.pick(kinds);
    const [minMs, maxMs] =
      kind === 'burst'
        ? [config.burstMinDuration, config.burstMaxDuration]
        : kind === 'sentiment_turn'
          ? [config.turnMinDuration, config.turnMaxDuration]
          : [config.viralMinDuration, config.viralMaxDuration];
    const durationMs = random.uniform(minMs, maxMs);
    const factor = kind === 'burst' ? random.uniform(config.burstMinFactor, config.burstMaxFactor) : config.turnVolumeFactor;
    const peakShare = random.uniform(config.viralMinShare, config.viralMaxShare);
    return { number, kind, startMs, endMs: startMs + durationMs, entity: this.freeEntity(startMs), factor, peakShare, tag: viralTag(this.seed, number) };
  }

  /** An entity of rank 3..incidentMaxRank with no other incident running, if there is one. */
  private freeEntity(startMs: number): number {
    const count = this.entityShares.length;
    const low = min(2, count - 1);
    const high = max(low, min(this.config.incidentMaxRank, count) - 1);
    const busy = new Set(this.activeAtKnown(startMs).filter((incident) => incident.kind !== 'viral_hashtag').map((incident) => incident.entity));
    let entity = this.random.int(low, high);
    for (let attempt = 0; attempt < 16 && busy.has(entity); attempt++) entity = this.random.int(low, high);
    return entity;
  }

  private activeAtKnown(timeMs: number): Incident[] {
    return this.incidents.filter((incident) => incident.startMs <= timeMs && timeMs < incident.endMs);
  }
}

/** A viral tag's share over its life (0 to 1 of the way): rises over the first 40%, holds, fades over the last 20%. */
export function viralShape(progress: number): number {
  if (progress <= 0 || progress >= 1) return 0;
  if (progress < 0.4) return progress / 0.4;
  if (progress > 0.8) return (1 - progress) / 0.2;
  return 1;
}
