import type { KpiKey } from '../../common/api.ts';
import { localize, type Locale } from '../../common/localize.ts';
import { formatMoney } from '../../common/money.ts';

/** How a KPI's value is written: a count, a percentage (0–100), a ratio, money in minor units, a score. */
type Kind = 'count' | 'percent' | 'ratio' | 'money' | 'nps' | 'ces';

/** The KPIs in the order the screen shows them, with how each is written. */
export const KPI_KINDS = {
  members: 'count',
  newMembers: 'count',
  activeMembers: 'count',
  retentionRate: 'percent',
  purchaseFrequency: 'ratio',
  averageOrderValue: 'money',
  clv: 'money',
  redemptionRate: 'percent',
  referralConversion: 'percent',
  rewardCostPercent: 'percent',
  nps: 'nps',
  csat: 'percent',
  ces: 'ces',
} as const satisfies Record<KpiKey, Kind>;

/**
 * The KPIs' labels, why one shows "—" (counts always have a value; `whyStamps`: the money KPIs of
 * a stamps program, whose stamps carry no amount), the formulas in French (the server's
 * `formulas` are the reference, in English) and one line on each survey score.
 */
export const kpiStrings = localize({
  label: [
    {
      members: 'Members',
      newMembers: 'New members',
      activeMembers: 'Active members',
      retentionRate: 'Retention rate',
      purchaseFrequency: 'Visits per active member',
      averageOrderValue: 'Average order value',
      clv: 'Customer lifetime value',
      redemptionRate: 'Reward redemption rate',
      referralConversion: 'Referral conversion',
      rewardCostPercent: 'Reward cost',
      nps: 'Net Promoter Score (NPS)',
      csat: 'Satisfaction (CSAT)',
      ces: 'Customer effort (CES)',
    },
    {
      members: 'Membres',
      newMembers: 'Nouveaux membres',
      activeMembers: 'Membres actifs',
      retentionRate: 'Taux de rétention',
      purchaseFrequency: 'Visites par membre actif',
      averageOrderValue: 'Panier moyen',
      clv: 'Valeur vie client',
      redemptionRate: 'Taux d’utilisation des récompenses',
      referralConversion: 'Conversion des parrainages',
      rewardCostPercent: 'Coût des récompenses',
      nps: 'Net Promoter Score (NPS)',
      csat: 'Satisfaction (CSAT)',
      ces: 'Effort client (CES)',
    },
  ],
  why: [
    {
      retentionRate: 'No one to compare with: nobody visited in the previous period of the same length (never for "all time").',
      purchaseFrequency: 'No visits in this period.',
      averageOrderValue: 'No purchase with an amount in this period.',
      clv: 'Needs visits and purchase amounts in this period.',
      redemptionRate: 'No reward earned in this period (points programs earn none).',
      referralConversion: 'No referral made in this period.',
      rewardCostPercent: 'No spend recorded in this period.',
      nps: 'No NPS answer in this period.',
      csat: 'No satisfaction answer in this period.',
      ces: 'No effort answer in this period.',
    } as Partial<Record<KpiKey, string>>,
    {
      retentionRate:
        'Rien à comparer : personne n’est venu sur la période précédente de même durée (c’est toujours le cas pour « Depuis le début »).',
      purchaseFrequency: 'Aucune visite sur cette période.',
      averageOrderValue: 'Aucun achat avec montant sur cette période.',
      clv: 'Il faut des visites et des montants d’achat sur cette période.',
      redemptionRate: 'Aucune récompense gagnée sur cette période (les programmes à points n’en font pas gagner).',
      referralConversion: 'Aucun parrainage sur cette période.',
      rewardCostPercent: 'Aucune dépense enregistrée sur cette période.',
      nps: 'Aucune réponse NPS sur cette période.',
      csat: 'Aucune réponse de satisfaction sur cette période.',
      ces: 'Aucune réponse CES sur cette période.',
    } as Partial<Record<KpiKey, string>>,
  ],
  whyStamps: [
    {
      averageOrderValue: 'No purchase amount entered: a stamp records none.',
      clv: 'Needs the average order value, which stamps do not give.',
      rewardCostPercent: 'Needs the amounts spent, which stamps do not give.',
    } as Partial<Record<KpiKey, string>>,
    {
      averageOrderValue: 'Aucun montant d’achat saisi : un tampon n’en enregistre pas.',
      clv: 'Se calcule avec le panier moyen, que les tampons ne donnent pas.',
      rewardCostPercent: 'Se calcule sur les montants dépensés, que les tampons ne donnent pas.',
    } as Partial<Record<KpiKey, string>>,
  ],
  formula: [
    {} as Partial<Record<KpiKey, string>>,
    {
      members: 'Membres = cartes de fidélité existant à la fin de la période.',
      newMembers: 'Nouveaux membres (N) = cartes créées pendant la période.',
      activeMembers: 'Membres actifs (E) = membres ayant au moins une visite (un tampon ou un achat) pendant la période.',
      retentionRate:
        'Rétention = (E − N) / S × 100, où E = membres actifs sur la période, N = les nouveaux parmi eux, S = membres actifs sur la période précédente de même durée ; entre 0 et 100, vide quand S = 0 (donc pour « Depuis le début »).',
      purchaseFrequency: 'Fréquence = visites (tampons et achats) de la période / membres actifs.',
      averageOrderValue: 'Panier moyen = total des achats enregistrés avec un montant / leur nombre.',
      clv: 'Valeur vie client = panier moyen × visites par membre actif et par an (la fréquence de la période ramenée à 365 jours) × durée de vie moyenne d’un membre en années (dernière visite − création de la carte, en moyenne sur les membres actifs, 1 mois au minimum).',
      redemptionRate:
        'Taux d’utilisation = récompenses utilisées / récompenses gagnées sur la période × 100 (cartes à tampons ; vide si aucune récompense n’a été gagnée).',
      nps: 'NPS = % de promoteurs (notes 9–10) − % de détracteurs (notes 0–6) parmi les réponses NPS de la période.',
      csat: 'CSAT = réponses satisfaites (4 ou 5) / toutes les réponses CSAT de la période × 100.',
      ces: 'CES = moyenne des notes d’effort client (1–5) données sur la période.',
      referralConversion:
        'Conversion des parrainages = parrainages faits sur la période et récompensés (première visite de l’ami) / parrainages faits sur la période × 100.',
      rewardCostPercent:
        'Coût des récompenses = coût des récompenses utilisées sur la période / dépenses enregistrées sur la période × 100.',
    } as Partial<Record<KpiKey, string>>,
  ],
  // One line on what the survey scores mean, for the reviews screen.
  meaning: [
    {
      nps: 'Would they recommend you? From −100 to +100: the share of fans (9–10 out of 10) minus the share of critics (0–6).',
      csat: 'How satisfied they were: the share of answers at 4 or 5 out of 5.',
      ces: 'How easy it was for them, from 1 to 5: the mean of the answers (higher is easier).',
    } as Partial<Record<KpiKey, string>>,
    {
      nps: 'Vous recommanderaient-ils ? De −100 à +100 : la part de promoteurs (9–10 sur 10) moins la part de détracteurs (0–6).',
      csat: 'Leur satisfaction : la part de réponses à 4 ou 5 sur 5.',
      ces: 'La facilité pour eux, de 1 à 5 : la moyenne des réponses (plus c’est haut, plus c’est simple).',
    } as Partial<Record<KpiKey, string>>,
  ],
});

/** Shown for a KPI without data. */
export const NO_VALUE = '—';

/** A KPI's value as shown: "1,234", "42.5%", "2.3", "€12.50", "+40", "3.4 / 5"; "—" for null. */
export function formatKpi(locale: Locale, key: KpiKey, value: number | null, currency: string): string {
  if (value === null) return NO_VALUE;
  switch (KPI_KINDS[key]) {
    case 'count':
      return new Intl.NumberFormat(locale).format(value);
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
    case 'ratio':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
    case 'money':
      return formatMoney(value, currency, locale);
    case 'nps':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
    case 'ces':
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value)} / 5`;
  }
}
