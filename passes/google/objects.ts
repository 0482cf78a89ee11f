// The Google Wallet side of a loyalty card: one LoyaltyClass per program (who issues it, its
// name, logo, colour, rewards, where the shop is) and one LoyaltyObject per card (the member,
// the balance, the QR code, the stamp-grid hero image, terms and links). Pure functions of the
// same `PassContent` (../content.ts) the Apple pass is built from. Google's reference for every field:
// ../shared/research/google-wallet.md §1.
import { cashbackMicros, type PassContent, type PassLanguage } from '../content.ts';
import { type StripState, normaliseStripState } from '../images.ts';

/** `<issuerId>.<suffix>`: Google's rule for class and object ids. */
export const GOOGLE_ID = /^\d+\.[\w.-]+$/;

/** An id suffix made of what Google allows (letters, digits, `_`, `.`, `-`), as its samples clean them. */
export function idSuffix(value: string): string {
  const cleaned = value.replace(/[^\w.-]/g, '_');
  if (!cleaned) throw new Error('An id suffix cannot be empty');
  return cleaned;
}

export const classId = (issuerId: string, merchantId: string) => `${issuerId}.${idSuffix(merchantId)}`;
export const objectId = (issuerId: string, serial: string) => `${issuerId}.${idSuffix(serial)}`;

type TranslatedString = { language: string; value: string };
/** A text and, for the ones fidelio writes itself, its other language: Google shows the phone's language if given, else the default. */
type LocalizedString = { defaultValue: TranslatedString; translatedValues?: TranslatedString[] };
export type GoogleImage = { sourceUri: { uri: string }; contentDescription: LocalizedString };
type LoyaltyPoints = {
  label: string;
  localizedLabel?: LocalizedString;
  balance: { string: string } | { int: number } | { money: { currencyCode: string; micros: string } };
};
type TextModule = { id: string; header: string; body: string; localizedHeader?: LocalizedString; localizedBody?: LocalizedString };
type LinkModule = { id: string; uri: string; description: string; localizedDescription?: LocalizedString };
export type GoogleMessage = { id: string; header: string; body: string; messageType: 'TEXT' | 'TEXT_AND_NOTIFY' };

export interface LoyaltyClass {
  id: string;
  issuerName: string;
  programName: string;
  programLogo: GoogleImage;
  reviewStatus: 'UNDER_REVIEW';
  hexBackgroundColor: string;
  accountNameLabel: string;
  localizedAccountNameLabel: LocalizedString;
  accountIdLabel: string;
  localizedAccountIdLabel: LocalizedString;
  multipleDevicesAndHoldersAllowedStatus: 'ONE_USER_ALL_DEVICES';
  textModulesData: TextModule[];
  homepageUri?: { uri: string; description: string; localizedDescription: LocalizedString };
  merchantLocations?: { latitude: number; longitude: number }[];
}

export interface LoyaltyObject {
  id: string;
  classId: string;
  state: 'ACTIVE';
  accountId: string;
  accountName: string;
  loyaltyPoints: LoyaltyPoints;
  secondaryLoyaltyPoints?: LoyaltyPoints;
  barcode: { type: 'QR_CODE'; value: string; alternateText: string };
  heroImage: GoogleImage;
  textModulesData: TextModule[];
  linksModuleData: { uris: LinkModule[] };
  /** The merchant's current message (one at most: a PATCH replaces the whole array, so old ones go). */
  messages: GoogleMessage[];
}

/** Every shape a balance takes: a PATCH that cannot know which one Google holds clears the others. */
const ANY_BALANCE = { balance: { string: '', int: 0, money: {} } };

/**
 * The fields a class may have at one time and not at another (a website, shops), in their widest
 * shape: what an update clears when it cannot know what Google holds (after a 409).
 */
export const CLASS_OPTIONAL_FIELDS: Readonly<Record<string, unknown>> = { homepageUri: {}, merchantLocations: [] };

/** The same for an object: the secondary balance (stamp rewards, a tier, none) and the balance's subtype. */
export const OBJECT_OPTIONAL_FIELDS: Readonly<Record<string, unknown>> = {
  loyaltyPoints: ANY_BALANCE,
  secondaryLoyaltyPoints: ANY_BALANCE,
};

