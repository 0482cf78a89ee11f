import type { CustomerCard, Program } from '../../common/api.ts';
import { localize, type Locale } from '../../common/localize.ts';
import { formatMoney } from '../../common/money.ts';
import type { MerchantProblem } from '../api.ts';

/** English: "1 stamp", "3 stamps". French: 0 and 1 are singular ("1 tampon"), 2 and more plural. */
const en = (n: string, abs: number, one: string, many: string) => `${n} ${abs === 1 ? one : many}`;
const fr = (n: string, abs: number, one: string, many: string) => `${n} ${abs < 2 ? one : many}`;

/** The strings of the Customers screen: English, then French (and, at the end, how it writes a card's state). */
const table = {
  title: ['Customers', 'Clients'],
  search: ['Search by name or email', 'Rechercher par nom ou e-mail'],
  searchHint: ['The list updates as you type.', 'La liste se met à jour pendant la saisie.'],
  searching: ['Searching…', 'Recherche…'],
  results: ['Customers', 'Clients'],
  none: [
    'No customers yet: they appear here as soon as they join.',
    'Aucun client pour l’instant : ils apparaissent ici dès leur inscription.',
  ],
  noMatch: [(q: string) => `No customer matches “${q}”.`, (q: string) => `Aucun client ne correspond à « ${q} ».`],
  loadMore: ['Load more', 'Afficher plus'],
  loadingMore: ['Loading more…', 'Chargement…'],
  export: ['Export all customers (CSV)', 'Exporter tous les clients (CSV)'],

  // `n` is the number as formatted (with its sign), `abs` picks the plural.
  stamps: [(n: string, abs: number) => en(n, abs, 'stamp', 'stamps'), (n: string, abs: number) => fr(n, abs, 'tampon', 'tampons')],
  points: [(n: string, abs: number) => en(n, abs, 'point', 'points'), (n: string, abs: number) => fr(n, abs, 'point', 'points')],
  rewards: [
    (n: number) => en(String(n), n, 'reward to use', 'rewards to use'),
    (n: number) => fr(String(n), n, 'récompense à utiliser', 'récompenses à utiliser'),
  ],
  tier: [(t: string) => `Tier: ${t}`, (t: string) => `Niveau : ${t}`],
  cashback: [(amount: string) => `Cashback: ${amount}`, (amount: string) => `Cagnotte : ${amount}`],

  back: ['Back to the list', 'Retour à la liste'],
  joined: [(date: string) => `Joined on ${date}`, (date: string) => `Membre depuis le ${date}`],
  card: ['Card', 'Carte'],
  history: ['History', 'Historique'],
  noHistory: ['Nothing has happened on this card yet.', 'Rien ne s’est encore passé sur cette carte.'],
  historyCap: [(n: number) => `The last ${n} entries are shown.`, (n: number) => `Les ${n} dernières opérations sont affichées.`],
  by: [(who: string) => `by ${who}`, (who: string) => `par ${who}`],
  automatic: ['Automatic', 'Automatique'],
  goneActor: ['a removed account', 'un compte supprimé'],
  kinds: [
    {
      stamp: 'Stamp',
      purchase: 'Purchase',
      reward_earned: 'Reward earned',
      redemption: 'Reward used',
      redemption_undone: 'Reward given back',
      signup_bonus: 'Welcome bonus',
      referral_bonus: 'Referral bonus',
      adjustment: 'Adjustment',
    } as Record<string, string>,
    {
      stamp: 'Tampon',
      purchase: 'Achat',
      reward_earned: 'Récompense gagnée',
      redemption: 'Récompense utilisée',
      redemption_undone: 'Récompense rendue',
      signup_bonus: 'Bonus de bienvenue',
      referral_bonus: 'Bonus de parrainage',
      adjustment: 'Correction',
    } as Record<string, string>,
  ],
  entry: [(kind: string, what: string) => `${kind}: ${what}`, (kind: string, what: string) => `${kind} : ${what}`],
  spent: [(amount: string) => `purchase of ${amount}`, (amount: string) => `achat de ${amount}`],
  reason: [(r: string) => `Reason: ${r}`, (r: string) => `Motif : ${r}`],

  adjustTitle: ['Adjust the card', 'Corriger la carte'],
  adjustIntro: [
    'For a forgotten stamp, a goodwill gesture or a mistake. The customer’s pass is updated.',
    'Pour un tampon oublié, un geste commercial ou une erreur. La carte du client est mise à jour.',
  ],
  direction: ['Add or take off?', 'Ajouter ou retirer ?'],
  add: ['Add', 'Ajouter'],
  takeOff: ['Take off', 'Retirer'],
  quantity: [
    { stamps: 'Number of stamps', points: 'Number of points', cashback: (c: string) => `Amount (${c})` },
    { stamps: 'Nombre de tampons', points: 'Nombre de points', cashback: (c: string) => `Montant (${c})` },
  ],
  reasonLabel: ['Reason (the history keeps it)', 'Motif (conservé dans l’historique)'],
  reasonHint: ['Up to 200 characters.', 'Jusqu’à 200 caractères.'],
  apply: ['Apply the adjustment', 'Appliquer la correction'],
  applying: ['Saving the adjustment…', 'Enregistrement de la correction…'],
  applied: ['Adjustment saved.', 'Correction enregistrée.'],
  rewardEarned: ['It completed the card: a reward was earned.', 'La correction complète la carte : une récompense est gagnée.'],
  badDelta: ['Enter a whole number above 0, like 2.', 'Saisissez un nombre entier supérieur à 0, comme 2.'],
  badAmount: [
    (example: string) => `Enter an amount other than 0, like ${example}.`,
    (example: string) => `Saisissez un montant autre que 0, comme ${example}.`,
  ],
  badReason: ['Say why, in 200 characters at most.', 'Indiquez le motif, en 200 caractères au plus.'],
  insufficient: ['The card does not hold that much: take off less.', 'La carte n’en contient pas autant : retirez moins.'],
  rejected: [(detail: string) => `Not saved: ${detail}`, (detail: string) => `Non enregistré : ${detail}`],

  erase: ['Erase this customer', 'Effacer ce client'],
  eraseQuestion: [(name: string) => `Erase ${name} for good?`, (name: string) => `Effacer définitivement ${name} ?`],
  eraseWarning: [
    'Their details, card and history are deleted, and their pass stops working. This cannot be undone.',
    'Ses coordonnées, sa carte et son historique sont supprimés, et la carte enregistrée sur son téléphone cesse de fonctionner. C’est irréversible.',
  ],
  eraseConfirm: [(name: string) => `Erase ${name}`, (name: string) => `Effacer ${name}`],
  cancel: ['Cancel', 'Annuler'],
  erasing: ['Erasing…', 'Effacement…'],
  erased: [(name: string) => `${name} was erased.`, (name: string) => `Les données de ${name} ont été effacées.`],

  // What reached the customer's phones (`GET /cards/:serial/deliveries`)
  updates: ['Pass updates', 'Mises à jour de la carte'],
  updatesIntro: [
    'Each change of the card is sent to the phones that hold it. Newest first.',
    'Chaque modification de la carte est envoyée aux téléphones qui l’ont enregistrée. Les plus récentes d’abord.',
  ],
  updatesTable: ['Updates sent to the phones', 'Mises à jour envoyées aux téléphones'],
  noUpdates: [
    'No pass is on a phone yet: updates are sent once the customer adds their card to Apple Wallet or Google Wallet.',
    'Aucune carte n’est encore sur un téléphone : les mises à jour partent dès que le client l’ajoute à Apple Wallet ou Google Wallet.',
  ],
  phone: ['Phone', 'Téléphone'],
  queued: ['Queued', 'Créée le'],
  sent: ['Sent', 'Envoyée le'],
  answer: ['Answer', 'Réponse'],
  channels: [
    { apns: 'iPhone (Apple Wallet)', google: 'Google Wallet' },
    { apns: 'iPhone (Apple Wallet)', google: 'Google Wallet' },
  ],
  notSent: ['Not sent yet', 'Pas encore envoyée'],
  deliveryStatus: [
    {
      queued: 'Waiting to be sent',
      sent: 'Delivered',
      retrying: 'Will be tried again',
      gone: 'The phone no longer has the pass',
      rejected: 'Refused',
      failed: 'Failed',
    },
    {
      queued: 'En attente d’envoi',
      sent: 'Livrée',
      retrying: 'Nouvel essai prévu',
      gone: 'Le téléphone n’a plus la carte',
      rejected: 'Refusée',
      failed: 'Échec',
    },
  ],
  fetched: [(at: string) => `Fetched by the phone at ${at}`, (at: string) => `Récupérée par le téléphone le ${at}`],
  notFetched: ['Not fetched yet', 'Pas encore récupérée'],

  // The consent log (`GET /customers/:id/consent`)
  consent: ['Consent', 'Consentement'],
  noConsent: ['Nothing recorded yet.', 'Rien d’enregistré pour l’instant.'],
  consentKinds: [
    { terms: 'Terms of the program', marketing: 'Marketing e-mails' },
    { terms: 'Conditions du programme', marketing: 'E-mails promotionnels' },
  ],
  consentActions: [
    { given: 'given', withdrawn: 'withdrawn' },
    { given: 'consentement donné', withdrawn: 'consentement retiré' },
  ],
  consentBy: [
    { customer: 'by the customer', user: 'by the business', import: 'by an import', other: (who: string) => `by ${who}` },
    { customer: 'par le client', user: 'par l’établissement', import: 'par un import', other: (who: string) => `par ${who}` },
  ],
  consentSources: [
    {
      signup: 'on the join page',
      unsubscribe: 'with the unsubscribe link',
      import: 'in a customer import',
      dashboard: 'in the dashboard',
      api: 'through the API',
    } as Record<string, string>,
    {
      signup: 'sur la page d’inscription',
      unsubscribe: 'avec le lien de désinscription',
      import: 'lors d’un import de clients',
      dashboard: 'dans le tableau de bord',
      api: 'par l’API',
    } as Record<string, string>,
  ],
  consentLine: [
    (kind: string, action: string, by: string, source: string, at: string) =>
      `${kind}: ${action} ${by}${source ? ` ${source}` : ''}, ${at}`,
    (kind: string, action: string, by: string, source: string, at: string) =>
      `${kind} : ${action} ${by}${source ? ` ${source}` : ''}, le ${at}`,
  ],

  // A person's data (`GET /customers/:id/export`)
  exportData: ['Download their data (JSON)', 'Télécharger ses données (JSON)'],
  exporting: ['Preparing the file…', 'Préparation du fichier…'],
  exported: ['Their data was downloaded.', 'Ses données ont été téléchargées.'],

  forbidden: ['Only the owner of the business can do this.', 'Seul le responsable de l’établissement peut faire cela.'],
  gone: ['This customer no longer exists (erased meanwhile?).', 'Ce client n’existe plus (effacé entre-temps ?).'],
};

