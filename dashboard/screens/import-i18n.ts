// The strings of the Import screen (fd-import.ts): English, then French.
import type { ImportField } from '../../common/api.ts';
import { localize } from '../../common/localize.ts';

/** What each field of an import is called on the screen. */
export const fieldNames = localize({
  name: ['Name', 'Nom'],
  email: ['Email', 'E-mail'],
  phone: ['Phone', 'Téléphone'],
  birthday: ['Birthday', 'Anniversaire'],
  balance: ['Opening balance', 'Solde de départ'],
  marketing_consent: ['Agreed to marketing messages', 'Accepte les messages commerciaux'],
} satisfies Record<ImportField, [string, string]>);

export const strings = localize({
  title: ['Import customers', 'Importer des clients'],
  intro: [
    'Bring the members of your previous loyalty program, from a CSV file (a spreadsheet saved as CSV): each row becomes a member with their card and balance. Rows already imported are not imported twice.',
    'Reprenez les membres de votre ancien programme de fidélité depuis un fichier CSV (un tableur enregistré en CSV) : chaque ligne devient un membre avec sa carte et son solde. Une ligne déjà importée ne l’est pas deux fois.',
  ],
  step1: ['1. Choose the file', '1. Choisissez le fichier'],
  file: ['CSV file', 'Fichier CSV'],
  fileHint: ['Up to 20 MB, with a first row naming the columns.', 'Jusqu’à 20 Mo, avec une première ligne qui nomme les colonnes.'],
  tooBig: [
    (mb: string) => `This file is ${mb} MB: the limit is 20 MB. Split it into smaller files and import them one after the other.`,
    (mb: string) =>
      `Ce fichier fait ${mb} Mo : la limite est de 20 Mo. Découpez-le en fichiers plus petits et importez-les l’un après l’autre.`,
  ],
  reading: ['Reading the file…', 'Lecture du fichier…'],
  step2: ['2. Check the columns', '2. Vérifiez les colonnes'],
  found: [
    (n: number, name: string) => `${n} ${n === 1 ? 'row' : 'rows'} in ${name}. The first ones:`,
    (n: number, name: string) => `${n} ${n < 2 ? 'ligne' : 'lignes'} dans ${name}. ${n < 2 ? 'La voici' : 'Les premières'} :`,
  ],
  firstRows: ['The first rows of the file', 'Les premières lignes du fichier'],
  mapping: ['Which column holds what', 'Quelle colonne contient quoi'],
  none: ['—', '—'],
  required: ['(required)', '(obligatoire)'],
  missing: [(what: string) => `Choose the column with the ${what.toLowerCase()}.`, (what: string) => `Choisissez la colonne « ${what} ».`],
  balanceStamps: [
    'The balance column holds each member’s number of stamps today.',
    'La colonne du solde contient le nombre de tampons de chaque membre aujourd’hui.',
  ],
  balancePoints: [
    'The balance column holds each member’s number of points today.',
    'La colonne du solde contient le nombre de points de chaque membre aujourd’hui.',
  ],
  balanceCashback: [
    (cur: string) => `The balance column holds each member’s cashback in ${cur}, for example 12.50.`,
    (cur: string) => `La colonne du solde contient la cagnotte de chaque membre en ${cur}, par exemple 12,50.`,
  ],
  euros: ['euros', 'euros'],
  welcome: ['Send the welcome e-mail to new members', 'Envoyer l’e-mail de bienvenue aux nouveaux membres'],
  welcomeHint: [
    'Only to those who are not members yet. Leave it unticked to import quietly.',
    'Seulement à ceux qui ne sont pas encore membres. Laissez décoché pour importer sans rien envoyer.',
  ],
  start: [(n: number) => `Import ${n} ${n === 1 ? 'row' : 'rows'}`, (n: number) => `Importer ${n} ${n < 2 ? 'ligne' : 'lignes'}`],
  starting: ['Starting…', 'Démarrage…'],
  other: ['Choose another file', 'Choisir un autre fichier'],
  progressTitle: ['Import in progress', 'Import en cours'],
  doneTitle: ['Import finished', 'Import terminé'],
  failedTitle: ['The import stopped', 'L’import s’est arrêté'],
  progress: ['Progress of the import', 'Avancement de l’import'],
  read: [
    (done: number, total: number) => `${done} of ${total} ${total === 1 ? 'row' : 'rows'} read`,
    (done: number, total: number) => `${done} ${done < 2 ? 'ligne lue' : 'lignes lues'} sur ${total}`,
  ],
  counts: [
    (c: number, u: number, same: number, f: number) =>
      `${c} new member${c === 1 ? '' : 's'}, ${u} updated, ${same} already there, ${f} refused`,
    (c: number, u: number, same: number, f: number) =>
      `${c} nouveau${c > 1 ? 'x' : ''} membre${c > 1 ? 's' : ''}, ${u} mis à jour, ${same} déjà là, ${f} ligne${f > 1 ? 's' : ''} refusée${f > 1 ? 's' : ''}`,
  ],
  withWelcome: ['New members get the welcome e-mail.', 'Les nouveaux membres reçoivent l’e-mail de bienvenue.'],
  errors: ['Rows refused', 'Lignes refusées'],
  line: [(n: number, msg: string) => `Line ${n}: ${msg}`, (n: number, msg: string) => `Ligne ${n} : ${msg}`],
  another: ['Import another file', 'Importer un autre fichier'],
  history: ['Past imports', 'Imports précédents'],
  noHistory: ['No import yet.', 'Aucun import pour l’instant.'],
  noOther: ['No other import yet.', 'Aucun autre import pour l’instant.'],
  statusDone: ['finished', 'terminé'],
  statusFailed: ['stopped', 'arrêté'],
  statusRunning: ['running', 'en cours'],
  stillTrying: ['The progress cannot be read right now.', 'Impossible de lire l’avancement pour l’instant.'],
});

export type Strings = ReturnType<typeof strings>;
