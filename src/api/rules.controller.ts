import { Body, Controller, Delete, Get, Inject, NotFoundException, Param, Put } from '@nestjs/common';
import { AuditLogService } from './audit/audit-log.service.js';
import type { ApiCaller } from './auth/api-caller.js';
import { RequiresRole } from './auth/auth.decorators.js';
import { Caller } from './auth/caller.decorator.js';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import type { DetectorLogger } from '../model/detector.js';
import { VigilError } from '../errors/vigil-error.js';
import { ruleToPut } from '../rules/rule-input.js';
import { rulesTopic } from '../model/topics.js';
import { deleteRule, putRule, readRuleBook } from '../rules/rules-topic.js';

/**
 * The running template's declarative rules, as `vigil rules` sees them: GET lists the rules in
 * force, PUT puts one (its next version), DELETE deletes one. Every detect instance picks the
 * change up from the rules topic between batches.
 */
@Controller('templates/:name/rules')
export class RulesController {
  private readonly log: DetectorLogger;

  constructor(
    @Inject(VIGIL_CORE) private readonly core: VigilCore,
    private readonly audit: AuditLogService,
  ) {
    const logger = core.logger.child({ component: 'rules-api' });
    this.log = {
      debug: (message, details) => logger.debug(details ?? {}, message),
      info: (message, details) => logger.info(details ?? {}, message),
      warn: (message, details) => logger.warn(details ?? {}, message),
    };
  }

  @Get()
  async list(@Param('name') name: string) {
    this.running(name);
    const book = await readRuleBook(this.core.kafka, this.core.template, this.log);
    return { topic: rulesTopic(this.core.template), rules: book.rules().map(({ spec }) => spec) };
  }

  @Put(':id')
  @RequiresRole('admin')
  async put(@Param('name') name: string, @Param('id') id: string, @Body() body: unknown, @Caller() caller: ApiCaller) {
    this.running(name);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new VigilError('VIGIL_RULE_INVALID', 'body: expected a rule as a JSON object');
    const input = { id, ...body };
    if ((body as { id?: unknown }).id !== undefined && (body as { id?: unknown }).id !== id) {
      throw new VigilError('VIGIL_RULE_INVALID', `body: id: ${JSON.stringify((body as { id?: unknown }).id)} differs from the path's "${id}"`);
    }
    const spec = ruleToPut(input, this.core.template, 'body');
    const before = await this.current(id);
    const version = await putRule(this.core.kafka, this.core.template, spec, this.log);
    await this.audit.record(caller, { action: 'rule.put', target: id, before, after: { ...spec, version } });
    return { id, version };
  }

  @Delete(':id')
  @RequiresRole('admin')
  async remove(@Param('name') name: string, @Param('id') id: string, @Caller() caller: ApiCaller) {
    this.running(name);
    const before = await this.current(id);
    const version = await deleteRule(this.core.kafka, this.core.template, id, this.log);
    await this.audit.record(caller, { action: 'rule.delete', target: id, before, after: undefined });
    return { id, version, deleted: true };
  }

  /** The rule in force under this id, as the audit trail's "before". */
  private async current(id: string): Promise<unknown> {
    const book = await readRuleBook(this.core.kafka, this.core.template, this.log);
    return book.rules().find(({ rule }) => rule.id === id)?.spec;
  }

  private running(name: string): void {
    if (name !== this.core.template.name) throw new NotFoundException(`this Vigil runs template "${this.core.template.name}", not "${name}"`);
  }
}
