/** Label of an event whose file row carried none. */
export const UNLABELLED = 255;

/**
 * What a replay produced, one entry per replayed event, in columns (typed arrays) so a few million
 * events cost a few dozen bytes each. Metrics are computed from it after the replay.
 */
export class Outcomes {
  size = 0;
  time = new Float64Array(1 << 16);
  score = new Float64Array(1 << 16);
  /** 1 fraud, 0 genuine, UNLABELLED. */
  fraud = new Uint8Array(1 << 16);
  /** Index into `cards`. */
  card = new Int32Array(1 << 16);
  /** Bit d set when detector `detectors[d]` raised a finding at alert severity on this event. */
  alerts = new Uint32Array(1 << 16);
  /** Bit d set when detector `detectors[d]` raised any finding on this event. */
  findings = new Uint32Array(1 << 16);
  /** Index into `scenarios` ('' when the row names none). */
  scenario = new Uint8Array(1 << 16);
  readonly scenarios: string[] = [];
  readonly cards: string[] = [];
  private readonly cardIndex = new Map<string, number>();

  constructor(readonly detectors: readonly string[]) {
    if (detectors.length > 32) throw new RangeError('a backtest tracks at most 32 detectors');
  }

  cardOf(card: string): number {
    let index = this.cardIndex.get(card);
    if (index === undefined) {
      index = this.cards.length;
      this.cards.push(card);
      this.cardIndex.set(card, index);
    }
    return index;
  }

  scenarioOf(name: string): number {
    let index = this.scenarios.indexOf(name);
    if (index === -1) {
      if (this.scenarios.length === 255) throw new RangeError('a backtest tracks at most 255 fraud scenarios');
      index = this.scenarios.push(name) - 1;
    }
    return index;
  }

  add(time: number, score: number, fraud: number, card: number, alerts: number, findings: number, scenario = 0): void {
    if (this.size === this.time.length) this.grow();
    const i = this.size++;
    this.time[i] = time;
    this.score[i] = score;
    this.fraud[i] = fraud;
    this.card[i] = card;
    this.alerts[i] = alerts;
    this.findings[i] = findings;
    this.scenario[i] = scenario;
  }

  private grow(): void {
    const n = this.time.length * 2;
    this.time = resize(this.time, new Float64Array(n));
    this.score = resize(this.score, new Float64Array(n));
    this.fraud = resize(this.fraud, new Uint8Array(n));
    this.card = resize(this.card, new Int32Array(n));
    this.alerts = resize(this.alerts, new Uint32Array(n));
    this.findings = resize(this.findings, new Uint32Array(n));
    this.scenario = resize(this.scenario, new Uint8Array(n));
  }
}

function resize<T extends Float64Array | Uint8Array | Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
