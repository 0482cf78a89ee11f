// The words of the hosted pages, English then French.
import { localize } from '../../common/localize.ts';

export const strings = localize({
  joinTitle: [(program: string) => `Join ${program}`, (program: string) => `Rejoignez ${program}`],
  joinLead: ['Your loyalty card, on your phone, in a minute.', 'Votre carte de fidélité, sur votre téléphone, en une minute.'],
  invites: [(name: string) => `${name} invites you`, (name: string) => `${name} vous invite`],
  inviteBoth: [
    (you: string, them: string, name: string) => `On your first visit you get ${you}, and ${name} gets ${them}.`,
    (you: string, them: string, name: string) => `À votre première visite, vous recevez ${you} et ${name} reçoit ${them}.`,
  ],
  inviteYou: [(you: string) => `On your first visit you get ${you}.`, (you: string) => `À votre première visite, vous recevez ${you}.`],
  inviteThem: [
    (them: string, name: string) => `On your first visit, ${name} gets ${them}.`,
    (them: string, name: string) => `À votre première visite, ${name} reçoit ${them}.`,
  ],
  steps: ['How it works', 'Comment ça marche'],
  step1: ['Join with your name and e-mail.', 'Inscrivez-vous avec votre nom et votre e-mail.'],
  step2: [
    'Add the card to your phone’s wallet, or keep its page.',
    'Ajoutez la carte au portefeuille de votre téléphone, ou gardez sa page.',
  ],
  step3: ['Show its QR code at the counter at each visit.', 'Présentez son QR code en caisse à chaque visite.'],
  noScript: ['This page needs JavaScript to sign you up.', 'L’inscription a besoin de JavaScript.'],
  recoverTitle: ['Already a member? Get your card by email', 'Déjà inscrit ? Recevez votre carte par e-mail'],
  recoverLead: [
    'Lost your phone or your card? Enter the address you joined with: we send you the link to your card.',
    'Téléphone ou carte perdus ? Saisissez l’adresse de votre inscription : nous vous envoyons le lien vers votre carte.',
  ],
  email: ['Email', 'E-mail'],
  recoverSend: ['Send me my card', 'Recevoir ma carte'],
  recoverSent: [
    'If this address is a member’s, the link to the card is on its way: look in your inbox.',
    'Si cette adresse est celle d’un membre, le lien vers la carte arrive par e-mail : regardez votre boîte de réception.',
  ],
  recoverLimited: [
    'Too many requests for now: please try again in an hour.',
    'Trop de demandes pour l’instant : réessayez dans une heure.',
  ],
  recoverInvalid: ['Please enter an email address, like name@example.com.', 'Saisissez une adresse e-mail, comme nom@exemple.fr.'],
  recoverOff: ['This shop does not send email: ask at the counter.', 'Cette boutique n’envoie pas d’e-mails : demandez en caisse.'],
  poweredBy: ['Loyalty card by fidelio', 'Carte de fidélité par fidelio'],

  cardTitle: [(merchant: string) => `Your ${merchant} card`, (merchant: string) => `Votre carte ${merchant}`],
  stampsOf: [
    (n: number, total: number) => `${n} of ${total} stamps`,
    (n: number, total: number) => `${n} tampon${n > 1 ? 's' : ''} sur ${total}`,
  ],
  toGo: [(n: number) => `${n} more for your reward`, (n: number) => `Plus que ${n} avant votre récompense`],
  points: ['points', 'points'],
  tier: ['Tier', 'Niveau'],
  cashback: ['Your balance', 'Votre cagnotte'],
  rewards: [
    (n: number, name: string) => `${n === 1 ? 'A reward' : `${n} rewards`} ready: ${name}`,
    (n: number, name: string) => `${n === 1 ? 'Une récompense' : `${n} récompenses`} à utiliser : ${name}`,
  ],
  showCode: ['Show this code at the counter', 'Présentez ce code en caisse'],
  qrAlt: ['QR code of your loyalty card', 'QR code de votre carte de fidélité'],
  addTo: ['Add to', 'Ajouter à'],
  keepPage: [
    'Keep this page: it is your card. Anyone with its address can see it.',
    'Gardez cette page : c’est votre carte. Toute personne qui a son adresse peut la voir.',
  ],
  visits: ['Your visits', 'Vos visites'],
  noVisits: [
    'No visit yet: your first stamp is waiting at the counter.',
    'Pas encore de visite : votre premier tampon vous attend en caisse.',
  ],
  stamp: [(n: number) => `+${n} stamp${n > 1 ? 's' : ''}`, (n: number) => `+${n} tampon${n > 1 ? 's' : ''}`],
  purchase: [(amount: string) => `Purchase ${amount}`, (amount: string) => `Achat ${amount}`],
  purchasePoints: [(n: number) => `+${n} points`, (n: number) => `+${n} points`],
  redemption: ['Reward used', 'Récompense utilisée'],
  invite: ['Invite a friend', 'Parrainez un ami'],
  review: ['Your opinion', 'Votre avis'],

  notFoundTitle: ['Not found', 'Introuvable'],
  noProgram: ['There is no loyalty program at this address.', 'Il n’y a pas de programme de fidélité à cette adresse.'],
  noCard: ['There is no loyalty card at this address.', 'Il n’y a pas de carte de fidélité à cette adresse.'],
});
