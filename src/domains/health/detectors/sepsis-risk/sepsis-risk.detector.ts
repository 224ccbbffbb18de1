import { defineDetector, type DetectorContext, type DetectorInstance, type FiredTimer } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { explainSepsis, sepsisLogit } from '../../sepsis/sepsis-model.js';
import { scoreHour } from '../../sepsis/sepsis-scorer.js';
import { stepAlarm, type AlarmLevel } from '../alarm/alarm-ladder.js';
import { observationRequiredFields, readObservation } from '../observation/observation.js';
import { addReading, HOUR_MS, newSepsisPatient, takeHourRow, type SepsisPatient } from './sepsis-patient.js';
import { sepsisRiskParams, type SepsisRiskParams } from './sepsis-risk.params.js';

/** Store of each patient (see SepsisPatient). */
export const SEPSIS_PATIENT_STORE = 'patient';
/** Timer closing a patient's next hour. */
const HOUR_TIMER = 'hour';

/**
 * The sepsis early-warning score per patient-hour, on a live stream of single readings: each
 * reading goes into its patient's UTC hour (the mean per PhysioNet column, as the model's training
 * rows hold one value per hour); once the watermark passes an hour's end (plus `closeDelay`), an
 * event-time timer scores that hour with exactly the code `vigil backtest --template health` runs
 * (`scoreHour`: the patient's state, its features, the fitted model from the params: logistic or
 * boosted trees).
 * Hours without readings are scored too, as the PhysioNet rows of an ICU stay are, until
 * `activeFor` after the patient's latest reading. ICULOS counts the patient's hours from
 * `hoursBeforeFirstReading` empty hours before the first reading (PhysioNet stays begin so).
 *
 * Findings use the same alarm-fatigue control as news2 (alarm-ladder.ts): `sepsis.escalation` when
 * an hour reaches the threshold (level 1) or `criticalAbove` (level 2), `sepsis.reminder` every
 * `renotify` while it stays there, left below `hysteresis.exitBelow` × the threshold or after
 * `hysteresis.hours` lower hours. A finding names each input's contribution to the log-odds
 * (explainSepsis: from an average fitting hour), largest first. Every reading publishes `probability`,
 * the patient's last scored hour (absent before the first).
 */
export const sepsisRiskDetector = defineDetector<SepsisRiskParams>({
  meta: {
    name: 'sepsis_risk',
    version: '1.0.0',
    description: 'Sepsis risk per patient-hour from vitals and their trends (the fitted model of vigil fit-sepsis), explained per input',
    params: sepsisRiskParams,
    requiredFields: (p) => observationRequiredFields(p, false),
    // A patient's trends reach back 24 hours; keep it a day past its scoring.
    stateTtl: (p) => p.activeFor + 24 * HOUR_MS,
  },
  create(context: DetectorContext, params: SepsisRiskParams): DetectorInstance {
    const patients = context.store<SepsisPatient>(SEPSIS_PATIENT_STORE);
    const { model } = params;
    const threshold = params.threshold ?? model.threshold;
    const critical = params.criticalAbove;
    const levels: AlarmLevel[] = [
      { notifies: false, renotify: Infinity },
      { notifies: true, renotify: params.renotify },
      ...(critical === undefined ? [] : [{ notifies: true, renotify: params.renotify }]),
    ];
    const activeHours = Math.ceil(params.activeFor / HOUR_MS);
    const closeAt = (hour: number) => (hour + 1) * HOUR_MS + params.closeDelay;

    const scoreNextHour = (key: string, patient: SepsisPatient): void => {
      const row = takeHourRow(patient, key, params.deriveMap);
      const end = (patient.next + 1) * HOUR_MS;
      patient.next++;
      const hour = scoreHour(patient.state, row, model);
      const p = hour.probability;
      patient.probability = p;
      const raw = critical !== undefined && p >= critical ? 2 : p >= threshold ? 1 : 0;
      const held = patient.alarm[0]!;
      const exitAt = (held === 2 ? critical! : threshold) * params.hysteresis.exitBelow;
      const step = stepAlarm(patient.alarm, levels, raw, p < exitAt, end, params.hysteresis.hours);
      if (step.notify === undefined) return;
      const values: Record<string, number> = {
        probability: p,
        logit: sepsisLogit(model, hour.features),
        iculos: row.iculos,
        news2: hour.news2,
        level: step.level,
        measured: Object.keys(row.values).length,
      };
      const why = explainSepsis(model, hour.features, params.explain);
      for (const input of why) {
        values[input.name] = input.value;
        values[`contrib.${input.name}`] = input.contribution;
      }
      const reasons = why.map((i) => `${i.name} ${i.contribution >= 0 ? '+' : ''}${i.contribution.toFixed(2)}`).join(', ');
      context.emit({
        entity: key,
        severity: step.level === 2 ? 'critical' : params.severity,
        kind: step.notify === 'escalation' ? 'sepsis.escalation' : 'sepsis.reminder',
        title: `sepsis risk ${p.toFixed(3)} (threshold ${threshold.toPrecision(3)}) for patient ${key} in hour ${row.iculos}: ${reasons}`,
        score: p,
        windowStart: end - HOUR_MS,
        windowEnd: end,
        values,
        thresholds: { probability: threshold, ...(critical === undefined ? {} : { critical }), exit_below: exitAt },
      });
    };

    return {
      process(event: VigilEvent): void {
        const obs = readObservation(event, params, context.log);
        if (obs === undefined) return;
        const measurement = params.measurements[obs.parameter];
        if (measurement === undefined) return;
        const hour = Math.floor(obs.time / HOUR_MS);
        let patient = patients.get(obs.patient);
        if (patient === undefined) patient = newSepsisPatient(hour - params.hoursBeforeFirstReading, levels.length);
        // Back after its hours stopped (every open hour was scored): no empty hours for the gap.
        else if (patient.next > patient.last + activeHours && hour > patient.next) patient.next = hour;
        if (patient.probability !== null) context.signal('probability', patient.probability);
        if (!addReading(patient, hour, measurement, obs.value, params.hoursBeforeFirstReading)) {
          context.log.debug('reading for an hour already scored', { event: event.id, patient: obs.patient });
          return;
        }
        patients.put(obs.patient, patient);
        context.schedule(HOUR_TIMER, obs.patient, closeAt(patient.next));
      },
      onTimer(timer: FiredTimer): void {
        const patient = patients.get(timer.key);
        if (patient === undefined) return;
        const watermark = context.watermark();
        while (closeAt(patient.next) <= watermark && patient.next <= patient.last + activeHours) scoreNextHour(timer.key, patient);
        patients.put(timer.key, patient);
        if (patient.next <= patient.last + activeHours) context.schedule(HOUR_TIMER, timer.key, closeAt(patient.next));
      },
    };
  },
});
