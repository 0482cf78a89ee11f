// fidelio's own texts in a problem answer (its `detail` and the field messages of `errors`), in
// English and French, each under a stable code. The services, the domain and the contract throw
// and refine with the English text; the answer is localized at the one place it is written
// (`sendProblem`), so the English text is also how a message is recognised here: `{name}` stands
// for a part that varies ("Try again in {seconds} seconds."). A text not in the table goes out as
// it is (English). zod's own messages come in the request's language from zod's locales.
import type { Locale } from '../../common/localize.ts';

/** A French text: `{name}` filled from the English one, or a function of its parts. */
type French = string | ((parts: Record<string, string>) => string);

const PROGRAM_TYPE_FR: Record<string, string> = { stamps: 'à tampons', points: 'à points', tiers: 'à niveaux', cashback: 'à cagnotte' };
const UNIT_FR: Record<string, string> = { stamps: 'tampons', points: 'points', 'cashback (minor units)': 'de cagnotte (en centimes)' };
const programFr = (type = '') => PROGRAM_TYPE_FR[type] ?? type;
const unitFr = (unit = '') => UNIT_FR[unit] ?? unit;

/** [English, French] by code. The codes never change; a text may. */
export const MESSAGES = {
  // Problem details of the HTTP layer (problem.ts, validate.ts, auth.ts, cors.ts, cursor.ts, app.ts).
  invalid_request: ['Invalid request.', 'Requête invalide.'],
  body_cut_off: ['The request was cut off before its body arrived.', 'La requête a été interrompue avant que son contenu n’arrive.'],
  server_failed: ['Something went wrong on our side. Please try again.', 'Une erreur s’est produite de notre côté. Réessayez.'],
  malformed_json: ['Malformed JSON in request body', 'Le contenu de la requête n’est pas du JSON valide'],
  malformed_form: ['Malformed FormData request. {reason}', 'Formulaire illisible. {reason}'],
  unsupported_media_type: ['Unsupported Media Type', 'Type de contenu non pris en charge'],
  nothing_here: ['Nothing at {method} {path}.', 'Rien à l’adresse {method} {path}.'],
  body_too_large: ['The request body is larger than {size} KB.', 'Le contenu de la requête dépasse {size} Ko.'],
  logo_too_large: ['The logo is larger than {size} MB.', 'Le logo dépasse {size} Mo.'],
  file_too_large: [
    'The file is larger than {size} MB: split it in parts.',
    'Le fichier dépasse {size} Mo : découpez-le en plusieurs parties.',
  ],
  fields_invalid: ['Some fields are missing or invalid.', 'Des champs manquent ou ne sont pas valides.'],
  nul_character: ['must not contain the NUL character (U+0000)', 'ne doit pas contenir le caractère NUL (U+0000)'],
  send_json: ['Send JSON with Content-Type: application/json.', 'Envoyez du JSON avec Content-Type: application/json.'],
  cursor_field: ['invalid cursor', 'curseur non valide'],
  cursor_invalid: ['This cursor is not valid.', 'Ce curseur n’est pas valide.'],
  foreign_site: ['Requests from another site are not allowed here.', 'Les requêtes venant d’un autre site ne sont pas acceptées ici.'],
  api_key_invalid: ['This API key is not valid.', 'Cette clé d’API n’est pas valide.'],
  log_in: ['Please log in.', 'Veuillez vous connecter.'],
  csrf: ['This request did not come from the dashboard (CSRF check).', 'Cette requête ne vient pas du tableau de bord (contrôle CSRF).'],
  owner_only: ['Only the owner can do this.', 'Seul le responsable de l’établissement peut faire cela.'],
  till_key: [
    'A till’s API key looks up one card by its serial; this needs a person signed in.',
    'La clé d’API d’une caisse ne sert qu’à retrouver une carte par son numéro ; ceci demande une personne connectée.',
  ],
  origin_refused: [
    'This website ({origin}) is not allowed to use this loyalty program.',
    'Ce site ({origin}) n’est pas autorisé à utiliser ce programme de fidélité.',
  ],
  not_found: ['Not found.', 'Introuvable.'],

  // The services' refusals.
  google_off: [
    'Google Wallet is not set up on this server (no service account).',
    'Google Wallet n’est pas configuré sur ce serveur (aucun compte de service).',
  ],
  apple_off: [
    'Apple Wallet passes are not set up on this server (no Pass Type ID certificate).',
    'Les cartes Apple Wallet ne sont pas configurées sur ce serveur (aucun certificat Pass Type ID).',
  ],
  no_card: ['No card with this serial.', 'Aucune carte avec ce numéro.'],
  no_image: ['No such image.', 'Aucune image à cette adresse.'],
  pass_unauthorized: ['Unauthorized.', 'Non autorisé.'],
  no_shop: ['no shop of the program has this id', 'aucune boutique du programme n’a cet identifiant'],
  no_redemption: ['No redemption with this id on this card.', 'Aucune récompense utilisée avec cet identifiant sur cette carte.'],
  no_merchant: ['No such merchant.', 'Commerçant introuvable.'],
  email_taken_log_in: [
    'An account with this email already exists. Log in instead.',
    'Un compte existe déjà avec cet e-mail : connectez-vous.',
  ],
  email_taken: ['An account with this email already exists.', 'Un compte existe déjà avec cet e-mail.'],
  try_again: ['Please try again.', 'Veuillez réessayer.'],
  bad_login: ['Email or password is incorrect.', 'E-mail ou mot de passe incorrect.'],
  before_from: ['must not be before from', 'ne doit pas être antérieur à from'],
  period_too_long: ['the period must be at most 5 years', 'la période ne doit pas dépasser 5 ans'],
  no_goal: ['No goal with this id.', 'Aucun objectif avec cet identifiant.'],
  no_mail: ['No such mail.', 'Aucun e-mail à cette adresse.'],
  no_customer: ['No customer with this id.', 'Aucun client avec cet identifiant.'],
  no_api_key: ['No API key with this id.', 'Aucune clé d’API avec cet identifiant.'],
  no_staff: ['No staff account with this id.', 'Aucun compte d’équipe avec cet identifiant.'],
  no_review: ['No review with this id.', 'Aucun avis avec cet identifiant.'],
  messages_per_day: [
    '{count} messages in 24 hours at most reach the passes: the next one can go out later.',
    '{count} messages au plus par 24 heures arrivent sur les cartes : le prochain pourra partir plus tard.',
  ],
  not_an_image: ['This file is not a PNG or JPEG image.', 'Ce fichier n’est pas une image PNG ou JPEG.'],
  image_damaged: ['This image could not be read: the file is damaged.', 'Cette image est illisible : le fichier est endommagé.'],
  image_too_large: [
    'This image is too large ({width}×{height} pixels); at most 4096×4096.',
    'Cette image est trop grande ({width}×{height} pixels) ; 4096×4096 au plus.',
  ],
  image_too_heavy: [
    'This image is too large to decode ({width}×{height} pixels at {bits} bits a channel: {size} MB); at most {max} MB, e.g. 4096×4096 at 8 bits.',
    'Cette image est trop lourde à décoder ({width}×{height} pixels à {bits} bits par canal : {size} Mo) ; {max} Mo au plus, par exemple 4096×4096 en 8 bits.',
  ],
  image_blank: ['This image could not be read, or is fully transparent.', 'Cette image est illisible, ou entièrement transparente.'],
  svg_logo: [
    'SVG logos are not accepted (they can carry scripts); upload a PNG or JPEG.',
    'Les logos SVG ne sont pas acceptés (ils peuvent contenir des scripts) : envoyez un PNG ou un JPEG.',
  ],
  logo_type: [
    'A logo must be a PNG or JPEG image (Content-Type: image/png or image/jpeg), not {type}.',
    'Un logo doit être une image PNG ou JPEG (Content-Type: image/png ou image/jpeg), pas {type}.',
  ],
  no_program: ['This merchant has no program.', 'Ce commerçant n’a pas de programme.'],
  no_program_named: ['No program with this name.', 'Aucun programme à ce nom.'],
  no_logo: ['No logo at this address.', 'Aucun logo à cette adresse.'],
  csv_unreadable: ['This is not a CSV file we can read: {reason}', 'Ce fichier CSV est illisible : {reason}'],
  csv_empty: [
    'The file is empty: it needs a header line (name, email…) and a line per member.',
    'Le fichier est vide : il faut une ligne d’en-tête (name, email…) et une ligne par membre.',
  ],
  csv_no_column: ['no column “{name}” in the file', 'aucune colonne « {name} » dans le fichier'],
  csv_email_column: ['say which column holds the e-mail', 'indiquez la colonne qui contient l’e-mail'],
  csv_name_column: ['say which column holds the name', 'indiquez la colonne qui contient le nom'],
  csv_no_member: ['The file has a header but no member.', 'Le fichier a une ligne d’en-tête mais aucun membre.'],
  // Why a line of an import is refused (server/domain/imports.ts, services/imports.ts); kept in
  // English with the import, put in the reader's language when read. The longer of two texts
  // that begin alike comes first.
  line_email_empty: ['the e-mail is empty', 'l’e-mail est vide'],
  line_email_invalid: ['“{email}” is not an e-mail address', '« {email} » n’est pas une adresse e-mail'],
  line_name_empty: ['the name is empty', 'le nom est vide'],
  line_name_long: ['the name is longer than 100 characters', 'le nom dépasse 100 caractères'],
  line_phone: ['the phone is not a phone number', 'le téléphone n’est pas un numéro de téléphone'],
  line_birthday: [
    'the birthday is not a date (DD/MM/YYYY or YYYY-MM-DD)',
    'la date d’anniversaire n’est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)',
  ],
  line_balance_negative: ['the balance is negative', 'le solde est négatif'],
  line_balance_amount: ['the balance is not an amount (like 12,50)', 'le solde n’est pas un montant (comme 12,50)'],
  line_balance_decimals: ['the balance has more than {digits} decimals', 'le solde a plus de {digits} décimales'],
  line_balance_whole: ['the balance is not a whole number of {unit}', (p) => `le solde n’est pas un nombre entier de ${unitFr(p.unit)}`],
  line_balance_over_unit: ['the balance is over {max} {unit}', (p) => `le solde dépasse ${p.max} ${unitFr(p.unit)}`],
  line_balance_over: ['the balance is over {max}', 'le solde dépasse {max}'],
  line_consent: ['the marketing consent is not yes or no', 'l’accord pour les messages commerciaux n’est ni oui ni non'],
  line_same_email: ['the same e-mail as line {line}', 'la même adresse e-mail qu’à la ligne {line}'],
  no_import: ['No import with this id.', 'Aucun import avec cet identifiant.'],
  idempotency_reused: [
    'This Idempotency-Key was already used for a different request.',
    'Cette Idempotency-Key a déjà servi pour une autre requête.',
  ],
  already_member: [
    'This email is already a member. Your card is on its way back to you.',
    'Cet e-mail est déjà membre. Votre carte vous est renvoyée.',
  ],
  too_many_attempts: ['Too many attempts. Try again in {seconds} seconds.', 'Trop de tentatives. Réessayez dans {seconds} secondes.'],
  mail_off: ['This server does not send e-mail.', 'Ce serveur n’envoie pas d’e-mails.'],
  unsubscribe_invalid: ['This unsubscribe link is not valid.', 'Ce lien de désinscription n’est pas valide.'],
  webhook_scheme: ['must be an http or https URL', 'doit être une URL http ou https'],
  webhook_credentials: ['must not carry a user name or password', 'ne doit contenir ni nom d’utilisateur ni mot de passe'],
  webhook_https: ['must be an https URL', 'doit être une URL https'],
  webhook_private: [
    'private, loopback and link-local addresses are refused',
    'les adresses privées, de bouclage (loopback) et link-local sont refusées',
  ],
  no_webhook: ['No webhook with this id.', 'Aucun webhook avec cet identifiant.'],
  no_delivery: ['No delivery with this id.', 'Aucun envoi avec cet identifiant.'],

  // The routes' own.
  no_pass: ['No such pass.', 'Aucune carte à cette adresse.'],
  unknown_pass_type: ['Unknown pass type.', 'Type de carte inconnu.'],
  malformed_json_field: ['malformed JSON', 'JSON mal formé'],
  body_not_json: ['The body must be JSON.', 'Le contenu doit être du JSON.'],
  widget_not_built: ['The widget is not built: run `npm run build`.', 'Le widget n’est pas construit : lancez `npm run build`.'],
  no_widget_version: ['No widget with this version.', 'Aucun widget dans cette version.'],
  dashboard_not_built: [
    'The dashboard is not built: run `npm run build`.',
    'Le tableau de bord n’est pas construit : lancez `npm run build`.',
  ],
  send_csv: [
    'Send the CSV file itself (Content-Type: text/csv), not {type}.',
    'Envoyez le fichier CSV lui-même (Content-Type: text/csv), pas {type}.',
  ],

  // The card rules (server/domain/rules.ts), as the card writes pass them on.
  purchase_not_stamps: [
    'This is a {type} program: record a purchase instead of stamps.',
    (p) => `C’est un programme ${programFr(p.type)} : enregistrez un achat plutôt que des tampons.`,
  ],
  stamps_not_purchase: [
    'This is a stamps program: add stamps (with an optional purchaseAmount).',
    'C’est un programme à tampons : ajoutez des tampons (avec un purchaseAmount facultatif).',
  ],
  no_reward_yet: ['No reward is available on this card yet.', 'Aucune récompense n’est encore disponible sur cette carte.'],
  unknown_reward: ['No reward "{id}" in this program.', 'Aucune récompense « {id} » dans ce programme.'],
  which_reward: ['Say which reward (rewardId).', 'Indiquez quelle récompense (rewardId).'],
  reward_needs_points: [
    '"{name}" needs {points} points; the card has {held}.',
    '« {name} » demande {points} points ; la carte en a {held}.',
  ],
  cashback_short: [
    'The cashback balance is {balance} (minor units); cannot spend {amount}.',
    'La cagnotte est de {balance} (en centimes) ; impossible de dépenser {amount}.',
  ],
  undo_too_late: [
    'A redemption can be undone within {minutes} minutes only.',
    'Une récompense utilisée ne peut être rendue que dans les {minutes} minutes.',
  ],
  delta_range: [
    'For a {type} program, delta must be a whole number from -{limit} to {limit}, not 0.',
    (p) => `Pour un programme ${programFr(p.type)}, delta doit être un nombre entier de -${p.limit} à ${p.limit}, sauf 0.`,
  ],
  cannot_take_off: [
    'The card holds {held} {unit}; cannot take off {delta}.',
    (p) => `La carte a ${p.held} ${UNIT_FR[p.unit!] ?? p.unit} ; impossible d’en retirer ${p.delta}.`,
  ],

  // The program's checks (server/domain/program.ts).
  colour: ['must be a colour like #1a2b3c', 'doit être une couleur comme #1a2b3c'],
  http_url: ['must be an absolute http(s) URL', 'doit être une URL http(s) absolue'],
  time_zone: ['must be a time zone like Europe/Paris', 'doit être un fuseau horaire comme Europe/Paris'],
  instant: ['must be a date and time like 2027-03-01T00:00:00+01:00', 'doit être une date et une heure comme 2027-03-01T00:00:00+01:00'],
  launch_bonus_period: ['a launch bonus needs a start before its end', 'un bonus de lancement doit commencer avant de finir'],
  name_the_cause: ['name the cause', 'indiquez la cause soutenue'],
  reward_id_characters: ['letters, digits, - and _ only', 'lettres, chiffres, - et _ uniquement'],
  location_id_characters: ['lower-case letters, digits and dashes', 'lettres minuscules, chiffres et tirets'],
  currency_code: ['must be an ISO 4217 code like EUR', 'doit être un code ISO 4217 comme EUR'],
  unknown_currency: ['unknown currency', 'devise inconnue'],
  duplicate_reward: ['duplicate reward id', 'identifiant de récompense en double'],
  duplicate_location: ['duplicate location id', 'identifiant de boutique en double'],
  tiers_needed: ['a tiers program needs at least one tier', 'un programme à niveaux demande au moins un niveau'],
  tiers_increasing: ['tier thresholds must increase', 'les seuils des niveaux doivent être croissants'],

  // The contract's checks (server/contract).
  password_length: ['must be at least 10 characters', 'doit faire au moins 10 caractères'],
  more_than_zero: ['must be more than 0', 'doit être supérieur à 0'],
  not_zero: ['must not be 0', 'ne doit pas être 0'],
  say_why: ['say why', 'indiquez pourquoi'],
  printable_ascii: ['printable ASCII without spaces', 'ASCII imprimable sans espaces'],
  iso_day: ['must be a date YYYY-MM-DD', 'doit être une date AAAA-MM-JJ'],
  valid_day: ['not a valid date (1900–2999)', 'date non valide (1900–2999)'],
  phone: ['must be a phone number', 'doit être un numéro de téléphone'],
  survey_score: ['must be a whole number from {min} to {max} for {kind}', 'doit être un nombre entier de {min} à {max} pour {kind}'],
  device_id: ['not a device library identifier', 'identifiant d’appareil non valide (deviceLibraryIdentifier)'],
  push_token: ['must be the hexadecimal push token', 'doit être le jeton de notification, en hexadécimal'],
  update_tag: ['not a tag this server gave out', 'étiquette inconnue de ce serveur'],
} satisfies Record<string, readonly [string, French]>;

