import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { AuditLogService } from './audit/audit-log.service.js';
import type { ApiCaller } from './auth/api-caller.js';
import { RequiresRole } from './auth/auth.decorators.js';
import { Caller } from './auth/caller.decorator.js';
import { newSilence } from '../alerts/silences/silence-input.js';
import { SilencesService } from '../alerts/silences/silences.service.js';

/**
 * Silences: `POST /silences` {matchers: [{name, value, op?}], starts_at, ends_at, created_by?, comment?}
 * (times as ISO-8601 or epoch ms, compared with alerts' EVENT time), `GET /silences`,
 * `GET /silences/:id`, `DELETE /silences/:id`.
 */
@Controller('silences')
export class SilencesController {
  constructor(
    private readonly silences: SilencesService,
    private readonly audit: AuditLogService,
  ) {}

  @Get()
  list() {
    return { silences: this.silences.list() };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    const silence = this.silences.get(id);
    if (!silence) throw new NotFoundException(`no silence ${id}`);
    return silence;
  }

  @Post()
  @RequiresRole('operator')
  @HttpCode(201)
  async create(@Body() body: unknown, @Caller() caller: ApiCaller) {
    const result = newSilence(body);
    if (!result.ok) throw new BadRequestException({ code: 'VIGIL_SILENCE_INVALID', problems: result.problems });
    await this.silences.create(result.silence);
    await this.audit.record(caller, { action: 'silence.create', target: result.silence.id, before: undefined, after: result.silence });
    return result.silence;
  }

  @Delete(':id')
  @RequiresRole('operator')
  @HttpCode(204)
  async expire(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<void> {
    const before = this.silences.get(id);
    await this.silences.expire(id);
    await this.audit.record(caller, { action: 'silence.expire', target: id, before, after: undefined });
  }
}
