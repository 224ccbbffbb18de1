import path from 'node:path';
import { builtInGenerators, builtIns } from '../../domains/domains.js';
import type { LoadedTemplate } from '../../model/template/template.schema.js';
import { changelogTopic, groupId } from '../../model/topics.js';
import type { IncomingMessage } from '../../kafka/kafka.types.js';
import { decodeRecord, type ChangelogRecord } from '../../runtime/changelog.js';
import { loadTemplate } from '../../templates/template.loader.js';
import { batchOf, InMemoryKafka, LIVE, testCore } from '../testing/in-memory-kafka.js';
import { DetectStage } from './detect.stage.js';

let loaded: LoadedTemplate;
beforeAll(async () => {
  loaded = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() });
});

/** `count` simulated payments of one card on partition 0, a second apart: enough for card testing. */
function payments(kafka: InMemoryKafka, count: number): void {
  const generator = builtInGenerators().create('finance', { seed: 3, params: {} });
  for (let i = 0; i < count; i++) {
    const event = generator.next(Date.UTC(2026, 0, 1) + i * 1000);
    kafka.append({ topic: loaded.template.topics.input, key: event.key, value: JSON.stringify(event.value), partition: 0 });
  }
}

function decoded(messages: readonly IncomingMessage[]): ChangelogRecord[] {
  return messages.map((m) => decodeRecord(m.key ?? '', m.value));
}

describe('DetectStage', () => {
  const group = groupId({ name: 'finance' } as never, 'detect');

  it('writes a batch’s output, state changes and next input offset in one transaction', async () => {
    const kafka = new InMemoryKafka();
    payments(kafka, 20);
    const { input } = loaded.template.topics;
    const stage = new DetectStage(testCore(kafka, loaded));
    await stage.onAssigned([{ topic: input, partition: 0 }]);
    expect(kafka.producers).toEqual([`${group}.${input}.0`]);
    await stage.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group));
    const changelog = decoded(kafka.messages(changelogTopic(group)));
    expect(changelog.some((record) => record.kind === 'entity' || record.kind === 'store')).toBe(true);
    expect(changelog.at(-1)).toEqual({ kind: 'input', next: '20' });
    await stage.prepareStop();
    expect(kafka.groupCommits.get(group)).toEqual([{ topic: input, partition: 0, offset: '20' }]);
    await stage.onApplicationShutdown();
  });

  it('after a restart, restores the state and skips events a previous owner already committed', async () => {
    const kafka = new InMemoryKafka();
    payments(kafka, 20);
    const { input } = loaded.template.topics;
    const first = new DetectStage(testCore(kafka, loaded));
    await first.onAssigned([{ topic: input, partition: 0 }]);
    // It committed its transaction, then died before the group's offsets followed.
    await first.handle(batchOf(input, 0, kafka.messages(input).slice(0, 12)), LIVE, kafka.committer('never'));
    const written = kafka.messages(changelogTopic(group)).length;
    const core = testCore(kafka, loaded);
    const second = new DetectStage(core);
    await second.onAssigned([{ topic: input, partition: 0 }]);
    // The consumer starts from the group's offset (none): the first 12 events are handed out again.
    await second.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group));
    const processed = (await core.metrics.processed.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(processed).toBe(8);
    const records = decoded(kafka.messages(changelogTopic(group)).slice(written));
    expect(records.at(-1)).toEqual({ kind: 'input', next: '20' });
    // Events 0-11 were skipped, not counted twice: event time moved on from the restored state.
    const meta = records.flatMap((record) => (record.kind === 'meta' ? [record.meta.maxEventTime] : []));
    expect(meta).toEqual([Date.UTC(2026, 0, 1) + 19_000]);
    await first.onApplicationShutdown();
    await second.onApplicationShutdown();
  });

  it('keeps no state from a restore that failed after reading the changelog: the batch again restores first, then skips what is committed', async () => {
    const kafka = new InMemoryKafka();
    payments(kafka, 20);
    const { input } = loaded.template.topics;
    const first = new DetectStage(testCore(kafka, loaded));
    await first.onAssigned([{ topic: input, partition: 0 }]);
    await first.handle(batchOf(input, 0, kafka.messages(input).slice(0, 12)), LIVE, kafka.committer('never'));
    // The broker is back but not ready: the group's offsets cannot be read yet, once.
    let unreadable = 1;
    const groupOffsets = kafka.admin.bind(kafka);
    kafka.admin = async () => {
      const admin = await groupOffsets();
      return { ...admin, groupOffsets: async (...args) => (unreadable-- > 0 ? Promise.reject(new Error('coordinator is loading')) : admin.groupOffsets(...args)) };
    };
    const core = testCore(kafka, loaded);
    const second = new DetectStage(core);
    // No onAssigned: a consumer kafkajs restarted hands the partition's batch to a stage that had dropped its state.
    await expect(second.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group))).rejects.toThrow('coordinator is loading');
    await second.handle(batchOf(input, 0, kafka.messages(input)), LIVE, kafka.committer(group));
    expect(await core.metrics.total(core.metrics.processed)).toBe(8);
    expect(await core.metrics.total(core.metrics.lateEvents)).toBe(0);
    await first.onApplicationShutdown();
    await second.onApplicationShutdown();
  });
});
