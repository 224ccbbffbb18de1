import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import { isVigilError } from '../errors/vigil-error.js';
import { TemplateCatalog } from '../templates/template.catalog.js';
import { loadTemplate } from '../templates/template.loader.js';
import { redactTemplate } from '../templates/template.redact.js';
import { builtIns } from '../domains/domains.js';

/** GET /templates and GET /templates/:name: what a user can run, validated, secrets redacted. */
@Controller('templates')
export class TemplatesController {
  private readonly catalog: TemplateCatalog;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.catalog = new TemplateCatalog(core.config.templatesDir);
  }

  @Get()
  list() {
    return { running: this.core.template.name, templates: this.catalog.list() };
  }

  @Get(':name')
  async show(@Param('name') name: string) {
    const entry = this.catalog.list().find((t) => t.name === name);
    if (!entry) throw new NotFoundException(`no template named "${name}"`);
    try {
      const loaded = await loadTemplate(entry.file, { env: this.core.config.templateEnv, ...builtIns() });
      return { file: entry.file, template: redactTemplate(loaded.template) };
    } catch (error) {
      if (isVigilError(error)) return { file: entry.file, valid: false, error: error.message };
      throw error;
    }
  }
}
