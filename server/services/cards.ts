// A card as the API shows it: the public view (the widget, the card's own links and QR code)
// and the merchant's lookup at the counter.
import QRCode from 'qrcode';
import { balancesOf, type CardRow, getCardBySerial } from '../db/queries/cards.ts';
import { cardLinks } from '../domain/links.ts';
import type { Program } from '../domain/program.ts';
import { type Balances, tierFor } from '../domain/rules.ts';
import { notFound } from '../errors.ts';
import { hasOpenAsk } from '../db/queries/asks.ts';
import { askOpenSince } from '../domain/asks.ts';
import { type Deps, nowOf } from './deps.ts';
import { SERIAL_PATTERN } from './tokens.ts';

/** The `card` object of the API. Fields that do not apply to the program type are null. */
export interface CardView {
  serial: string;
  programType: Program['type'];
  stamps: number | null;
  stampsRequired: number | null;
  rewardsAvailable: number | null;
  points: number | null;
  tier: string | null;
  cashbackBalance: number | null;
  customerName: string;
  updatedAt: string;
}

export function cardView(card: Pick<CardRow, 'serial' | 'customer_name' | 'updated_at'>, b: Balances, program: Program): CardView {
  const t = program.type;
  return {
    serial: card.serial,
    programType: t,
    stamps: t === 'stamps' ? b.stamps : null,
    stampsRequired: t === 'stamps' ? program.stampsRequired : null,
    rewardsAvailable: t === 'stamps' ? b.rewardsAvailable : null,
    points: t === 'points' || t === 'tiers' ? b.points : null,
    // A member without purchases yet holds the tier that starts at 0, if there is one.
    tier: t === 'tiers' ? (b.tier ?? tierFor(program.tiers, 0)?.name ?? null) : null,
    cashbackBalance: t === 'cashback' ? b.cashbackMinor : null,
    customerName: card.customer_name,
    updatedAt: new Date(card.updated_at).toISOString(),
  };
}

/** A card by serial, any merchant's (the serial is the secret); not found for anything else. */
async function cardOf(deps: Deps, serial: string) {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(deps.db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  return card;
}

/** The wallets this server can issue a pass for: a badge shows only for those. */
export const availableWallets = (deps: Pick<Deps, 'apple' | 'google'>) => ({ apple: deps.apple !== null, google: deps.google !== null });

/**
 * The public answer for a card (`{ card, links, wallets, ask }`: `ask` while an after-visit ask is
 * open), with the program whose allowed origins may read it.
 */
export async function getPublicCard(deps: Deps, serial: string) {
  const card = await cardOf(deps, serial);
  const { asks } = card.program.campaigns;
  const asked = asks.enabled && (await hasOpenAsk(deps.db, card.id, askOpenSince(nowOf(deps))));
  return {
    card: cardView(card, balancesOf(card), card.program),
    links: cardLinks(deps.config, serial),
    wallets: availableWallets(deps),
    ask: asked ? { kind: asks.kind } : null,
    program: card.program,
  };
}

/** The sites allowed to read a card (a CORS preflight): its program's; undefined for no card. */
export async function cardOrigins({ db }: Pick<Deps, 'db'>, serial: string): Promise<readonly string[] | undefined> {
  return SERIAL_PATTERN.test(serial) ? (await getCardBySerial(db, serial))?.program.allowedOrigins : undefined;
}

/** The QR code of a card's serial, as SVG: what a till scans to find the card. */
export async function getCardQrSvg(deps: Deps, serial: string): Promise<{ svg: string; program: Program }> {
  const { program } = await cardOf(deps, serial);
  const svg = await QRCode.toString(serial, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { svg, program };
}

/** A merchant's own card by serial (the counter's lookup); another merchant's serial is not found, like an unknown one. */
export async function getMerchantCard(deps: Deps, merchantId: string, serial: string): Promise<{ card: CardView }> {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(deps.db, serial) : undefined;
  if (!card || card.merchant_id !== merchantId) throw notFound('No card with this serial.');
  return { card: cardView(card, balancesOf(card), card.program) };
}