/** The strings of one language. */
export const customersText = localize(table);
export type CustomersText = ReturnType<typeof customersText>;

/** A count in the user's language, with its sign when `sign` ("+3", "-1"); the strings add the word. */
export const count = (locale: Locale, n: number, sign = false): string =>
  new Intl.NumberFormat(locale, { signDisplay: sign ? 'exceptZero' : 'auto' }).format(n);

/** A card's state in one line, as the list and a customer's page show it: "7 / 10", points and tier, or the cashback balance. */
export function balance(card: CustomerCard, program: Program | undefined, locale: Locale): string {
  const t = customersText(locale);
  switch (program?.type ?? 'stamps') {
    case 'stamps': {
      const parts = [`${card.stamps} / ${program?.stampsRequired ?? 10}`];
      if (card.rewardsAvailable > 0) parts.push(t.rewards(card.rewardsAvailable));
      return parts.join(' · ');
    }
    case 'cashback':
      return t.cashback(formatMoney(card.cashbackBalance, program?.currency ?? 'EUR', locale));
    default: {
      const points = t.points(count(locale, card.points), Math.abs(card.points));
      return card.tier ? `${points} · ${t.tier(card.tier)}` : points;
    }
  }
}

/** What a refused request of the screen means, in its words; undefined where the dashboard's usual words do (`failed`: its "went wrong"). */
export function refusal(t: CustomersText, p: MerchantProblem | undefined, failed: string): string | undefined {
  const s = p?.status;
  if (s === 403) return t.forbidden;
  if (s === 404) return t.gone;
  if (p?.code === 'insufficient_balance') return t.insufficient;
  if (s === 400 || s === 409) return t.rejected(p?.detail || failed);
  return undefined;
}
