import type { KafkaClient, MessageBatch } from '../../kafka/kafka.types.js';
import { createLogger } from '../../logging/logger.js';
import { ResumePoints } from './resume-points.js';

function batch(partition: number, offsets: readonly number[]): MessageBatch {
  return {
    topic: 'in',
    partition,
    highWatermark: '100',
    messages: offsets.map((offset) => ({ offset: String(offset), key: null, value: Buffer.from('{}'), timestamp: '0', headers: {} })),
  } as unknown as MessageBatch;
}
const offsets = (b: MessageBatch) => b.messages.map((m) => Number(m.offset));

describe('ResumePoints', () => {
  const points = () => new ResumePoints({} as KafkaClient, 'g', 'in', createLogger('silent', 'test'));

  it('skips what the state holds however often it is delivered again, and lets the rest through untouched', () => {
    const resume = points();
    resume.advance(0, 10n);
    expect(offsets(resume.unseen(batch(0, [10, 11])))).toEqual([10, 11]);
    resume.advance(0, 12n);
    // A consumer restarted by kafkajs fetches again from the group's older offset.
    expect(offsets(resume.unseen(batch(0, [5, 6, 7, 8, 9, 10, 11, 12, 13])))).toEqual([12, 13]);
    expect(offsets(resume.unseen(batch(0, [0, 1, 2])))).toEqual([]);
    expect(offsets(resume.unseen(batch(1, [0, 1])))).toEqual([0, 1]);
  });

  it('never moves back, and forgets a partition it no longer holds', () => {
    const resume = points();
    resume.advance(2, 50n);
    resume.advance(2, 40n);
    expect(resume.position(2)).toBe(50n);
    resume.forget(2);
    expect(resume.position(2)).toBeUndefined();
    expect(offsets(resume.unseen(batch(2, [1])))).toEqual([1]);
  });
});
