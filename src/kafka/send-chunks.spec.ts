import type { OutgoingMessage } from './kafka.types.js';
import { sendChunks } from './send-chunks.js';

const message = (value: string, key: string | null = null): OutgoingMessage => ({ topic: 't', key, value });
const sizes = (chunks: (readonly OutgoingMessage[])[]) => chunks.map((c) => c.length);

describe('sendChunks', () => {
  it('cuts at the message limit, keeping order', () => {
    const messages = Array.from({ length: 7 }, (_, i) => message(String(i)));
    const chunks = [...sendChunks(messages, { maxMessages: 3, maxBytes: 1_000 })];
    expect(sizes(chunks)).toEqual([3, 3, 1]);
    expect(chunks.flat().map((m) => m.value)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('cuts before a message that would pass the byte limit, counting keys, values and headers', () => {
    const messages = [message('a'.repeat(40), 'k'.repeat(10)), message('b'.repeat(40)), { topic: 't', value: 'c'.repeat(10), headers: { h: 'x'.repeat(19) } }, message('d')];
    // 50, then 40 (90 > 60: new chunk), then 10 + 1 + 19 = 30 (70 > 60: new chunk), then 1.
    expect(sizes([...sendChunks(messages, { maxMessages: 100, maxBytes: 60 })])).toEqual([1, 1, 2]);
  });

  it('sends a message bigger than the byte limit alone, and counts multi-byte characters as bytes', () => {
    const messages = [message('x'), message('é'.repeat(50)), message('y')];
    expect(sizes([...sendChunks(messages, { maxMessages: 100, maxBytes: 60 })])).toEqual([1, 1, 1]);
  });

  it('yields nothing for no messages', () => {
    expect([...sendChunks([])]).toEqual([]);
  });
});
