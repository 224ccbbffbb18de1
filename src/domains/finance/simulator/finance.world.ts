import { cumulativeWeights, hashNormal, hashUnit, pickCumulative } from '../../../simulate/random.js';

// Bound once: hot paths avoid global lookups (see random.ts).
const { exp, floor, max, min, round: roundNumber } = Math;

/**
 * The simulated card-payments world: a euro-area bank's customers, their cards, shop terminals and
 * ATMs in cities, and online merchants at home and abroad. Entities are not stored: each one's
 * attributes are a pure function of (seed, index), so a million customers cost no memory and the
 * same seed always yields the same world.
 */

export interface City {
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  /** Relative share of customers and terminals. */
  readonly weight: number;
}

export const CITIES: readonly City[] = [
  { name: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, weight: 3.7 },
  { name: 'Hamburg', country: 'DE', lat: 53.551, lon: 9.994, weight: 1.9 },
  { name: 'Munich', country: 'DE', lat: 48.137, lon: 11.575, weight: 1.5 },
  { name: 'Cologne', country: 'DE', lat: 50.938, lon: 6.96, weight: 1.1 },
  { name: 'Paris', country: 'FR', lat: 48.857, lon: 2.352, weight: 2.1 },
  { name: 'Lyon', country: 'FR', lat: 45.764, lon: 4.836, weight: 0.5 },
  { name: 'Madrid', country: 'ES', lat: 40.417, lon: -3.704, weight: 3.3 },
  { name: 'Barcelona', country: 'ES', lat: 41.385, lon: 2.173, weight: 1.6 },
  { name: 'Milan', country: 'IT', lat: 45.464, lon: 9.19, weight: 1.4 },
  { name: 'Rome', country: 'IT', lat: 41.903, lon: 12.496, weight: 2.8 },
  { name: 'Amsterdam', country: 'NL', lat: 52.368, lon: 4.904, weight: 0.9 },
  { name: 'Vienna', country: 'AT', lat: 48.208, lon: 16.373, weight: 1.9 },
  { name: 'Brussels', country: 'BE', lat: 50.85, lon: 4.352, weight: 1.2 },
  { name: 'Lisbon', country: 'PT', lat: 38.722, lon: -9.139, weight: 0.5 },
  { name: 'Dublin', country: 'IE', lat: 53.35, lon: -6.26, weight: 0.6 },
];

/** A merchant category (ISO 18245 MCC) and how its amounts compare to a customer's typical one. */
export interface Category {
  readonly mcc: string;
  readonly weight: number;
  readonly amountFactor: number;
}

export const POS_CATEGORIES: readonly Category[] = [
  { mcc: '5411', weight: 30, amountFactor: 1 }, // groceries
  { mcc: '5812', weight: 14, amountFactor: 1.1 }, // restaurants
  { mcc: '5814', weight: 12, amountFactor: 0.35 }, // fast food
  { mcc: '5541', weight: 9, amountFactor: 1.4 }, // fuel
  { mcc: '5912', weight: 6, amountFactor: 0.6 }, // pharmacies
  { mcc: '5651', weight: 6, amountFactor: 1.7 }, // clothing
  { mcc: '5999', weight: 6, amountFactor: 0.8 }, // misc retail
  { mcc: '4111', weight: 5, amountFactor: 0.25 }, // local transport
  { mcc: '5311', weight: 5, amountFactor: 1.8 }, // department stores
  { mcc: '5732', weight: 3, amountFactor: 4 }, // electronics
  { mcc: '5813', weight: 2, amountFactor: 0.8 }, // bars
  { mcc: '7011', weight: 2, amountFactor: 5 }, // hotels
];

