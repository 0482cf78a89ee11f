import { localize } from '../common/localize.ts';

/**
 * Every string the dashboard shows, English then French, side by side. The language is the
 * toggle's choice, else the browser's (`navigator.language`).
 */
const table = {
  loading: ['Loading…', 'Chargement…'],
  retry: ['Try again', 'Réessayer'],
  offline: ['The server cannot be reached. Check the connection.', 'Le serveur est injoignable. Vérifiez la connexion.'],
  failed: ['Something went wrong. Please try again.', 'Une erreur s’est produite. Réessayez.'],
  switchTo: ['Français', 'English'],
  switchLabel: ['Passer en français', 'Switch to English'],
  logout: ['Log out', 'Se déconnecter'],
  menu: ['Menu', 'Menu'],
  nav: [
    {
      counter: 'Counter',
      customers: 'Customers',
      program: 'Program',
      design: 'Pass design',
      messages: 'Messages',
      reviews: 'Reviews',
      kpis: 'Figures',
      embed: 'Website',
      staff: 'Staff',
    },
    {
      counter: 'Caisse',
      customers: 'Clients',
      program: 'Programme',
      design: 'Apparence',
      messages: 'Messages',
      reviews: 'Avis',
      kpis: 'Chiffres',
      embed: 'Site web',
      staff: 'Équipe',
    },
  ],
  ownerOnly: ['Only the owner of the business can open this page.', 'Seul le responsable de l’établissement peut ouvrir cette page.'],
  leaveUnsaved: ['Leave this page without saving your changes?', 'Quitter cette page sans enregistrer vos modifications ?'],

  loginTitle: ['Log in', 'Connexion'],
  email: ['Email', 'E-mail'],
  password: ['Password', 'Mot de passe'],
  login: ['Log in', 'Se connecter'],
  loggingIn: ['Logging in…', 'Connexion…'],
  badLogin: ['Email or password is incorrect.', 'E-mail ou mot de passe incorrect.'],
  tooMany: [(s: number) => `Too many attempts: try again in ${s} s.`, (s: number) => `Trop de tentatives : réessayez dans ${s} s.`],
  signupTitle: ['Create your loyalty program', 'Créez votre programme de fidélité'],
  businessName: ['Business name', 'Nom de l’établissement'],
  newPassword: ['Password (10 characters or more)', 'Mot de passe (10 caractères ou plus)'],
  signup: ['Create my account', 'Créer mon compte'],
  signingUp: ['Creating…', 'Création…'],
  toSignup: ['New here? Create an account', 'Nouveau ? Créez un compte'],
  toLogin: ['Already have an account? Log in', 'Déjà un compte ? Connectez-vous'],
  emailTaken: ['An account already exists with this email: log in instead.', 'Un compte existe déjà avec cet e-mail : connectez-vous.'],
  badSignup: [
    'Check the fields: the password needs 10 characters or more.',
    'Vérifiez les champs : le mot de passe doit faire 10 caractères ou plus.',
  ],
  sessionEnded: ['Your session has ended: please log in again.', 'Votre session a expiré : reconnectez-vous.'],
  businessNameMissing: ['Enter the name of your business.', 'Saisissez le nom de votre établissement.'],
  emailMissing: ['Enter your email.', 'Saisissez votre e-mail.'],
  emailBad: ['Enter a valid email, like sam@example.com.', 'Saisissez un e-mail valide, comme camille@exemple.fr.'],
  passwordMissing: ['Enter your password.', 'Saisissez votre mot de passe.'],
  passwordShort: [
    (n: number) => `The password needs 10 characters or more: ${n === 0 ? 'none typed yet' : `${n} typed`}.`,
    (n: number) => `Le mot de passe doit faire 10 caractères ou plus : ${n === 0 ? 'aucun saisi' : `${n} saisi${n > 1 ? 's' : ''}`}.`,
  ],

  counterTitle: ['Counter', 'Caisse'],
  serial: ['Card number', 'Numéro de carte'],
  serialHint: ['26 characters, under the QR code of the card.', 'Les 26 caractères sous le QR code de la carte.'],
  find: ['Find the card', 'Trouver la carte'],
  notFound: ['No card with this number.', 'Aucune carte avec ce numéro.'],
  stamps: ['stamps', 'tampons'],
  points: ['points', 'points'],
  tier: ['Tier', 'Niveau'],
  cashback: ['Cashback balance', 'Cagnotte'],
  rewards: [(n: number) => `Rewards available: ${n}`, (n: number) => `Récompenses disponibles : ${n}`],
  addStamp: ['+1 stamp', '+1 tampon'],
  amount: ['Purchase amount', 'Montant de l’achat'],
  addPurchase: ['Add purchase', 'Enregistrer l’achat'],
  redeem: ['Redeem reward', 'Utiliser la récompense'],
  redeemThis: [(name: string) => `Redeem: ${name}`, (name: string) => `Utiliser : ${name}`],
  sending: ['Sending…', 'Envoi…'],
  stamped: ['Stamp added.', 'Tampon ajouté.'],
  purchased: ['Purchase recorded.', 'Achat enregistré.'],
  redeemed: ['Reward redeemed.', 'Récompense utilisée.'],
  rewardEarned: ['Reward earned!', 'Récompense gagnée !'],
  // What of a visit was the member's referral bonus (their first visit as a referred friend); `n` as shown.
  referralBonus: [
    (unit: 'stamps' | 'points' | 'cashback', n: number, shown: string) =>
      unit === 'cashback'
        ? `+${shown} to the kitty: a referred friend’s first visit.`
        : `+${shown} bonus ${unit === 'stamps' ? (n === 1 ? 'stamp' : 'stamps') : n === 1 ? 'point' : 'points'}: a referred friend’s first visit.`,
    (unit: 'stamps' | 'points' | 'cashback', n: number, shown: string) =>
      unit === 'cashback'
        ? `+${shown} dans la cagnotte : première visite d’un ami parrainé.`
        : `+${shown} ${unit === 'stamps' ? 'tampon' : 'point'}${n < 2 ? ' offert' : 's offerts'} : première visite d’un ami parrainé.`,
  ],
  undo: ['Undo', 'Annuler'],
  undoing: ['Undoing…', 'Annulation…'],
  undone: ['Undone: the reward is available again.', 'Utilisation annulée : la récompense est de nouveau disponible.'],
  undoTooLate: [
    'Too late to undo: a reward used can be given back within 10 minutes.',
    'Trop tard pour annuler : une récompense utilisée ne peut être rendue que dans les 10 minutes qui suivent.',
  ],
  insufficient: ['Not enough on this card for this reward.', 'Solde insuffisant sur cette carte pour cette récompense.'],
  scan: ['Scan a card', 'Scanner une carte'],
  scannerFailed: [
    'The scanner could not be loaded (no connection?): type the card number.',
    'Le scanner n’a pas pu être chargé (pas de connexion ?) : saisissez le numéro de la carte.',
  ],
  search: ['Find by name or email', 'Rechercher par nom ou e-mail'],
  searchHint: ['At least 2 characters.', 'Au moins 2 caractères.'],
  searching: ['Searching…', 'Recherche…'],
  found: ['Customers found', 'Clients trouvés'],
  noMatch: [(q: string) => `No customer matches “${q}”.`, (q: string) => `Aucun client ne correspond à « ${q} ».`],

  savedOffline: [
    { stamps: 'Stamp saved offline.', purchases: 'Purchase saved offline.', redemptions: 'Redemption saved offline.' },
    {
      stamps: 'Tampon enregistré hors ligne.',
      purchases: 'Achat enregistré hors ligne.',
      redemptions: 'Récompense utilisée, enregistrée hors ligne.',
    },
  ],
  sentLater: [
    (n: number) => `The server cannot be reached: it will be sent by itself once the connection is back (${n} pending).`,
    (n: number) => `Le serveur est injoignable : envoi automatique au retour de la connexion (${n} en attente).`,
  ],
  pendingOnCard: [
    (action: 'stamps' | 'purchases' | 'redemptions', n: number) =>
      action === 'stamps'
        ? `+${n} ${n === 1 ? 'stamp' : 'stamps'} waiting to be sent`
        : action === 'purchases'
          ? `${n} ${n === 1 ? 'purchase' : 'purchases'} waiting to be sent`
          : `${n} ${n === 1 ? 'redemption' : 'redemptions'} waiting to be sent`,
    (action: 'stamps' | 'purchases' | 'redemptions', n: number) =>
      action === 'stamps'
        ? `+${n} ${n < 2 ? 'tampon' : 'tampons'} en attente d’envoi`
        : action === 'purchases'
          ? `${n} ${n < 2 ? 'achat' : 'achats'} en attente d’envoi`
          : `${n} ${n < 2 ? 'récompense utilisée' : 'récompenses utilisées'} en attente d’envoi`,
  ],
  pendingTitle: [(n: number) => `Waiting to be sent: ${n}`, (n: number) => `En attente d’envoi : ${n}`],
  sendNow: ['Send now', 'Envoyer maintenant'],
  allSent: ['Everything saved offline has been sent.', 'Tout ce qui était en attente a été envoyé.'],
  notSent: [(label: string) => `Not sent: ${label}.`, (label: string) => `Non envoyé : ${label}.`],
  dismiss: ['OK', 'OK'],
};

/** The strings of one language. */
export const messages = localize(table);
export type Messages = ReturnType<typeof messages>;
