import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { RebalanceNotifier } from './rebalance-notifier.js';
import type { TopicPartition } from './kafka.types.js';

const tp = (partition: number): TopicPartition => ({ topic: 't', partition });

describe('RebalanceNotifier', () => {
  it('calls onRevoked before onAssigned, one rebalance after the other, and settles after all of them', async () => {
    const calls: string[] = [];
    const notifier = new RebalanceNotifier(
      {
        onRevoked: async (tps) => {
          await sleep(20);
          calls.push(`revoked ${tps.map((p) => p.partition).join()}`);
        },
        onAssigned: async (tps) => {
          await sleep(10);
          calls.push(`assigned ${tps.map((p) => p.partition).join()}`);
        },
      },
      undefined,
    );
    notifier.notify([], [tp(0), tp(1)]);
    notifier.notify([tp(1)], [tp(2)]);
    notifier.notify([tp(0)], []);
    await notifier.settled();
    expect(calls).toEqual(['assigned 0,1', 'revoked 1', 'assigned 2', 'revoked 0']);
  });

  it('keeps an onAssigned failure until reset(), and forgets onRevoked failures', async () => {
    let failAssign = true;
    const notifier = new RebalanceNotifier(
      {
        onRevoked: () => {
          throw new Error('revoke failed');
        },
        onAssigned: () => {
          if (failAssign) throw new Error('state load failed');
        },
      },
      undefined,
    );
    notifier.notify([tp(0)], []);
    await notifier.settled();
    expect(notifier.assignFailure()).toBeUndefined();

    notifier.notify([], [tp(1)]);
    await notifier.settled();
    expect(notifier.assignFailure()?.error).toEqual(new Error('state load failed'));

    failAssign = false;
    notifier.notify([], [tp(2)]); // a later success does not clear it: tp(1) is still not set up
    await notifier.settled();
    expect(notifier.assignFailure()).toBeDefined();
    notifier.reset();
    expect(notifier.assignFailure()).toBeUndefined();
  });

  it('does nothing without a listener', async () => {
    const notifier = new RebalanceNotifier(undefined, undefined);
    notifier.notify([tp(0)], [tp(1)]);
    await expect(notifier.settled()).resolves.toBeUndefined();
  });
});