/** Where the class and the object point: ids, and the images the server serves. */
export interface GoogleRefs {
  classId: string;
  objectId: string;
  /** The program logo: the merchant's upload, or the generated mark. */
  logoUrl: string;
  /** The stamp-grid picture of this state (a new URL for each count: Google caches images by URL). */
  heroUrl: string;
  /** When the merchant's message was set (it gives the message its id). */
  messageAt: Date | null;
}

/** 1.5 → "1.5" in English, "1,5" in French. */
const decimal = (language: PassLanguage, n: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(n);

const STRINGS = {
  en: {
    stamps: 'Stamps',
    points: 'Points',
    balance: 'Balance',
    rewards: 'Rewards',
    tier: 'Tier',
    member: 'Member',
    card: 'Card no.',
    progress: 'Progress',
    toGo: (n: number, reward: string) => (n === 1 ? `One more stamp for: ${reward}` : `${n} more stamps for: ${reward}`),
    ready: (reward: string) => `Your reward is ready: ${reward}`,
    next: (points: number, reward: string) => `${points} more points for: ${reward}`,
    terms: 'Terms',
    address: 'Address',
    referral: 'Invite a friend',
    ask: 'Your opinion',
    giving: 'Giving back',
    website: 'Website',
    heroStamps: (n: number, of: number) => `${n} of ${of} stamps`,
    heroProgress: 'Progress toward the next reward',
    logo: (name: string) => `${name} logo`,
    catalogue: 'Rewards',
    howItWorks: 'How it works',
    stampRule: (n: number, reward: string) => `Collect ${n} stamps to get: ${reward}.`,
    pointsRule: (n: number, currency: string) => `Earn ${decimal('en', n)} ${n === 1 ? 'point' : 'points'} per ${currency} spent.`,
    cashbackRule: (percent: number) => `${decimal('en', percent)}% of every purchase goes to your balance, to spend in the shop.`,
  },
  fr: {
    stamps: 'Tampons',
    points: 'Points',
    balance: 'Solde',
    rewards: 'Cadeaux',
    tier: 'Niveau',
    member: 'Membre',
    card: 'Carte n°',
    progress: 'Progression',
    toGo: (n: number, reward: string) => (n === 1 ? `Encore un tampon pour : ${reward}` : `Encore ${n} tampons pour : ${reward}`),
    ready: (reward: string) => `Votre récompense vous attend : ${reward}`,
    next: (points: number, reward: string) => `Encore ${points} points pour : ${reward}`,
    terms: 'Conditions',
    address: 'Adresse',
    referral: 'Parrainez un ami',
    ask: 'Votre avis',
    giving: 'Nous donnons',
    website: 'Site web',
    // French takes the singular for 0 and 1: "0 tampon sur 10", as the widget writes it.
    heroStamps: (n: number, of: number) => `${n} ${n > 1 ? 'tampons' : 'tampon'} sur ${of}`,
    heroProgress: 'Progression vers la prochaine récompense',
    logo: (name: string) => `Logo de ${name}`,
    catalogue: 'Récompenses',
    howItWorks: 'Comment ça marche',
    // The widget's words ("Cumulez … et obtenez"), so the pass says what the sign-up said.
    stampRule: (n: number, reward: string) => `Cumulez ${n} tampons et obtenez : ${reward}.`,
    pointsRule: (n: number, currency: string) => `${decimal('fr', n)} ${n >= 2 ? 'points' : 'point'} par ${currency} dépensé.`,
    cashbackRule: (percent: number) => `${decimal('fr', percent)} % de chaque achat va sur votre solde, à utiliser en boutique.`,
  },
} as const;

type Strings = (typeof STRINGS)[PassLanguage];

const OTHER: Record<PassLanguage, PassLanguage> = { en: 'fr', fr: 'en' };

/** Google's length limits (text header 35, body 500); longer text would be refused or cut. */
const cut = (s: string, max = Infinity) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * A text fidelio writes itself (every word of it ours, or a number), in `language` and, as its
 * translation, in the other one: the pass is in the member's language, and a phone set to the
 * other one shows that. `max`: Google's length limit for the field.
 */
function ours(language: PassLanguage, text: (t: Strings) => string, max?: number): LocalizedString {
  const other = OTHER[language];
  return {
    defaultValue: { language, value: cut(text(STRINGS[language]), max) },
    translatedValues: [{ language: other, value: cut(text(STRINGS[other]), max) }],
  };
}

/** A field's plain value (what Google falls back to) and its localized form, for a text of ours. */
function field<K extends string, L extends string>(key: K, localizedKey: L, text: LocalizedString) {
  return { [key]: text.defaultValue.value, [localizedKey]: text } as Record<K, string> & Record<L, LocalizedString>;
}

const image = (uri: string, description: LocalizedString): GoogleImage => ({ sourceUri: { uri }, contentDescription: description });

/**
 * The program's class. `rule` is the program's rule as a text module (`rulesModule`), in the
 * program's language (a class is shared by every member).
 */
export function loyaltyClass(
  c: Pick<PassContent, 'organizationName' | 'description' | 'design' | 'websiteUrl' | 'address' | 'locations'> & { shortName?: string },
  refs: Pick<GoogleRefs, 'classId' | 'logoUrl'>,
  rule: RuleModule,
  language: PassLanguage,
): LoyaltyClass {
  const modules: TextModule[] = [
    {
      id: 'rewards',
      header: cut(rule.header, 35),
      body: cut(rule.body, 500),
      ...(rule.localizedHeader && { localizedHeader: rule.localizedHeader }),
      ...(rule.localizedBody && { localizedBody: rule.localizedBody }),
    },
  ];
  if (c.address)
    modules.push({
      id: 'address',
      ...field(
        'header',
        'localizedHeader',
        ours(language, (t) => t.address, 35),
      ),
      body: cut(c.address, 500),
    });
  return {
    id: refs.classId,
    // The program's short name, when it has one, for the names Google would cut.
    issuerName: c.shortName && Array.from(c.organizationName).length > SHOWN_CHARS ? c.shortName : c.organizationName,
    programName: c.shortName ?? c.description,
    programLogo: image(
      refs.logoUrl,
      ours(language, (t) => t.logo(c.organizationName)),
    ),
    // What a client may send: Google approves it by itself; an approved class keeps this value on updates.
    reviewStatus: 'UNDER_REVIEW',
    hexBackgroundColor: c.design.backgroundColor.toLowerCase(),
    ...field(
      'accountNameLabel',
      'localizedAccountNameLabel',
      ours(language, (t) => t.member),
    ),
    ...field(
      'accountIdLabel',
      'localizedAccountIdLabel',
      ours(language, (t) => t.card),
    ),
    // A card is one member's: once saved, nobody else can save it (it carries their stamps).
    multipleDevicesAndHoldersAllowedStatus: 'ONE_USER_ALL_DEVICES',
    textModulesData: modules,
    ...(c.websiteUrl && {
      homepageUri: {
        uri: c.websiteUrl,
        ...field(
          'description',
          'localizedDescription',
          ours(language, (t) => t.website),
        ),
      },
    }),
    ...(c.locations.length > 0 && {
      merchantLocations: c.locations.slice(0, 10).map((l) => ({ latitude: l.latitude, longitude: l.longitude })),
    }),
  };
}

/**
 * The class and object cut to what the card's face needs, for a save link that must carry them
 * (browsers cut links past 1800 characters); an update brings the rest once they exist.
 */
export function essentials(c: LoyaltyClass, o: LoyaltyObject): { loyaltyClass: object; loyaltyObject: object } {
  const { id, issuerName, programName, reviewStatus, hexBackgroundColor } = c;
  return {
    loyaltyClass: { id, issuerName, programName, programLogo: { sourceUri: c.programLogo.sourceUri }, reviewStatus, hexBackgroundColor },
    loyaltyObject: {
      id: o.id,
      classId: o.classId,
      state: o.state,
      accountName: o.accountName,
      loyaltyPoints: plainPoints(o.loyaltyPoints),
      barcode: { type: o.barcode.type, value: o.barcode.value },
    },
  };
}

/** A balance without its label's translation: a save link has no room for it (the update that follows brings it). */
const plainPoints = ({ label, balance }: LoyaltyPoints): LoyaltyPoints => ({ label, balance });

/** Google shows an issuer, program or account name whole up to 20 characters. */
const SHOWN_CHARS = 20;

/** `s` cut to `max` characters (code points: an emoji is never split), with an ellipsis. */
const shorten = (s: string, max: number) => {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
};

/**
 * Smaller and smaller class-and-object pairs for a save link that must carry them (the REST
 * insert failed), to try in turn until the link fits: `essentials`; then the names cut to what
 * Google shows (20 characters) and the logo at `shortLogoUri` (this server's, short) instead of
 * the merchant's own URL; then without the member's name and the colour. What is left out comes
 * with the updates queued after such a link (the object's, and the class's).
 */
export function savePayloads(c: LoyaltyClass, o: LoyaltyObject, shortLogoUri: string): { loyaltyClass: object; loyaltyObject: object }[] {
  const cls = {
    id: c.id,
    issuerName: shorten(c.issuerName, SHOWN_CHARS),
    programName: shorten(c.programName, SHOWN_CHARS),
    programLogo: { sourceUri: { uri: shortLogoUri } },
    reviewStatus: c.reviewStatus,
  };
  const obj = {
    id: o.id,
    classId: o.classId,
    state: o.state,
    loyaltyPoints: plainPoints(o.loyaltyPoints),
    barcode: { type: o.barcode.type, value: o.barcode.value },
  };
  return [
    essentials(c, o),
    {
      loyaltyClass: { ...cls, hexBackgroundColor: c.hexBackgroundColor },
      loyaltyObject: { ...obj, accountName: shorten(o.accountName, SHOWN_CHARS) },
    },
    { loyaltyClass: cls, loyaltyObject: obj },
  ];
}

/** The class's rule module: its header in both languages, and its body too when every word of it is ours. */
export type RuleModule = { header: string; body: string; localizedHeader?: LocalizedString; localizedBody?: LocalizedString };

/**
 * The program's rule as the class's text module: "Rewards" over the stamps and their reward, or
 * the points catalogue; "How it works" over how points or cashback are earned when there is no
 * catalogue to list (never "Rewards" over "Rewards"). A body that holds the merchant's words (a
 * reward's name) is in the program's language only: the other language is not known for them.
 */
export function rulesModule(
  p: {
    type: string;
    stampsRequired: number;
    reward: { name: string };
    rewards: readonly { name: string; points: number }[];
    pointsPerUnit: number;
    cashbackPercent: number;
    currency: string;
  },
  language: PassLanguage,
): RuleModule {
  const t = STRINGS[language];
  const header = (text: (t: Strings) => string) => field('header', 'localizedHeader', ours(language, text, 35));
  const body = (text: (t: Strings) => string) => field('body', 'localizedBody', ours(language, text, 500));
  if (p.type === 'stamps') return { ...header((s) => s.catalogue), body: t.stampRule(p.stampsRequired, p.reward.name) };
  if (p.type === 'cashback') return { ...header((s) => s.howItWorks), ...body((s) => s.cashbackRule(p.cashbackPercent)) };
  if (p.rewards.length === 0) return { ...header((s) => s.howItWorks), ...body((s) => s.pointsRule(p.pointsPerUnit, p.currency)) };
  const catalogue = [...p.rewards]
    .sort((a, b) => a.points - b.points)
    .map((r) => `${r.name}: ${r.points}`)
    .join(' · ');
  return { ...header((s) => s.catalogue), body: catalogue };
}

function points(c: PassContent, language: PassLanguage): Pick<LoyaltyObject, 'loyaltyPoints' | 'secondaryLoyaltyPoints'> {
  const label = (text: (t: Strings) => string) => field('label', 'localizedLabel', ours(language, text));
  const b = c.balance;
  switch (b.kind) {
    case 'stamps':
      return {
        // "7/10" (≤ 7 characters, Google's recommendation), so the "/10" shows.
        loyaltyPoints: { ...label((t) => t.stamps), balance: { string: `${b.stamps}/${b.required}` } },
        secondaryLoyaltyPoints: { ...label((t) => t.rewards), balance: { int: b.rewardsAvailable } },
      };
    case 'points':
      return {
        loyaltyPoints: { ...label((t) => t.points), balance: { int: b.points } },
        ...(b.tier && { secondaryLoyaltyPoints: { ...label((t) => t.tier), balance: { string: b.tier } } }),
      };
    case 'cashback':
      return {
        loyaltyPoints: {
          ...label((t) => t.balance),
          balance: { money: { currencyCode: b.currency, micros: cashbackMicros(b) } },
        },
      };
  }
}

function progressText(c: PassContent, language: PassLanguage): string | null {
  const t = STRINGS[language];
  const b = c.balance;
  if (b.kind === 'stamps') return b.rewardsAvailable > 0 ? t.ready(b.rewardName) : t.toGo(b.required - b.stamps, b.rewardName);
  if (b.kind === 'points' && b.nextReward) return t.next(b.nextReward.points - b.points, b.nextReward.name);
  return null;
}

/** The card's object: everything it shows now, in the member's language. */
export function loyaltyObject(c: PassContent, refs: GoogleRefs): LoyaltyObject {
  const language = c.language;
  // Headers and link texts are ours: in both languages. The bodies hold the member's progress
  // toward the merchant's reward, the cause and the terms, in the member's language.
  const header = (text: (t: Strings) => string) => field('header', 'localizedHeader', ours(language, text, 35));
  const description = (text: (t: Strings) => string) => field('description', 'localizedDescription', ours(language, text));
  const text: TextModule[] = [];
  const progress = progressText(c, language);
  if (progress) text.push({ id: 'progress', ...header((t) => t.progress), body: progress });
  if (c.giving) text.push({ id: 'giving', ...header((t) => t.giving), body: c.giving });
  text.push({ id: 'terms', ...header((t) => t.terms), body: cut(c.terms, 500) });
  const links: LinkModule[] = [];
  if (c.askUrl) links.push({ id: 'ask', uri: c.askUrl, ...description((t) => t.ask) });
  if (c.referralUrl) links.push({ id: 'referral', uri: c.referralUrl, ...description((t) => t.referral) });
  if (c.websiteUrl) links.push({ id: 'website', uri: c.websiteUrl, ...description((t) => t.website) });
  const b = c.balance;
  const hero = ours(language, (t) => (b.kind === 'stamps' ? t.heroStamps(Math.min(b.stamps, b.required), b.required) : t.heroProgress));
  return {
    id: refs.objectId,
    classId: refs.classId,
    state: 'ACTIVE',
    accountId: c.serial,
    accountName: c.memberName,
    ...points(c, language),
    barcode: { type: 'QR_CODE', value: c.serial, alternateText: c.serial },
    heroImage: image(refs.heroUrl, hero),
    textModulesData: text,
    linksModuleData: { uris: links },
    messages: c.message && refs.messageAt ? [messageOf(c.organizationName, c.message, refs.messageAt, 'TEXT')] : [],
  };
}

/** The merchant's message as a Google message; its id comes from when it was set, so each message is a new one. */
export function messageOf(header: string, body: string, at: Date, messageType: GoogleMessage['messageType']): GoogleMessage {
  return { id: `message-${at.getTime()}`, header: cut(header, 35), body: cut(body, 500), messageType };
}

/**
 * How many rewards the card has reached: stamp rewards waiting, or catalogue rewards the points
 * pay for plus the tier's rank. When it grows, the member hears of it (a milestone); a plain
 * stamp changes the card silently.
 */
export function milestoneLevel(c: PassContent, p: { rewards: readonly { points: number }[]; tiers: readonly { name: string }[] }): number {
  const b = c.balance;
  if (b.kind === 'stamps') return b.rewardsAvailable;
  if (b.kind === 'points') {
    const affordable = p.rewards.filter((r) => r.points <= b.points).length;
    const tierRank = b.tier ? p.tiers.findIndex((t) => t.name === b.tier) + 1 : 0;
    return affordable + tierRank;
  }
  return 0;
}

/**
 * The hero image's file name for a state, e.g. `s7of10r0` (stamps, required, rewards ready or
 * not), `p45` (progress toward the next reward, in percent), `plain`. Equal names draw equal
 * pictures, so a new count is a new URL.
 */
export function heroStateName(state: StripState): string {
  const s = normaliseStripState(state);
  if (s.kind === 'stamps') return `s${s.stamps}of${s.required}r${s.rewardsAvailable}`;
  if (s.kind === 'progress') return `p${Math.round(s.fraction * 100)}`;
  return 'plain';
}

/** The state a hero file name stands for, or null when the name is not one `heroStateName` gives. */
export function parseHeroStateName(name: string): StripState | null {
  let m = /^s(\d{1,2})of(\d{1,2})r([01])$/.exec(name);
  if (m) {
    const [stamps, required, rewards] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (required < 1 || required > 50 || stamps > required) return null;
    return { kind: 'stamps', stamps, required, rewardsAvailable: rewards };
  }
  m = /^p(\d{1,3})$/.exec(name);
  if (m) {
    const percent = Number(m[1]);
    return percent <= 100 && percent % 5 === 0 ? { kind: 'progress', fraction: percent / 100 } : null;
  }
  return name === 'plain' ? { kind: 'plain' } : null;
}
