import { receiverSchema, routeSchema, type ReceiverSpec, type RouteSpec } from '../model/template/template.schema.js';
import type { Severity } from '../model/records.js';
import { checkRoutes, matchRoutes, routeAlert } from './alert-router.js';
import { groupTiming } from '../model/template/route.config.js';
import { makeAlert } from './testing/alert.fixture.js';

const receiver = (name: string): ReceiverSpec =>
  receiverSchema.parse({ name, type: 'webhook', url: `https://hooks.example.com/${name}` });
const route = (input: unknown): RouteSpec => routeSchema.parse(input);

const receivers = [receiver('ops'), receiver('fraud'), receiver('audit')];
const routes = [
  route({ receiver: 'ops', match: { severity: ['critical'] } }),
  route({ receiver: 'fraud', match: { detector: ['card_velocity', 'geo_jump'], severity: ['high', 'critical'] } }),
  route({ receiver: 'audit' }),
];

function names(severity: Severity, detector: string, rules = routes): string[] {
  return routeAlert(makeAlert({ severity, detector }), rules, receivers).map((r) => r.name);
}

describe('routeAlert', () => {
  it.each([
    ['critical', 'card_velocity', ['ops', 'fraud', 'audit']],
    ['high', 'card_velocity', ['fraud', 'audit']],
    ['high', 'amount_zscore', ['audit']],
    ['critical', 'amount_zscore', ['ops', 'audit']],
    ['medium', 'geo_jump', ['audit']],
  ] as const)('%s from %s → %j', (severity, detector, expected) => {
    expect(names(severity, detector)).toEqual(expected);
  });

  it('treats an empty list like a missing one: match all', () => {
    expect(names('low', 'x', [route({ receiver: 'ops', match: { severity: [], detector: [] } })])).toEqual(['ops']);
  });

  it('returns [] when nothing matches (the caller counts it as unrouted)', () => {
    expect(names('low', 'x', routes.slice(0, 2))).toEqual([]);
    expect(names('critical', 'x', [])).toEqual([]);
  });

  it('sends once per receiver even when several routes match it', () => {
    const twice = [route({ receiver: 'ops', match: { severity: ['high'] } }), route({ receiver: 'ops' })];
    expect(names('high', 'x', twice)).toEqual(['ops']);
  });

  it('returns the receiver specs themselves', () => {
    expect(routeAlert(makeAlert({ severity: 'critical' }), routes.slice(0, 1), receivers)).toEqual([receivers[0]]);
  });
});

describe('checkRoutes', () => {
  it('names routes whose receiver does not exist, with their path', () => {
    const rules = [route({ receiver: 'ops' }), route({ receiver: 'pager' })];
    expect(checkRoutes(rules, receivers)).toEqual(['alerts.routes[1].receiver: unknown receiver "pager"']);
    expect(routeAlert(makeAlert(), rules, receivers).map((r) => r.name)).toEqual(['ops']);
  });
});

describe('routes matching labels', () => {
  it('match only alerts whose labels have the given values, and report the route that chose each receiver', () => {
    const rules = [route({ receiver: 'ops', match: { labels: { entity: 'card-42', kind: 'velocity.count' } } }), route({ receiver: 'ops' }), route({ receiver: 'fraud', match: { labels: { entity: 'card-7' } } })];
    expect(matchRoutes(makeAlert({ entity: 'card-42' }), rules, receivers).map((m) => [m.receiver.name, m.index])).toEqual([['ops', 0]]);
    expect(matchRoutes(makeAlert({ entity: 'card-7' }), rules, receivers).map((m) => [m.receiver.name, m.index])).toEqual([
      ['ops', 1],
      ['fraud', 2],
    ]);
  });

  it('parse grouping with Alertmanager-like defaults and allow no group wait', () => {
    expect(groupTiming(route({ receiver: 'ops', groupBy: ['entity'] }))).toEqual({ groupBy: ['entity'], groupWait: 30_000, groupInterval: 300_000, repeatInterval: 14_400_000, resolveAfter: 300_000 });
    expect(groupTiming(route({ receiver: 'ops', groupBy: ['entity'], groupWait: '0s', repeatInterval: '1h' }))).toMatchObject({ groupWait: 0, repeatInterval: 3_600_000 });
    expect(groupTiming(route({ receiver: 'ops' }))).toBeUndefined();
  });
});