export const ONLINE_CATEGORIES: readonly Category[] = [
  { mcc: '5999', weight: 25, amountFactor: 1.2 }, // marketplaces
  { mcc: '5691', weight: 15, amountFactor: 1.6 }, // clothing
  { mcc: '5814', weight: 15, amountFactor: 0.8 }, // food delivery
  { mcc: '4121', weight: 12, amountFactor: 0.6 }, // ride hailing
  { mcc: '4899', weight: 10, amountFactor: 0.35 }, // streaming and subscriptions
  { mcc: '5732', weight: 8, amountFactor: 3 }, // electronics
  { mcc: '5942', weight: 8, amountFactor: 0.7 }, // books
  { mcc: '4511', weight: 4, amountFactor: 6 }, // airlines
  { mcc: '7011', weight: 3, amountFactor: 5 }, // lodging
];

export const ATM_MCC = '6011';

/** Where online merchants are, the currency they charge in, and its value per euro. */
const ONLINE_MARKETS = [
  { country: 'DE', currency: 'EUR', perEuro: 1, weight: 25 },
  { country: 'FR', currency: 'EUR', perEuro: 1, weight: 12 },
  { country: 'NL', currency: 'EUR', perEuro: 1, weight: 10 },
  { country: 'IE', currency: 'EUR', perEuro: 1, weight: 10 },
  { country: 'ES', currency: 'EUR', perEuro: 1, weight: 8 },
  { country: 'IT', currency: 'EUR', perEuro: 1, weight: 5 },
  { country: 'US', currency: 'USD', perEuro: 1.1, weight: 18 },
  { country: 'GB', currency: 'GBP', perEuro: 0.85, weight: 12 },
] as const;

export interface Customer {
  readonly index: number;
  readonly id: string;
  readonly city: number;
  /** Relative transaction frequency; the population averages about 1.1. */
  readonly activity: number;
  /** Typical payment in euros and the spread around it (log-normal). */
  readonly medianAmount: number;
  readonly amountSigma: number;
  readonly ecomShare: number;
  readonly atmShare: number;
  readonly cards: number;
}

export interface Terminal {
  readonly id: string;
  readonly mcc: string;
  readonly amountFactor: number;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
}

export interface OnlineMerchant {
  readonly id: string;
  readonly mcc: string;
  readonly amountFactor: number;
  readonly country: string;
  readonly currency: string;
  readonly perEuro: number;
}

export const MAX_ACTIVITY = 3;
const ATM_SHARE_OF_TERMINALS = 0.08;

// Salts name the attribute a hash is for, so attributes of one entity are independent.
const Salt = {
  City: 1,
  Activity: 2,
  Median: 3,
  Sigma: 4,
  Ecom: 5,
  Atm: 6,
  Cards: 7,
  Category: 8,
  Lat: 9,
  Lon: 10,
  Market: 11,
  Trip: 12,
  TripCity: 13,
} as const;

const DAY_MS = 86_400_000;
/** Trips change at 4 in the morning local time, when almost nobody pays. */
const TRIP_DAY_START_MS = 4 * 3_600_000;

export interface WorldSize {
  readonly customers: number;
  readonly terminals: number;
  readonly onlineMerchants: number;
}

export class FinanceWorld {
  private readonly cityCumulative = cumulativeWeights(CITIES.map((city) => city.weight));
  private readonly posCumulative = cumulativeWeights(POS_CATEGORIES.map((category) => category.weight));
  private readonly onlineCumulative = cumulativeWeights(ONLINE_CATEGORIES.map((category) => category.weight));
  private readonly marketCumulative = cumulativeWeights(ONLINE_MARKETS.map((market) => market.weight));
  /** Each city owns a contiguous range of terminal indexes: its ATMs first, then its shops. */
  private readonly terminalRanges: { start: number; atms: number; count: number }[] = [];

  constructor(
    private readonly seed: number,
    readonly size: WorldSize,
  ) {
    const totalWeight = this.cityCumulative[this.cityCumulative.length - 1]!;
    let start = 0;
    for (const city of CITIES) {
      const count = max(2, roundNumber((size.terminals * city.weight) / totalWeight));
      const atms = max(1, roundNumber(count * ATM_SHARE_OF_TERMINALS));
      this.terminalRanges.push({ start, atms, count });
      start += count;
    }
  }

  /** `unit` in [0, 1) picks a city in proportion to its population. */
  cityByUnit(unit: number): number {
    return pickCumulative(this.cityCumulative, unit);
  }

