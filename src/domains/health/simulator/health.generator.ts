import { defineGenerator, type EventGenerator, type EventLabel, type GeneratedEvent, LABEL_PROPERTY } from '../../../simulate/generator.js';
import { hash32, Random } from '../../../simulate/random.js';
import { fhirObservation } from './fhir-observation.js';
import { healthParamsSchema, type HealthParams } from './health.params.js';
import { measure, type ReadingKind, type ReadingSource, trueNews2 } from './measure.js';
import { ScheduleQueue } from './schedule-queue.js';
import { progressAt, timeAtProgress } from './trajectory.js';
import { admit, type AdmitOptions, exponential, hex, wardBeds } from './ward-admissions.js';
import { type Bed, circadian, type WardPatient } from './ward-patient.js';

// Bound once: hot paths avoid global lookups (see random.ts).
const { floor, max } = Math;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** A nurse's full set of observations, in the order of the NEWS2 chart. */
const ROUND: readonly ReadingKind[] = ['resp_rate', 'spo2', 'oxygen', 'bp', 'pulse', 'temperature', 'consciousness'];
const MONITOR_STREAMS: readonly ReadingKind[] = ['pulse', 'resp_rate', 'spo2', 'bp'];
const NURSES_PER_WARD = 4;
const LEAVE_RECHECK_MS = 30 * MINUTE_MS;

/** Things that happen on the ward at a time: stays begin and end, rounds start, charted readings are sent. */
type WardEvent =
  | { readonly type: 'admit'; readonly dueMs: number; readonly bed: Bed }
  | { readonly type: 'leave'; readonly dueMs: number; readonly patient: WardPatient }
  | { readonly type: 'round'; readonly dueMs: number; readonly patient: WardPatient; readonly token: number }
  | { readonly type: 'concern'; readonly dueMs: number; readonly patient: WardPatient }
  | { readonly type: 'reading'; readonly dueMs: number; readonly patient: WardPatient; readonly kind: ReadingKind; readonly measuredMs: number; readonly nurse: number };

/** A monitor's next sample of one stream. */
interface MonitorSample {
  readonly dueMs: number;
  readonly patient: WardPatient;
  readonly kind: ReadingKind;
}

/**
 * A hospital ward's vital signs as FHIR R4 Observations (docs/health-simulator.md). Patients come
 * and go; each has their own baseline, circadian rhythm and drift. Nurses chart full observation
 * sets at the interval the NEWS2 chart asks for (some charted late, some readings missing);
 * monitored patients' monitors send HR, RR and SpO2 every `monitorInterval` and BP every
 * `nibpInterval`. Injected deterioration and sepsis trajectories are labelled in `_label`.
 *
 * The simulator asks for one event per call. A reading due (a charted one first at equal times) is
 * sent; when none is due, the monitor sample due soonest is taken now, so at a rate above what the
 * ward makes on its own the monitors send more often, and below it they send less often.
 */
export class HealthGenerator implements EventGenerator {
  private readonly random: Random;
  private readonly rhythm: (timeMs: number) => number;
  private readonly beds: Bed[];
  private readonly events = new ScheduleQueue<WardEvent>();
  private readonly monitor = new ScheduleQueue<MonitorSample>();
  private readonly occupants = new Map<number, WardPatient>();
  private startMs: number | undefined;
  private patients = 0;
  private sequence = 0;

  constructor(
    private readonly seed: number,
    private readonly params: HealthParams,
  ) {
    this.random = new Random(seed);
    this.rhythm = circadian(params.utcOffsetHours);
    this.beds = wardBeds(seed, params);
  }

  next(timeMs: number): GeneratedEvent {
    if (this.startMs === undefined) this.start(timeMs);
    for (;;) {
      const event = this.events.peek();
      const sample = this.monitor.peek();
      if (event !== undefined && event.dueMs <= timeMs && (sample === undefined || event.dueMs <= sample.dueMs)) {
        this.events.pop();
        const emitted = this.handle(event, timeMs);
        if (emitted !== undefined) return emitted;
      } else if (sample !== undefined) {
        this.monitor.pop();
        const emitted = this.sample(sample, timeMs);
        if (emitted !== undefined) return emitted;
      } else {
        const emitted = this.spotCheck(timeMs);
        if (emitted !== undefined) return emitted;
      }
    }
  }

