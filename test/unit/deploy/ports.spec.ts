import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerDemoCommand } from '../../../src/cli/demo.command.js';
import { registerReceiverCommand } from '../../../src/cli/receiver.command.js';
import { loadConfig } from '../../../src/config/vigil-config.js';
import { readCompose, withDefaults } from './compose-file.js';

const services = readCompose('docker-compose.yml').services;

/** Host ports Compose publishes, with the service publishing each, with nothing set in the shell. */
function publishedPorts(): [port: number, service: string][] {
  return Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((mapping): [number, string] => [Number(withDefaults(mapping).split(':').at(-2)), name]));
}

/** The default of a CLI option, read from the command as registered. */
function optionDefault(register: (program: Command) => void, command: string, flag: string): number {
  const program = new Command('vigil');
  register(program);
  const option = program.commands.find((c) => c.name() === command)!.options.find((o) => o.long === flag)!;
  return Number(option.defaultValue);
}

describe('ports: Compose and the local defaults do not clash', () => {
  const publishedList = publishedPorts();
  const published = new Map(publishedList);
  const defaults = loadConfig({});
  const local = new Map<string, number>([
    ['API (VIGIL_API_PORT)', defaults.api.port],
    ['vigil receiver --port', optionDefault(registerReceiverCommand, 'receiver', '--port')],
    ['vigil demo --receiver-port', optionDefault(registerDemoCommand, 'demo', '--receiver-port')],
  ]);

  it('publishes each host port once', () => {
    expect(publishedList.length).toBeGreaterThan(0);
    expect(publishedList.map(([port]) => port)).toEqual([...new Set(publishedList.map(([port]) => port))]);
  });

  it('gives the API one port everywhere: its local default, the port it listens on in Compose and the host port Compose publishes', () => {
    const api = services.api!;
    expect(withDefaults(api.environment!.VIGIL_API_PORT)).toBe(String(defaults.api.port));
    expect(withDefaults(api.ports![0]).split(':')).toEqual([String(defaults.api.port), String(defaults.api.port)]);
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(new RegExp(`^EXPOSE ${defaults.api.port}$`, 'm'));
    expect(defaults.api.url).toBe(`http://127.0.0.1:${defaults.api.port}`);
  });

  it("points VIGIL_GRAFANA_URL's default at the port Compose publishes Grafana on", () => {
    const grafana = new URL(defaults.grafanaUrl);
    expect(published.get(Number(grafana.port))).toBe('grafana');
  });

  it('never puts a local listener on a host port Compose gives another service', () => {
    for (const [listener, port] of local) {
      const owner = published.get(port);
      const allowed = listener.startsWith('API') ? 'api' : undefined;
      expect({ listener, port, publishedFor: owner ?? allowed }).toEqual({ listener, port, publishedFor: allowed });
    }
    const api = local.get('API (VIGIL_API_PORT)')!;
    for (const [listener, port] of local) if (!listener.startsWith('API')) expect({ listener, port }).not.toEqual({ listener, port: api });
  });
});
