// A card's row as its passes show it: the neutral `PassContent` both wallets are built from.
import { givingSentence } from '../../common/campaign-text.ts';
import { memberLanguage } from '../../common/localize.ts';
import { type PassBalance, type PassContent, type PassLanguage, passLocations } from '../../passes/content.ts';
import type { Config } from '../config.ts';
import type { PassCardRow } from '../db/queries/apple.ts';
import { givenMinor } from '../domain/giving.ts';
import { cardPageUrl, referralUrl } from '../domain/links.ts';
import type { Program } from '../domain/program.ts';
import { tierFor } from '../domain/rules.ts';

/** What the card's pass shows, from its row (and the merchant's uploaded logo, when a pass is built). */
export function passContent(config: Config, card: PassCardRow, logo?: { png: Buffer; sha256: string }): PassContent {
  const p = card.program;
  const language = memberLanguage(card.customer_locale, p.locale);
  // The owner's texts in the member's language, where they gave them.
  const own = language === p.locale ? undefined : p.translations?.[language];
  const rewardName = own?.rewardName ?? p.reward.name;
  const referrals = p.referral.referrerReward > 0 || p.referral.refereeReward > 0;
  return {
    serial: card.serial,
    authToken: card.auth_token,
    organizationName: card.merchant_name,
    description: p.name,
    design: p.design,
    logo: logo ?? null,
    balance: balanceOf(card, rewardName),
    memberName: card.customer_name,
    language,
    message: card.message,
    referralUrl: referrals ? referralUrl(config, p, card.referral_code) : null,
    askUrl: card.ask_open ? `${cardPageUrl(config, card.serial)}#ask` : null,
    giving:
      p.campaigns.giving.enabled && card.giving_sums
        ? givingSentence(language, {
            amountMinor: givenMinor(p.campaigns.giving, {
              stamps: Number(card.giving_sums.stamps),
              spendMinor: Number(card.giving_sums.spendMinor),
            }),
            currency: p.currency,
            cause: p.campaigns.giving.cause,
          })
        : null,
    terms: own?.terms ?? p.terms ?? defaultTerms(p, language, rewardName),
    address: p.address,
    websiteUrl: p.websiteUrl,
    locations: passLocations(p.locations),
  };
}

function balanceOf(card: PassCardRow, rewardName: string): PassBalance {
  const p = card.program;
  switch (p.type) {
    case 'stamps':
      return {
        kind: 'stamps',
        stamps: card.stamps,
        required: p.stampsRequired,
        rewardsAvailable: card.rewards_available,
        rewardName,
      };
    case 'points':
    case 'tiers': {
      const next = [...p.rewards].sort((a, b) => a.points - b.points).find((r) => r.points > card.points);
      const tier = p.type === 'tiers' ? (card.tier ?? tierFor(p.tiers, 0)?.name ?? null) : null;
      return { kind: 'points', points: card.points, tier, nextReward: next ? { name: next.name, points: next.points } : null };
    }
    case 'cashback':
      return { kind: 'cashback', minor: card.cashback_minor, currency: p.currency };
  }
}

/** The rules in one sentence or two, when the merchant wrote no terms of their own. */
function defaultTerms(p: Program, language: PassLanguage, rewardName: string): string {
  const fr = language === 'fr';
  switch (p.type) {
    case 'stamps':
      return fr
        ? `Cumulez ${p.stampsRequired} tampons et obtenez : ${rewardName}. Les tampons en plus comptent pour la carte suivante.`
        : `Collect ${p.stampsRequired} stamps to get: ${rewardName}. Extra stamps count toward the next card.`;
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
