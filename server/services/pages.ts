// What the hosted pages show: a program's join page (`/j/:slug`, the poster's QR code leads
// there) and a member's own card page (`/c/:serial`). The pages themselves are server/pages/.
import QRCode from 'qrcode';
import { givingSentence } from '../../common/campaign-text.ts';
import { type Locale, memberLanguage } from '../../common/localize.ts';
import { balancesOf, cardVisits, getCardBySerial } from '../db/queries/cards.ts';
import { hasOpenAsk } from '../db/queries/asks.ts';
import { givingSums } from '../db/queries/giving.ts';
import { getMerchant } from '../db/queries/merchants.ts';
import { getReferrerName } from '../db/queries/referrals.ts';
import { type CardLinks, cardLinks, joinUrl, referralUrl } from '../domain/links.ts';
import { askOpenSince } from '../domain/asks.ts';
import { REFERRAL_CODE_PATTERN } from '../domain/referrals.ts';
import { givenMinor } from '../domain/giving.ts';
import type { AskKind, Program } from '../domain/program.ts';
import { notFound } from '../errors.ts';
import { availableWallets, type CardView, cardView } from './cards.ts';
import { type Deps, nowOf } from './deps.ts';
import { type LaunchBonusView, launchBonusView, programBySlug } from './programs.ts';
import { SERIAL_PATTERN } from './tokens.ts';

/** A program's join page. */
export interface JoinPage {
  program: Program;
  merchantName: string;
  /** The merchant's logo when this server serves it (a page fetches nothing from anyone else). */
  logoUrl: string | null;
  /** The page's own address (without `?ref=`). */
  url: string;
  /** The member whose invitation link was followed (`?ref=`), by first name. */
  inviter: { firstName: string; code: string } | null;
  /** This server sends e-mail: a member can get the card back by mail. */
  mail: boolean;
  /** The launch-week bonus while it runs (by the services' clock); null otherwise. */
  launchBonus: LaunchBonusView | null;
}

/** A member's own card page. */
export interface CardPage {
  card: CardView;
  program: Program;
  merchantName: string;
  /** The merchant's logo when this server serves it. */
  logoUrl: string | null;
  /** The member's language. */
  language: Locale;
  links: CardLinks;
  /** The wallets this server issues passes for. */
  wallets: { apple: boolean; google: boolean };
  /** The QR code of the serial, as SVG (made by `qrcode`). */
  qrSvg: string;
  visits: { kind: 'stamp' | 'purchase' | 'redemption'; stamps: number; points: number; amountMinor: number | null; at: Date }[];
  referralUrl: string | null;
  /** An after-visit ask open now: what to ask first. */
  ask: AskKind | null;
  /** Giving back, in words ("Ensemble nous avons donné 312 € à …"), when the program gives. */
  giving: string | null;
}

/** The visits a card page lists. */
const VISITS = 20;

/** The program's logo if it is the one uploaded here (an address elsewhere would be a request to someone else). */
const ownLogo = (config: Deps['config'], p: Program) =>
  p.design.logoUrl?.startsWith(`${config.publicUrl}/logos/`) ? p.design.logoUrl : null;

/**
 * A program's join page, with the member who invites (`?ref=`: their first name only) when
 * the code is one of the program's; not found for an unknown program.
 */
export async function joinPage(deps: Pick<Deps, 'db' | 'config' | 'clock'>, slug: string, ref: string | undefined): Promise<JoinPage> {
  const row = await programBySlug(deps, slug);
  const code = ref && REFERRAL_CODE_PATTERN.test(ref) ? ref : undefined;
  const name = code ? await getReferrerName(deps.db, row.merchant_id, code) : undefined;
  return {
    program: row.program,
    merchantName: row.merchant_name,
    logoUrl: ownLogo(deps.config, row.program),
    url: joinUrl(deps.config, slug),
    inviter: name ? { firstName: name.trim().split(/\s+/)[0]!, code: code! } : null,
    mail: deps.config.mail !== null,
    launchBonus: launchBonusView(row.program, nowOf(deps)),
  };
}

/** A member's card page: the card, its QR code, the wallets, the visits, the invitation; not found for an unknown serial. */
export async function cardPage(deps: Pick<Deps, 'db' | 'config' | 'apple' | 'google' | 'clock'>, serial: string): Promise<CardPage> {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(deps.db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  const p = card.program;
  const [visits, merchant, qrSvg] = await Promise.all([
    cardVisits(deps.db, card.id, VISITS),
    getMerchant(deps.db, card.merchant_id),
    QRCode.toString(serial, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
  ]);
  const referrals = p.referral.referrerReward > 0 || p.referral.refereeReward > 0;
  const language = memberLanguage(card.customer_locale, p.locale);
  const { asks, giving } = p.campaigns;
  const asked = asks.enabled && (await hasOpenAsk(deps.db, card.id, askOpenSince(nowOf(deps))));
  const given = giving.enabled ? givenMinor(giving, await givingSums(deps.db, card.merchant_id)) : 0;
  return {
    card: cardView(card, balancesOf(card), p),
    program: p,
    merchantName: merchant?.name ?? '',
    logoUrl: ownLogo(deps.config, p),
    language,
    links: cardLinks(deps.config, serial),
    wallets: availableWallets(deps),
    qrSvg,
    visits: visits.map((v) => ({ kind: v.kind, stamps: v.stamps, points: v.points, amountMinor: v.amount_minor, at: v.created_at })),
    referralUrl: referrals ? referralUrl(deps.config, p, card.referral_code) : null,
    ask: asked ? asks.kind : null,
    giving: giving.enabled ? givingSentence(language, { amountMinor: given, currency: p.currency, cause: giving.cause }) : null,
  };
}