  customer(index: number): Customer {
    const { seed } = this;
    const cardsUnit = hashUnit(seed, index, Salt.Cards);
    return {
      index,
      id: `cus_${pad(index, 7)}`,
      city: this.cityByUnit(hashUnit(seed, index, Salt.City)),
      activity: clamp(exp(0.5 * hashNormal(seed, index, Salt.Activity)), 0.25, MAX_ACTIVITY),
      medianAmount: clamp(30 * exp(0.45 * hashNormal(seed, index, Salt.Median)), 6, 150),
      amountSigma: 0.65 + 0.3 * hashUnit(seed, index, Salt.Sigma),
      ecomShare: 0.08 + 0.35 * hashUnit(seed, index, Salt.Ecom),
      atmShare: 0.02 + 0.08 * hashUnit(seed, index, Salt.Atm),
      cards: cardsUnit < 0.7 ? 1 : cardsUnit < 0.95 ? 2 : 3,
    };
  }

  /**
   * Where the customer is at `timeMs`: a share `travelProbability` of customer-days are spent in
   * another city (a whole day, from 4 am local time), so card-present payments of one day are in
   * one place, as with real travel, and consecutive payments are never in two cities minutes apart.
   */
  whereabouts(customer: Customer, timeMs: number, travelProbability: number, utcOffsetHours: number): number {
    const day = floor((timeMs + utcOffsetHours * 3_600_000 - TRIP_DAY_START_MS) / DAY_MS);
    if (hashUnit(this.seed, customer.index * 65_536 + (day & 0xffff), Salt.Trip) >= travelProbability) return customer.city;
    const city = this.cityByUnit(hashUnit(this.seed, customer.index * 65_536 + (day & 0xffff), Salt.TripCity));
    return city;
  }

  /** Card `card` (1-based) of a customer. */
  cardId(customer: Customer, card: number): string {
    return `card_${pad(customer.index, 7)}_${card}`;
  }

  /** A shop terminal in `city`; `unit` in [0, 1) picks which. */
  shopTerminal(city: number, unit: number): Terminal {
    const range = this.terminalRanges[city]!;
    return this.terminal(city, range.start + range.atms + floor(unit * (range.count - range.atms)));
  }

  atm(city: number, unit: number): Terminal {
    const range = this.terminalRanges[city]!;
    return this.terminal(city, range.start + floor(unit * range.atms));
  }

  /** `unit` in [0, 1) picks an online merchant. */
  onlineMerchant(unit: number): OnlineMerchant {
    const index = floor(unit * this.size.onlineMerchants);
    const category = ONLINE_CATEGORIES[pickCumulative(this.onlineCumulative, hashUnit(this.seed, index, Salt.Category))]!;
    const market = ONLINE_MARKETS[pickCumulative(this.marketCumulative, hashUnit(this.seed, index, Salt.Market))]!;
    return {
      id: `web_${pad(index, 5)}`,
      mcc: category.mcc,
      amountFactor: category.amountFactor,
      country: market.country,
      currency: market.currency,
      perEuro: market.perEuro,
    };
  }

  private terminal(city: number, index: number): Terminal {
    const range = this.terminalRanges[city]!;
    const place = CITIES[city]!;
    const isAtm = index < range.start + range.atms;
    const category = isAtm ? undefined : POS_CATEGORIES[pickCumulative(this.posCumulative, hashUnit(this.seed, index, Salt.Category))]!;
    return {
      id: `term_${pad(index, 6)}`,
      mcc: category?.mcc ?? ATM_MCC,
      amountFactor: category?.amountFactor ?? 1,
      country: place.country,
      // Within roughly 10 km of the centre.
      lat: round(place.lat + (hashUnit(this.seed, index, Salt.Lat) - 0.5) * 0.16, 5),
      lon: round(place.lon + (hashUnit(this.seed, index, Salt.Lon) - 0.5) * 0.24, 5),
    };
  }
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return roundNumber(value * factor) / factor;
}

function clamp(value: number, low: number, high: number): number {
  return min(high, max(low, value));
}