  /** The ward as the run finds it: most beds occupied by patients admitted earlier, the acute ones first. */
  private start(timeMs: number): void {
    this.startMs = timeMs;
    const { acuteAtStart, acuteRamp, occupancy, bedTurnaround, firstRoundWithin } = this.params;
    for (const bed of this.beds) {
      const acute = bed.index < acuteAtStart;
      if (!acute && !this.random.chance(occupancy)) {
        this.events.push({ type: 'admit', dueMs: timeMs + exponential(this.random, bedTurnaround), bed });
        continue;
      }
      // Stays are memoryless (exponential), so what remains of a stay under way is drawn from now.
      const options: AdmitOptions = acute
        ? { trajectoriesFrom: timeMs, acute: { scenario: bed.index % 2 === 0 ? 'deterioration' : 'sepsis', onsetMs: timeMs - acuteRamp, peakMs: timeMs + acuteRamp } }
        : { trajectoriesFrom: timeMs };
      // The acute patients' nurses are at the bedside within minutes (sooner on a fast ramp); everyone else is seen during the first round.
      const firstRoundMs = acute ? timeMs + this.random.uniform(0.2, 1) * Math.min(3 * MINUTE_MS, acuteRamp / 4) : timeMs + this.random.next() * firstRoundWithin;
      this.stay(bed, timeMs, firstRoundMs, options);
    }
  }

  private stay(bed: Bed, admittedMs: number, firstRoundMs: number, options: AdmitOptions): void {
    const { patient, leaveMs } = admit(this.patients++, bed, admittedMs, options, this.random, this.seed, this.params);
    this.occupants.set(bed.index, patient);
    this.events.push({ type: 'leave', dueMs: max(leaveMs, firstRoundMs + MINUTE_MS), patient });
    this.scheduleRound(patient, firstRoundMs);
    // Patients on the ward when the run starts have monitors running; new and acute ones get one attached now.
    if (patient.monitored) this.startMonitor(patient, admittedMs, options.acute !== undefined || admittedMs > this.startMs!);
    const trajectory = patient.trajectory;
    if (trajectory !== undefined) {
      // When the patient desaturates, a nurse starts oxygen and takes a full set then, whatever the round schedule.
      const oxygenMs = max(timeAtProgress(trajectory, trajectory.oxygenFrom), firstRoundMs + MINUTE_MS);
      this.events.push({ type: 'concern', dueMs: oxygenMs, patient });
    }
  }

  private handle(event: WardEvent, timeMs: number): GeneratedEvent | undefined {
    switch (event.type) {
      case 'admit': {
        const admittedMs = event.dueMs;
        this.stay(event.bed, admittedMs, admittedMs + this.random.uniform(5, 30) * MINUTE_MS, { trajectoriesFrom: admittedMs });
        return undefined;
      }
      case 'leave':
        // A deteriorating patient leaves for intensive care once the ward has seen it (they are
        // monitored from NEWS2 5): one not seen yet waits, at their worst, for the next round.
        if (event.patient.trajectory !== undefined && !event.patient.monitored) {
          this.events.push({ type: 'leave', dueMs: event.dueMs + LEAVE_RECHECK_MS, patient: event.patient });
          return undefined;
        }
        event.patient.active = false;
        this.occupants.delete(event.patient.bed.index);
        this.events.push({ type: 'admit', dueMs: event.dueMs + exponential(this.random, this.params.bedTurnaround), bed: event.patient.bed });
        return undefined;
      case 'round':
        if (event.patient.active && event.token === event.patient.roundToken) this.round(event.patient, event.dueMs);
        return undefined;
      case 'concern':
        if (event.patient.active) this.round(event.patient, event.dueMs);
        return undefined;
      case 'reading': {
        if (!event.patient.active) return undefined;
        // Charted late: the measured time, up to lateMax before the send (the clamp only matters when the rate is too low to keep up).
        const effectiveMs = event.measuredMs < event.dueMs ? max(event.measuredMs, timeMs - this.params.lateMax) : timeMs;
        return this.emit(event.patient, event.kind, effectiveMs, timeMs, 'manual', event.nurse);
      }
    }
  }

  /**
   * A full observation set at `atMs`, a parameter every 15-60 s, some not charted; a share of rounds
   * is charted after the round. The next round and the monitor's BP cycle follow the NEWS2 chart.
   */
  private round(patient: WardPatient, atMs: number): void {
    const { missingShare, lateShare, lateMax } = this.params;
    const score = trueNews2(patient, atMs, this.seed, this.rhythm);
    const nurse = this.random.int(1, NURSES_PER_WARD);
    const late = this.random.chance(lateShare);
    const measured: { kind: ReadingKind; at: number }[] = [];
    let at = atMs;
    for (const kind of ROUND) {
      if (!this.random.chance(missingShare)) measured.push({ kind, at });
      at += this.random.uniform(15, 60) * 1000;
    }
    const chartedMs = at + this.random.uniform(0.25, 1) * (lateMax - (at - atMs));
    for (const reading of measured) {
      this.events.push({ type: 'reading', dueMs: late ? max(chartedMs, reading.at) : reading.at, patient, kind: reading.kind, measuredMs: reading.at, nurse });
    }
    // Clinical concern (a trajectory well under way shows before it scores) is a trigger on the chart too.
    const concern = patient.trajectory !== undefined && progressAt(patient.trajectory, atMs) >= 0.3;
    const hours = concern ? Math.min(1, score.monitoring.maxIntervalHours) : score.monitoring.maxIntervalHours;
    const nextMs = hours >= 12 ? this.random.uniform(11, 13) * HOUR_MS : hours >= 6 ? this.random.uniform(4, 6) * HOUR_MS : hours >= 1 ? this.random.uniform(50, 70) * MINUTE_MS : this.random.uniform(25, 35) * MINUTE_MS;
    this.scheduleRound(patient, atMs + nextMs);
    patient.nibpIntervalMs = score.total >= 5 ? this.params.nibpInterval / 2 : this.params.nibpInterval;
    if (score.total >= 5 && !patient.monitored) {
      patient.monitored = true;
      this.startMonitor(patient, atMs, true);
    }
  }

