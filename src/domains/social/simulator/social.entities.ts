/**
 * What the simulated posts are about: fictional brands, public topics and accounts, most popular
 * first (the generator gives them Zipf popularity in this order). Fictional on purpose: the demo
 * turns sentiment about some of them sharply negative.
 */
export interface SocialEntity {
  /** The `about` value and Kafka key. */
  readonly id: string;
  /** How posts write it. */
  readonly name: string;
  /** Its own hashtag, without '#'. */
  readonly tag: string;
  /** Its account, mentioned as '@account'. */
  readonly account: string;
  readonly kind: 'brand' | 'topic' | 'account';
  /** Things posts about it talk about ("the new {product}"). */
  readonly products: readonly string[];
  readonly domain: string;
}

const entity = (id: string, name: string, kind: SocialEntity['kind'], products: readonly string[]): SocialEntity => ({
  id,
  name,
  tag: name.replace(/[^A-Za-z]/g, ''),
  account: id.replace(/_/g, ''),
  kind,
  products,
  domain: `${id.replace(/_/g, '')}.example`,
});

const PHONE = ['phone', 'camera', 'battery', 'update'];
const APP = ['app', 'update', 'support', 'subscription'];

export const ENTITIES: readonly SocialEntity[] = [
  entity('pixelia', 'Pixelia', 'brand', PHONE),
  entity('streamly', 'Streamly', 'brand', ['show', 'app', 'subscription', 'series']),
  entity('cup_final', 'Cup Final', 'topic', ['match', 'goal', 'referee', 'stadium']),
  entity('nimbus_air', 'Nimbus Air', 'brand', ['flight', 'crew', 'app', 'boarding']),
  entity('voltra', 'Voltra', 'brand', ['car', 'charger', 'range', 'update']),
  entity('brewhaus', 'Brewhaus', 'brand', ['coffee', 'latte', 'store', 'app']),
  entity('kwikcart', 'Kwikcart', 'brand', ['delivery', 'order', 'driver', 'app']),
  entity('orbit_mobile', 'Orbit Mobile', 'brand', ['network', 'signal', 'plan', 'support']),
  entity('quanta_games', 'Quanta Games', 'brand', ['game', 'server', 'patch', 'update']),
  entity('fjord_bank', 'Fjord Bank', 'brand', ['app', 'card', 'transfer', 'support']),
  entity('summer_fest', 'Summer Fest', 'topic', ['lineup', 'stage', 'ticket app', 'festival']),
  entity('nova_pay', 'Nova Pay', 'brand', ['app', 'card', 'payment', 'support']),
  entity('climate_summit', 'Climate Summit', 'topic', ['summit', 'speech', 'deal', 'panel']),
  entity('sonic_audio', 'Sonic Audio', 'brand', ['headset', 'speaker', 'sound', 'app']),
  entity('atlas_rail', 'Atlas Rail', 'brand', ['train', 'ticket', 'connection', 'app']),
  entity('harbor_hotels', 'Harbor Hotels', 'brand', ['room', 'stay', 'staff', 'breakfast']),
  entity('city_council', 'City Council', 'account', ['plan', 'budget', 'meeting', 'decision']),
  entity('lumen_energy', 'Lumen Energy', 'brand', ['bill', 'tariff', 'app', 'support']),
  entity('cirrus_cloud', 'Cirrus Cloud', 'brand', ['service', 'dashboard', 'API', 'support']),
  entity('space_launch', 'Space Launch', 'topic', ['launch', 'rocket', 'stream', 'mission']),
  entity('mosaic_fashion', 'Mosaic Fashion', 'brand', ['collection', 'store', 'jacket', 'sale']),
  entity('pulse_fitness', 'Pulse Fitness', 'brand', ['gym', 'class', 'app', 'trainer']),
  entity('tech_expo', 'Tech Expo', 'topic', ['keynote', 'demo', 'talk', 'booth']),
  entity('zest_foods', 'Zest Foods', 'brand', ['snack', 'recipe', 'flavour', 'pack']),
  entity('trailpeak', 'Trailpeak', 'brand', ['jacket', 'boot', 'tent', 'store']),
  entity('velo_bikes', 'Velo Bikes', 'brand', ['bike', 'ebike', 'shop', 'repair']),
  entity('election_debate', 'Election Debate', 'topic', ['debate', 'answer', 'moderator', 'poll']),
  entity('chatterbox', 'Chatterbox', 'brand', APP),
  entity('city_marathon', 'City Marathon', 'topic', ['race', 'route', 'start', 'finish']),
  entity('natural_museum', 'Natural Museum', 'account', ['exhibition', 'tour', 'ticket desk', 'collection']),
  entity('photon_tv', 'Photon TV', 'brand', ['screen', 'remote', 'update', 'picture']),
  entity('greenleaf_market', 'Greenleaf Market', 'brand', ['store', 'fruit', 'delivery', 'checkout']),
  entity('weather_service', 'Weather Service', 'account', ['forecast', 'warning', 'app', 'radar']),
  entity('bytewise', 'Bytewise', 'brand', ['laptop', 'keyboard', 'update', 'battery']),
  entity('film_awards', 'Film Awards', 'topic', ['ceremony', 'host', 'red carpet', 'speech']),
  entity('sparkle_toys', 'Sparkle Toys', 'brand', ['toy', 'set', 'store', 'delivery']),
  entity('metro_transit', 'Metro Transit', 'account', ['bus', 'line', 'schedule', 'app']),
  entity('aurora_cosmetics', 'Aurora Cosmetics', 'brand', ['cream', 'palette', 'store', 'formula']),
  entity('homenest', 'Homenest', 'brand', ['sofa', 'delivery', 'store', 'assembly']),
  entity('city_zoo', 'City Zoo', 'account', ['ticket app', 'exhibit', 'tour', 'cafe']),
];
