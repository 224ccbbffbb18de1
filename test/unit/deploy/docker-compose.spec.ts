import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { parseServices } from '../../../src/app/services.js';
import { registerReceiverCommand } from '../../../src/cli/receiver.command.js';
import { registerRunCommand } from '../../../src/cli/run.command.js';
import { registerSimulateCommand } from '../../../src/cli/simulate.command.js';
import { ENVIRONMENT_VARIABLES } from '../../../src/config/vigil-config.js';
import { readCompose, withDefaults, type ComposeService } from './compose-file.js';

const compose = readCompose('docker-compose.yml');
const services = compose.services;
const VIGIL_SERVICES = ['detect', 'sink', 'notify', 'api', 'simulator', 'receiver'];
const STAGES = ['detect', 'sink', 'notify', 'api'];

/** Variables templates read through `${VAR}` (templates/<name>/template.yaml). */
function templateVariables(): string[] {
  const names = new Set<string>();
  for (const dir of readdirSync('templates')) {
    const file = path.join('templates', dir, 'template.yaml');
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/\$\{(\w+)/g)) names.add(match[1]!);
  }
  return [...names];
}

function env(service: ComposeService, name: string): string {
  return withDefaults(service.environment?.[name]);
}

describe('docker-compose.yml is consistent with the code', () => {
  it('has the infrastructure, every stage as its own service and the simulator as an optional profile', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kafka', 'clickhouse', 'grafana', ...VIGIL_SERVICES]));
    for (const stage of STAGES) {
      expect({ stage, command: services[stage]!.command }).toEqual({ stage, command: ['run', '--template', '${VIGIL_TEMPLATE:-finance}', '--services', stage] });
      expect(parseServices(services[stage]!.command![4])).toEqual([stage]);
      expect(services[stage]!.profiles).toBeUndefined();
    }
    expect(services.simulator!.profiles).toEqual(['demo']);
    expect(services.simulator!.command!.slice(0, 1)).toEqual(['simulate']);
  });

  it('runs only CLI commands and options that exist', () => {
    const program = new Command('vigil');
    registerRunCommand(program);
    registerSimulateCommand(program);
    registerReceiverCommand(program);
    const main = readFileSync('src/cli/main.ts', 'utf8');
    for (const register of ['registerRunCommand', 'registerSimulateCommand', 'registerReceiverCommand']) expect(main).toContain(`${register}(program)`);
    for (const name of VIGIL_SERVICES) {
      const [commandName, ...args] = services[name]!.command!;
      const command = program.commands.find((c) => c.name() === commandName);
      expect({ name, command: command?.name() }).toEqual({ name, command: commandName });
      const flags = new Set(command!.options.flatMap((o) => [o.long, o.short]));
      for (const arg of args.filter((a) => a.startsWith('-'))) expect({ name, arg, known: flags.has(arg) }).toEqual({ name, arg, known: true });
    }
  });

  it('sets only environment variables Vigil or its templates read, all documented in the README table', () => {
    const known = new Set([...ENVIRONMENT_VARIABLES, ...templateVariables()]);
    for (const name of VIGIL_SERVICES) {
      for (const variable of Object.keys(services[name]!.environment ?? {})) expect({ service: name, variable, known: known.has(variable) }).toEqual({ service: name, variable, known: true });
    }
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('## Configuration');
    const table = readme.slice(start, readme.indexOf('\n## ', start));
    // Compose's own `${VARS}` (template choice, published ports, versions) belong in the same table.
    const composeVariables = [...readFileSync('docker-compose.yml', 'utf8').matchAll(/\$\{(\w+)/g)].map((m) => m[1]!);
    for (const variable of new Set([...known, ...composeVariables])) {
      expect({ variable, documented: table.includes(`| \`${variable}\``) || table.includes(`, \`${variable}\``) }).toEqual({ variable, documented: true });
    }
  });

  it('points Vigil at the Kafka and ClickHouse services on the ports they listen on', () => {
    const kafka = services.kafka!;
    expect(kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(env(kafka, 'KAFKA_PROCESS_ROLES').split(',')).toEqual(expect.arrayContaining(['broker', 'controller']));
    const advertised = env(kafka, 'KAFKA_ADVERTISED_LISTENERS').split(',').map((l) => l.replace(/^\w+:\/\//, ''));
    expect(services.clickhouse!.ports).toContain('8123:8123');
    for (const name of VIGIL_SERVICES) {
      const service = services[name]!;
      expect(advertised).toContain(env(service, 'KAFKA_BROKERS'));
      expect(new URL(env(service, 'CLICKHOUSE_URL')).host).toBe('clickhouse:8123');
      expect(env(service, 'CLICKHOUSE_DATABASE')).toBe(env(services.clickhouse!, 'CLICKHOUSE_DB'));
      expect(env(service, 'CLICKHOUSE_USER')).toBe(env(services.clickhouse!, 'CLICKHOUSE_USER'));
      if (name !== 'receiver') expect(service.depends_on).toMatchObject({ kafka: { condition: 'service_healthy' } });
    }
    const api = services.api!;
    expect(env(api, 'VIGIL_API_HOST')).toBe('0.0.0.0');
    expect(withDefaults(api.ports![0]).split(':')[1]).toBe(env(api, 'VIGIL_API_PORT'));
    expect(api.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${env(api, 'VIGIL_API_PORT')}/health`);
    const receiverPort = services.receiver!.command![services.receiver!.command!.indexOf('--port') + 1];
    expect(new URL(env(services.notify!, 'VIGIL_WEBHOOK_URL')).host).toBe(`receiver:${receiverPort}`);
  });

  it("runs the API's user SQL as ClickHouse's read-only user, defined beside the server", () => {
    const api = services.api!;
    const clickhouse = services.clickhouse!;
    const users = clickhouse.volumes!.map((v) => v.split(':')).find(([, to]) => to!.startsWith('/etc/clickhouse-server/users.d/'));
    expect(users).toBeDefined();
    const xml = readFileSync(users![0]!, 'utf8');
    const user = env(api, 'CLICKHOUSE_QUERY_USER');
    expect(xml).toContain(`<users>\n    <${user}>`);
    expect(xml).toMatch(new RegExp(`<profile>${user}</profile>`));
    expect(xml).toMatch(/<readonly>2<\/readonly>/);
    expect(xml).toMatch(/<query>GRANT SELECT ON \*\.\*<\/query>/);
    expect(xml).toMatch(/<password from_env="CLICKHOUSE_QUERY_PASSWORD"\/>/);
    expect(env(api, 'CLICKHOUSE_QUERY_PASSWORD')).toBe(env(clickhouse, 'CLICKHOUSE_QUERY_PASSWORD'));
    // The stages keep their own user: only the API reads as the reader.
    for (const name of ['detect', 'sink', 'notify']) expect(services[name]!.environment?.CLICKHOUSE_QUERY_USER).toBeUndefined();
  });

  it('lets detect scale: no fixed container name or published port', () => {
    expect(services.detect!.container_name).toBeUndefined();
    expect(services.detect!.ports).toBeUndefined();
    for (const service of Object.values(services)) expect(service.container_name).toBeUndefined();
  });

  it('mounts paths that exist, declares its named volumes and health-checks what others wait for', () => {
    const named = new Set(Object.keys(compose.volumes ?? {}));
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect({ name, source, exists: existsSync(source) }).toEqual({ name, source, exists: true });
        else expect({ name, source, declared: named.has(source) }).toEqual({ name, source, declared: true });
      }
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy') expect({ dependency, healthcheck: Boolean(services[dependency]!.healthcheck) }).toEqual({ dependency, healthcheck: true });
      }
    }
    for (const name of ['kafka', 'clickhouse', 'grafana', 'api']) expect(services[name]!.healthcheck).toBeDefined();
  });

  it('gives Grafana the ClickHouse plugin (pinned, >= 4.6), its datasource and the generated dashboards', () => {
    const grafana = services.grafana!;
    const [plugin, version] = env(grafana, 'GF_INSTALL_PLUGINS').split(' ');
    expect(plugin).toBe('grafana-clickhouse-datasource');
    const [major, minor] = version!.split('.').map(Number);
    expect(major! > 4 || (major === 4 && minor! >= 6)).toBe(true);

    const mountOf = (target: string) => grafana.volumes!.map((v) => v.split(':')).find(([, to]) => to === target)?.[0];
    const provisioning = mountOf('/etc/grafana/provisioning')!;
    const datasources = parse(readFileSync(path.join(provisioning, 'datasources/clickhouse.yaml'), 'utf8')) as {
      datasources: { type: string; uid: string; jsonData: { host: string; port: number; protocol: string; defaultDatabase: string } }[];
    };
    const [source] = datasources.datasources;
    expect(source).toMatchObject({ type: 'grafana-clickhouse-datasource', uid: 'clickhouse', jsonData: { host: 'clickhouse', port: 9000, protocol: 'native' } });
    expect(source!.jsonData.defaultDatabase).toBe('${CLICKHOUSE_DATABASE}');
    expect(env(grafana, 'CLICKHOUSE_DATABASE')).toBe(env(services.clickhouse!, 'CLICKHOUSE_DB'));

    const providers = parse(readFileSync(path.join(provisioning, 'dashboards/vigil.yaml'), 'utf8')) as { providers: { type: string; options: { path: string } }[] };
    const dashboardsPath = providers.providers[0]!.options.path;
    expect(mountOf(dashboardsPath)).toBe('./dashboards');
    expect(readdirSync('dashboards')).toContain('vigil-overview.json');
    const home = env(grafana, 'GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH');
    expect(path.dirname(home)).toBe(dashboardsPath);
    expect(existsSync(path.join('dashboards', path.basename(home)))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');

  it('is multi-stage on node:24-slim, runs as a non-root user, and copies paths that exist', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(new Set(stages)).toEqual(new Set(['node:24-slim']));
    const user = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]).at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(' ')) expect({ source, exists: existsSync(source) }).toEqual({ source, exists: true });
    }
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/vigil.js"\]$/m);
    const dockerignore = readFileSync('.dockerignore', 'utf8').split('\n');
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data']));
  });
});
