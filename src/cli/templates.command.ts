import type { Command } from 'commander';

export function registerTemplatesCommand(program: Command): void {
  const templates = program.command('templates').description('list, show and validate templates');

  templates
    .command('list')
    .description('the templates in the templates directory')
    .action(async () => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { loadConfig } = await import('../config/vigil-config.js');
      const { TemplateCatalog } = await import('../templates/template.catalog.js');
      const config = loadConfig();
      const rows = new TemplateCatalog(config.templatesDir).list();
      for (const t of rows) process.stdout.write(`${t.name.padEnd(12)} ${t.domain.padEnd(8)} ${t.title}\n`);
    });

  templates
    .command('show <name>')
    .description('a template after validation and ${ENV} substitution (secrets redacted)')
    .action(async (name: string) => {
      const { stringify } = await import('yaml');
      const { loadConfig } = await import('../config/vigil-config.js');
      const { builtIns } = await import('../domains/domains.js');
      const { TemplateCatalog } = await import('../templates/template.catalog.js');
      const { loadTemplate } = await import('../templates/template.loader.js');
      const { redactTemplate } = await import('../templates/template.redact.js');
      const config = loadConfig();
      const file = new TemplateCatalog(config.templatesDir).resolve(name);
      const loaded = await loadTemplate(file, { env: config.templateEnv, ...builtIns() });
      process.stdout.write(`# ${file}\n${stringify(redactTemplate(loaded.template))}`);
    });

  templates
    .command('validate <path>')
    .description('check a template file; exits 2 with every problem listed when it is invalid')
    .action(async (path: string) => {
      const { loadConfig } = await import('../config/vigil-config.js');
      const { builtIns } = await import('../domains/domains.js');
      const { loadTemplate } = await import('../templates/template.loader.js');
      const config = loadConfig();
      const loaded = await loadTemplate(path, { env: config.templateEnv, ...builtIns() });
      process.stdout.write(`${path}: valid (template ${loaded.template.name} v${loaded.template.version}, ${loaded.detectors.length} detector(s))\n`);
    });
}