export type MessageCode = keyof typeof MESSAGES;

/** An English text's pattern: its `{name}` parts as named groups (a name used twice must match the same text). */
function pattern(en: string): RegExp {
  const seen = new Set<string>();
  const source = en
    .split(/(\{\w+\})/)
    .map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      if (!name) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (seen.has(name)) return `\\k<${name}>`;
      seen.add(name);
      return `(?<${name}>[^]+?)`;
    })
    .join('');
  return new RegExp(`^${source}$`);
}

const fill = (fr: French, parts: Record<string, string>) =>
  typeof fr === 'function' ? fr(parts) : fr.replace(/\{(\w+)\}/g, (_, name: string) => parts[name] ?? '');

const EXACT = new Map<string, French>();
const PATTERNS: { re: RegExp; fr: French }[] = [];
for (const [en, fr] of Object.values(MESSAGES)) {
  if (/\{\w+\}/.test(en)) PATTERNS.push({ re: pattern(en), fr });
  else EXACT.set(en, fr);
}

/** One of our texts in `language`: by its English text (the one thrown), or as it is when the table has no such text. */
export function localizeMessage(text: string, language: Locale): string {
  if (language === 'en') return text;
  const exact = EXACT.get(text);
  if (exact !== undefined) return fill(exact, {});
  for (const { re, fr } of PATTERNS) {
    const m = re.exec(text);
    if (m) return fill(fr, { ...m.groups });
  }
  return text;
}

/** The text of a code in `language`, its `{name}` parts filled from `parts`. */
export function message(code: MessageCode, language: Locale, parts: Record<string, string | number> = {}): string {
  const [en, fr] = MESSAGES[code] as readonly [string, French];
  const strings = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, String(v)]));
  return language === 'en' ? fill(en, strings) : fill(fr, strings);
}
