import { BuildCache } from '../../passes/cache.ts';
import { join } from 'node:path';
import { type AppleCertificates, devCertificates, loadAppleCertificates } from '../../passes/apple/certificates.ts';
import { buildPass, type PassContent, type PassIdentity } from '../../passes/apple/pass.ts';
import { PassImages } from '../../passes/images.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { getPassAuth, getPassCard, type PassAuthRow, type PassCardRow } from '../db/queries/apple.ts';
import { getMerchantLogo } from '../db/queries/logos.ts';
import { minorDigits } from '../domain/program.ts';
import { tierFor } from '../domain/rules.ts';
import { ApiError, notFound } from '../errors.ts';
import { referralUrl } from './referrals.ts';
import { safeEqual, SERIAL_PATTERN } from './tokens.ts';

/** Signed passes kept in memory: about 40 KB each, so some 1,600 cards' latest versions. */
const PASS_CACHE_BYTES = 64 * 1024 * 1024;

/** A card's pass, as the routes serve it. */
export interface SignedPass {
  bytes: Buffer;
  version: number;
  updatedAt: Date;
}

/**
 * Apple Wallet for this deployment: who signs, the pass settings, and the cache of signed
 * passes by card version (a phone asking again for an unchanged pass costs no signing).
 */
export class AppleWallet {
  readonly identity: PassIdentity;
  readonly #passes = new BuildCache<Buffer>({ maxSize: PASS_CACHE_BYTES, sizeOf: (b) => b.length });

  constructor(
    readonly config: Config,
    readonly certificates: AppleCertificates,
    readonly images: PassImages,
    /** Where device logs (`POST /apple/v1/log`) go. */
    readonly log: (line: string) => void = console.warn,
  ) {
    this.identity = { passTypeId: certificates.passTypeId, teamId: certificates.teamId, webServiceUrl: `${config.publicUrl}/apple` };
  }

  /** The signed pass of a card (any merchant's: the serial is the secret); 404 when unknown. */
  async pass(db: Db, serial: string): Promise<SignedPass> {
    const card = SERIAL_PATTERN.test(serial) ? await getPassCard(db, serial) : undefined;
    if (!card) throw notFound('No card with this serial.');
    const bytes = await this.#passes.get(`${card.serial}:${card.version}`, async () => {
      // The logo's bytes only when a pass is built (most requests are answered from the cache).
      const logo = card.logo_sha256 ? await getMerchantLogo(db, card.merchant_id) : undefined;
      return buildPass(passContent(this.config, card, logo), this.identity, this.certificates, this.images);
    });
    return { bytes, version: card.version, updatedAt: card.updated_at };
  }

  stats() {
    return this.#passes.stats();
  }
}

/**
 * Apple Wallet as configured: the Pass Type ID certificate from the environment; without it,
 * in development, a generated development CA and signer kept in `DATA_DIR/apple` (passes
 * verify against that CA, but an iPhone installs only passes signed through Apple's); in
 * production without it, none (null).
 */
export async function openAppleWallet(config: Config, log?: (line: string) => void): Promise<AppleWallet | null> {
  const { passTypeId, teamId, certificates } = config.apple;
  let certs: AppleCertificates;
  if (certificates) certs = loadAppleCertificates({ ...certificates, passTypeId, teamId });
  else if (config.env === 'production') return null;
  else certs = await devCertificates(join(config.dataDir, 'apple'), passTypeId, teamId);
  return new AppleWallet(config, certs, new PassImages(), log);
}

/**
 * The card behind a PassKit web-service call, if `authorization` is its `ApplePass <token>`.
 * Anything else — no header, another scheme, another pass's token, an unknown serial — is
 * the same 401, compared in constant time, so the answer tells nothing.
 */
export async function authorizePass(db: Db, serial: string, authorization: string | undefined): Promise<PassAuthRow> {
  const match = /^ApplePass (\S{16,200})$/.exec(authorization ?? '');
  const card = SERIAL_PATTERN.test(serial) ? await getPassAuth(db, serial) : undefined;
  // Compare even when there is no card, so an unknown serial costs the same time.
  const ok = safeEqual(match?.[1] ?? '', card?.auth_token ?? 'no card: never equal to a token');
  if (!card || !match || !ok) throw new ApiError('unauthorized', 'Unauthorized.');
  return card;
}

