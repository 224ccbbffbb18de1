import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { templateTopics } from '../model/topics.js';
import { loadConfig } from '../config/vigil-config.js';
import { benchInputTopic, loadBaseTemplate, writeTemplateVariant } from './bench-template.js';

describe('writeTemplateVariant', () => {
  it('gives a variant no topic of the shipped template, so a run never reads or deletes a real one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-template-'));
    try {
      const config = loadConfig({});
      const base = await loadBaseTemplate(config);
      const inputTopic = benchInputTopic(base.template, 'run1');
      const variant = await writeTemplateVariant(config, { baseFile: base.file, dir, runId: 'run1', variant: 'pipeline', inputTopic });
      const baseTopics = new Set(templateTopics(base.template).map((t) => t.topic));
      const variantTopics = templateTopics(variant.template).map((t) => t.topic);
      expect(base.template.topics.feedback).toBeDefined();
      expect(variant.template.topics.feedback).toBe('vigil.bench.run1.pipeline.feedback');
      expect(variantTopics.filter((t) => baseTopics.has(t))).toEqual([]);
      expect(variant.template.topics.input).toBe(inputTopic);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
