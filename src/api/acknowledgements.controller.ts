import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { AuditLogService } from './audit/audit-log.service.js';
import type { ApiCaller } from './auth/api-caller.js';
import { RequiresRole } from './auth/auth.decorators.js';
import { Caller } from './auth/caller.decorator.js';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import { acknowledgementSilence, acknowledgementView, acknowledges, inFlightWindow, patientIdProblem } from '../alerts/silences/acknowledgement.js';
import { parseAcknowledgementInput } from '../alerts/silences/acknowledgement-input.js';
import { SilencesService } from '../alerts/silences/silences.service.js';

/**
 * Acknowledgements: `POST /templates/:name/patients/:id/acknowledge` {for: "30m" (at most 24h),
 * comment?} quiets the patient's alerts of that template, as a silence on `template` and
 * `entity`; `GET …/acknowledgements` lists the patient's acknowledgements not yet over. `:id` is
 * the patient id as stored: the pseudonym when the template pseudonymises patient ids.
 */
@Controller('templates/:name/patients/:id')
export class AcknowledgementsController {
  constructor(
    @Inject(VIGIL_CORE) private readonly core: VigilCore,
    private readonly silences: SilencesService,
    private readonly audit: AuditLogService,
  ) {}

  @Post('acknowledge')
  @RequiresRole('operator')
  @HttpCode(201)
  async acknowledge(@Param('name') name: string, @Param('id') patient: string, @Body() body: unknown, @Caller() caller: ApiCaller) {
    this.running(name);
    const parsed = parseAcknowledgementInput(body);
    const problems = [patientIdProblem(patient) ?? [], parsed.ok ? [] : parsed.problems].flat();
    if (!parsed.ok || problems.length > 0) throw new BadRequestException({ code: 'VIGIL_ACK_INVALID', problems });
    const silence = acknowledgementSilence({
      template: name,
      patient,
      by: caller.name,
      input: parsed.input,
      now: Date.now(),
      inFlightMs: inFlightWindow(this.core.template.event),
    });
    await this.silences.create(silence);
    const view = acknowledgementView(silence, name, patient);
    await this.audit.record(caller, { action: 'patient.acknowledge', target: patient, before: undefined, after: view });
    return view;
  }

  @Get('acknowledgements')
  list(@Param('name') name: string, @Param('id') patient: string) {
    this.running(name);
    const now = Date.now();
    const active = this.silences.list().filter((silence) => silence.ends_at > now && acknowledges(silence, name, patient));
    return { template: name, patient, acknowledgements: active.map((silence) => acknowledgementView(silence, name, patient)) };
  }

  private running(name: string): void {
    if (name !== this.core.template.name) throw new NotFoundException(`this Vigil runs template "${this.core.template.name}", not "${name}"`);
  }
}