/**
 * `Last-Modified` for a pass changed at `updatedAt`. HTTP dates have whole seconds, so a
 * second in which the card may still change (or whose change may still be committing) is
 * not given out: until it is two seconds old, the answer names the second before, and the
 * next `If-Modified-Since` gets the pass again instead of a 304 that would hide a change.
 */
export function passLastModified(updatedAt: Date, now = Date.now()): Date {
  const second = Math.floor(updatedAt.getTime() / 1000) * 1000;
  return new Date(now - second >= 2000 ? second : second - 1000);
}

/** Whether `If-Modified-Since` shows the client has the pass as it is now. */
export function passUnchangedSince(updatedAt: Date, ifModifiedSince: string | undefined): boolean {
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && since >= Math.floor(updatedAt.getTime() / 1000) * 1000;
}

/** What the card's pass shows, from its row. */
export function passContent(config: Config, card: PassCardRow, logo?: { png: Buffer; sha256: string }): PassContent {
  const p = card.program;
  const language = card.customer_locale?.toLowerCase().startsWith('fr') ? 'fr' : card.customer_locale ? 'en' : p.locale;
  const referrals = p.referral.referrerReward > 0 || p.referral.refereeReward > 0;
  return {
    serial: card.serial,
    authToken: card.auth_token,
    organizationName: card.merchant_name,
    description: p.name,
    design: p.design,
    logo: logo ?? null,
    balance: balanceOf(card),
    memberName: card.customer_name,
    message: card.message,
    referralUrl: referrals ? referralUrl(config, p, card.referral_code) : null,
    terms: p.terms ?? defaultTerms(p, language),
    address: p.address,
    websiteUrl: p.websiteUrl,
    locations: p.locations,
  };
}

function balanceOf(card: PassCardRow): PassContent['balance'] {
  const p = card.program;
  switch (p.type) {
    case 'stamps':
      return {
        kind: 'stamps',
        stamps: card.stamps,
        required: p.stampsRequired,
        rewardsAvailable: card.rewards_available,
        rewardName: p.reward.name,
      };
    case 'points':
    case 'tiers': {
      const next = [...p.rewards].sort((a, b) => a.points - b.points).find((r) => r.points > card.points);
      const tier = p.type === 'tiers' ? (card.tier ?? tierFor(p.tiers, 0)?.name ?? null) : null;
      return { kind: 'points', points: card.points, tier, nextReward: next ? { name: next.name, points: next.points } : null };
    }
    case 'cashback':
      return { kind: 'cashback', amount: card.cashback_minor / 10 ** (minorDigits(p.currency) ?? 2), currency: p.currency };
  }
}

/** The rules in one sentence or two, when the merchant wrote no terms of their own. */
function defaultTerms(p: PassCardRow['program'], language: 'en' | 'fr'): string {
  const fr = language === 'fr';
  switch (p.type) {
    case 'stamps':
      return fr
        ? `Collectionnez ${p.stampsRequired} tampons pour obtenir : ${p.reward.name}. Les tampons en plus comptent pour la carte suivante.`
        : `Collect ${p.stampsRequired} stamps to get: ${p.reward.name}. Extra stamps count toward the next card.`;
    case 'points':
    case 'tiers': {
      const catalog = p.rewards.map((r) => `${r.name} (${r.points})`).join(', ');
      const earn = fr ? `${p.pointsPerUnit} point(s) par ${p.currency} dépensé.` : `${p.pointsPerUnit} point(s) per ${p.currency} spent.`;
      return catalog ? `${earn} ${fr ? 'Récompenses :' : 'Rewards:'} ${catalog}.` : earn;
    }
    case 'cashback':
      return fr
        ? `${p.cashbackPercent} % de chaque achat va sur votre solde, à utiliser en boutique.`
        : `${p.cashbackPercent}% of every purchase goes to your balance, to spend in the shop.`;
  }
}