  /** The patient's next round, replacing any pending one. */
  private scheduleRound(patient: WardPatient, dueMs: number): void {
    patient.roundToken++;
    this.events.push({ type: 'round', dueMs, patient, token: patient.roundToken });
  }

  /** A monitor already running is at a random point of its cycles; one just attached takes a BP within a minute. */
  private startMonitor(patient: WardPatient, fromMs: number, attached: boolean): void {
    for (const kind of MONITOR_STREAMS) {
      const interval = kind === 'bp' ? (attached ? MINUTE_MS : patient.nibpIntervalMs) : this.params.monitorInterval;
      this.monitor.push({ dueMs: fromMs + this.random.next() * interval, patient, kind });
    }
  }

  /** Takes a monitor sample now (due, or early to fill the rate) and schedules the next; a lost one sends nothing. */
  private sample(sample: MonitorSample, timeMs: number): GeneratedEvent | undefined {
    const { patient, kind } = sample;
    if (!patient.active) return undefined;
    const interval = kind === 'bp' ? patient.nibpIntervalMs : this.params.monitorInterval;
    this.monitor.push({ dueMs: timeMs + interval * this.random.uniform(0.8, 1.2), patient, kind });
    if (this.random.chance(this.params.missingShare)) return undefined;
    return this.emit(patient, kind, timeMs, timeMs, 'monitor', 0);
  }

  /** Nothing monitored and nothing due: a nurse's pulse-oximeter spot check of someone, or the next admission early. */
  private spotCheck(timeMs: number): GeneratedEvent | undefined {
    const present = [...this.occupants.values()];
    if (present.length > 0) {
      const patient = this.random.pick(present);
      return this.emit(patient, this.random.chance(0.5) ? 'spo2' : 'pulse', timeMs, timeMs, 'manual', this.random.int(1, NURSES_PER_WARD));
    }
    const event = this.events.pop();
    if (event === undefined) throw new Error('health simulator: a ward with no beds');
    return this.handle({ ...event, dueMs: Math.min(event.dueMs, timeMs) } as WardEvent, timeMs);
  }

  private emit(patient: WardPatient, kind: ReadingKind, effectiveMs: number, timeMs: number, source: ReadingSource, nurse: number): GeneratedEvent {
    const reading = measure(patient, kind, effectiveMs, source, this.random, this.seed, this.rhythm);
    const trajectory = patient.trajectory;
    const label: EventLabel = trajectory !== undefined && effectiveMs >= trajectory.onsetMs ? { fraud: true, scenario: trajectory.scenario } : { fraud: false };
    const value = fhirObservation(
      {
        id: this.observationId(timeMs),
        patientId: patient.id,
        encounterId: patient.encounterId,
        ward: patient.bed.ward,
        spo2Scale: patient.spo2Scale,
        effectiveMs,
        issuedMs: timeMs,
        source: source === 'monitor' ? { device: `Device/monitor-${patient.bed.label}` } : { performer: `Practitioner/rn-${patient.bed.ward}-${nurse}` },
      },
      reading,
    );
    value[LABEL_PROPERTY] = label.scenario === undefined ? { fraud: false } : { fraud: true, scenario: label.scenario };
    return { key: patient.id, value, label };
  }

  /** Unique per (seed, sequence, time), like finance's transaction ids. */
  private observationId(timeMs: number): string {
    const sequence = this.sequence++;
    const low = timeMs % 4_294_967_296;
    const high = floor(timeMs / 4_294_967_296);
    return `obs-${hex(hash32(1, this.seed, sequence, low, high))}${hex(hash32(2, this.seed, sequence, low, high))}`;
  }
}

export const healthGenerator = defineGenerator<HealthParams>({
  name: 'health',
  description: 'A hospital ward’s vital signs as FHIR R4 Observations, with injected deterioration and sepsis trajectories',
  params: healthParamsSchema,
  create: ({ seed, params }) => new HealthGenerator(seed, params),
});
