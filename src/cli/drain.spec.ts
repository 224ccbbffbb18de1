import path from 'node:path';
import { builtIns } from '../domains/domains.js';
import { InMemoryKafka, testCore } from '../stages/testing/in-memory-kafka.js';
import { loadTemplate } from '../templates/template.loader.js';
import { waitForGroups, type DrainResult } from './drain.js';
import { pipelineCounts } from './pipeline-counts.js';

const healthTemplate = () => loadTemplate(path.resolve('templates/health/template.yaml'), { env: {}, ...builtIns() });

describe('waitForGroups', () => {
  it('stops once no group waits for its first notification, though one notification carried several alerts', async () => {
    // The health template's high alerts wait a minute (groupWait 1m) per patient.
    const core = testCore(new InMemoryKafka(), await healthTemplate());
    const { metrics } = core;
    const t = { template: core.template.name };
    metrics.alerts.inc({ ...t, detector: 'news2', severity: 'high' }, 3);
    metrics.alertsGrouped.inc({ receiver: 'ward' }, 3);
    metrics.alertGroupsWaiting.set({ receiver: 'ward' }, 1);
    const drained: DrainResult = { ok: true, counts: await pipelineCounts(core), waitedMs: 0 };
    // As notify does when the group's wait is over: one delivery for its three alerts.
    setTimeout(() => {
      metrics.webhookDeliveries.inc({ receiver: 'ward', reason: 'ok' });
      metrics.alertGroupsWaiting.set({ receiver: 'ward' }, 0);
    }, 300);
    const started = Date.now();
    const result = await waitForGroups(core, drained, {});
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.counts).toMatchObject({ alerts: 3, grouped: 3, delivered: 1, groupsWaiting: 0 });
  });

  it('returns the drain as it is when no alert went into a group', async () => {
    const core = testCore(new InMemoryKafka(), await healthTemplate());
    const drained: DrainResult = { ok: true, counts: await pipelineCounts(core), waitedMs: 7 };
    await expect(waitForGroups(core, drained, {})).resolves.toBe(drained);
  });
});
