import { localize } from '../common/localize.ts';

/**
 * Every string the widget shows, English then French, side by side. The language comes from
 * the element's `lang` attribute, else the page's `<html lang>`, else the browser's.
 */
const table = {
  loading: ['Loading…', 'Chargement…'],
  retry: ['Try again', 'Réessayer'],
  offline: ['The loyalty service cannot be reached.', 'Le service de fidélité est injoignable.'],
  tooMany: ['Too many attempts: please wait a minute.', 'Trop de tentatives : patientez une minute.'],
  notFound: ['Loyalty program or card not found.', 'Programme ou carte introuvable.'],
  forbidden: ['This website may not use this program.', 'Ce site ne peut pas utiliser ce programme.'],
  checkFields: ['Please check the highlighted fields.', 'Vérifiez les champs signalés.'],
  required: ['Please fill in this field.', 'Champ obligatoire.'],
  invalid: ['This value is not valid.', 'Valeur non valide.'],
  badEmail: ['Example: name@example.com', 'Exemple : nom@exemple.fr'],
  optional: ['(optional)', '(facultatif)'],
  send: ['Send', 'Envoyer'],
  sending: ['Sending…', 'Envoi…'],

  joinTitle: ['Join our loyalty program', 'Rejoignez notre programme de fidélité'],
  pitch: [
    (n: number, reward: string) => `Collect ${n} stamps and get: ${reward}.`,
    (n: number, reward: string) => `Cumulez ${n} tampons et obtenez : ${reward}.`,
  ],
  name: ['Name', 'Nom'],
  email: ['Email', 'E-mail'],
  phone: ['Phone', 'Téléphone'],
  birthday: ['Birthday', 'Date de naissance'],
  terms: ['I accept the loyalty program terms.', "J'accepte les conditions du programme de fidélité."],
  mustAccept: ['Please accept the terms to join.', 'Acceptez les conditions pour vous inscrire.'],
  marketing: ['Send me offers by email.', 'Envoyez-moi des offres par e-mail.'],
  join: ['Join', "Je m'inscris"],
  already: ['This email is already a member.', 'Cet e-mail est déjà inscrit.'],
  recover: ['Already a member? Get your card by email', 'Déjà inscrit ? Recevez votre carte par e-mail'],
  welcome: [(name: string) => `Welcome, ${name}! Your card is ready.`, (name: string) => `Bienvenue, ${name} ! Votre carte est prête.`],
  notYou: ['Not you?', "Ce n'est pas vous ?"],
  tabCard: ['My card', 'Ma carte'],
  tabReview: ['Review', 'Avis'],
  tabInvite: ['Invite', 'Parrainer'],

  stampsOf: [
    (n: number, total: number) => `${n} of ${total} stamps`,
    (n: number, total: number) => `${n} tampon${n > 1 ? 's' : ''} sur ${total}`,
  ],
  toGo: [(n: number) => `${n} more for your reward`, (n: number) => `Plus que ${n} avant votre récompense`],
  points: ['points', 'points'],
  stamps: [(n: number) => (n === 1 ? 'stamp' : 'stamps'), (n: number) => (n > 1 ? 'tampons' : 'tampon')],
  tier: ['Tier', 'Niveau'],
  cashback: ['Cashback balance', 'Cagnotte'],
  rewards: [(n: number) => `Rewards available: ${n}`, (n: number) => `Récompenses disponibles : ${n}`],
  bonus: [(v: string) => `Includes your welcome gift: ${v}`, (v: string) => `Dont votre cadeau de bienvenue : ${v}`],
  showCode: ['Show this code at the counter', 'Présentez ce code en caisse'],
  qrAlt: ['QR code of your loyalty card', 'QR code de votre carte de fidélité'],
  addTo: ['Add to', 'Ajouter à'],

  reviewTitle: ['Leave a review', 'Laissez un avis'],
  rating: ['Your rating', 'Votre note'],
  stars: [(n: number) => `${n} star${n > 1 ? 's' : ''}`, (n: number) => `${n} étoile${n > 1 ? 's' : ''}`],
  reviewText: ['Your review', 'Votre avis'],
  yourName: ['Your name', 'Votre nom'],
  pick: ['Please choose a rating.', 'Choisissez une note.'],
  reviewThanks: ['Thank you! Your review will appear once approved.', 'Merci ! Votre avis apparaîtra une fois validé.'],
  google: ['Review us on Google', 'Donner un avis sur Google'],

  nps: ['How likely are you to recommend us to a friend?', 'Nous recommanderiez-vous à un ami ?'],
  npsLow: ['Not likely', 'Peu probable'],
  npsHigh: ['Very likely', 'Très probable'],
  csat: ['How satisfied are you with your visit?', 'Êtes-vous satisfait de votre visite ?'],
  csatLow: ['Very unsatisfied', 'Très insatisfait'],
  csatHigh: ['Very satisfied', 'Très satisfait'],
  ces: ['How easy was your visit?', 'Votre visite a-t-elle été facile ?'],
  cesLow: ['Very difficult', 'Très difficile'],
  cesHigh: ['Very easy', 'Très facile'],
  comment: ['Comment', 'Commentaire'],
  surveyThanks: ['Thank you!', 'Merci !'],

  inviteTitle: ['Invite your friends', 'Parrainez vos amis'],
  yourLink: ['Your personal link', 'Votre lien personnel'],
  copy: ['Copy', 'Copier'],
  copied: ['Link copied.', 'Lien copié.'],
  share: ['Share', 'Partager'],
  shareText: ['Join with my link:', 'Inscrivez-vous avec mon lien :'],
  invited: ['Invited', 'Invités'],
  joined: ['Joined', 'Inscrits'],
  rewarded: ['Rewarded', 'Récompensés'],

  reviewsTitle: ['Customer reviews', 'Avis clients'],
  average: [
    (avg: string, count: number) => `${avg} out of 5, ${count} ${count === 1 ? 'review' : 'reviews'}`,
    (avg: string, count: number) => `${avg} sur 5, ${count} avis`,
  ],
  outOf5: [(n: number) => `${n} out of 5`, (n: number) => `${n} sur 5`],
  noReviews: ['No reviews yet.', "Pas encore d'avis."],
  aCustomer: ['A customer', 'Un client'],
  verified: ['✓ Verified visit', '✓ Visite vérifiée'],
};

/** The strings of one language. */
export const messages = localize(table);
export type Messages = ReturnType<typeof messages>;
