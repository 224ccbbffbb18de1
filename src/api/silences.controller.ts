import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { RequiresRole } from './auth/auth.decorators.js';
import { newSilence } from '../alerts/silences/silence-input.js';
import { SilencesService } from '../alerts/silences/silences.service.js';

/**
 * Silences: `POST /silences` {matchers: [{name, value, op?}], starts_at, ends_at, created_by?, comment?}
 * (times as ISO-8601 or epoch ms, compared with alerts' EVENT time), `GET /silences`,
 * `GET /silences/:id`, `DELETE /silences/:id`.
 */
@Controller('silences')
export class SilencesController {
  constructor(private readonly silences: SilencesService) {}

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
  async create(@Body() body: unknown) {
    const result = newSilence(body);
    if (!result.ok) throw new BadRequestException({ code: 'VIGIL_SILENCE_INVALID', problems: result.problems });
    await this.silences.create(result.silence);
    return result.silence;
  }

  @Delete(':id')
  @RequiresRole('operator')
  @HttpCode(204)
  async expire(@Param('id') id: string): Promise<void> {
    await this.silences.expire(id);
  }
}
