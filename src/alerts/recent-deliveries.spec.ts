import { RecentDeliveries } from './recent-deliveries.js';

describe('RecentDeliveries', () => {
  it('remembers ids per receiver', () => {
    const recent = new RecentDeliveries();
    recent.add('ops', 'alr_1');
    expect(recent.has('ops', 'alr_1')).toBe(true);
    expect(recent.has('ward', 'alr_1')).toBe(false);
    expect(recent.has('ops', 'alr_2')).toBe(false);
  });

  it('forgets the oldest ids past its bound', () => {
    const recent = new RecentDeliveries(2);
    for (const id of ['a', 'b', 'c']) recent.add('ops', id);
    expect(['a', 'b', 'c'].map((id) => recent.has('ops', id))).toEqual([false, true, true]);
  });
});
