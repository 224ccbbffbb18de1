import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTemplate } from '../../templates/template.loader.js';
import { builtIns } from '../domains.js';

/**
 * The shipped health template: it loads against the built-ins, and the sepsis weights it holds
 * inline are the ones `vigil backtest --template health` replays (templates/health/sepsis-model.json),
 * so the backtest measures what the stream runs.
 */
describe('templates/health/template.yaml', () => {
  it('runs the sepsis model of sepsis-model.json, number for number', async () => {
    const loaded = await loadTemplate(path.resolve('templates/health/template.yaml'), { env: {}, ...builtIns() });
    const sepsis = loaded.detectors.find((d) => d.definition.meta.name === 'sepsis_risk');
    expect(sepsis).toBeDefined();
    const { fitted: _fitted, ...model } = JSON.parse(await readFile(path.resolve('templates/health/sepsis-model.json'), 'utf8')) as Record<string, unknown>;
    expect((sepsis!.params as { model: unknown }).model).toEqual(model);
  });

  it("feeds deterioration_trend the news2 detector's total, and routes every notified band per patient", async () => {
    const loaded = await loadTemplate(path.resolve('templates/health/template.yaml'), { env: {}, ...builtIns() });
    const news2 = loaded.detectors.find((d) => d.definition.meta.name === 'news2')!;
    const trend = loaded.detectors.find((d) => d.definition.meta.name === 'deterioration_trend')!;
    expect((trend.params as { news2Signal: string }).news2Signal).toBe(`${news2.id}.total`);
    const routes = loaded.template.alerts.routes;
    for (const severity of ['high', 'critical'] as const) {
      const route = routes.find((r) => r.match.severity?.includes(severity));
      expect(route?.groupBy).toEqual(['entity']);
    }
  });
});
