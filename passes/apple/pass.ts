// The storeCard pass of one loyalty card, built from its neutral `PassContent` (../content.ts):
// pass.json, its French and English pass.strings, and the images, signed and zipped into a
// .pkpass. Apple's reference for every key: ../shared/research/apple-wallet.md §1.
import { createHash } from 'node:crypto';
import { cashbackAmount, type PassBalance, type PassContent, type PassLanguage, stripState } from '../content.ts';
import type { PassImages } from '../images.ts';
import type { AppleCertificates } from './certificates.ts';
import { signManifest } from './cms.ts';
import { zipStored } from './zip.ts';

/** The deployment's pass settings. */
export interface PassIdentity {
  passTypeId: string;
  teamId: string;
  /** `<PUBLIC_URL>/apple`: the PassKit web service. */
  webServiceUrl: string;
}

/** The labels and lock-screen messages, by pass.strings key. `{n}` is filled in per pass. */
const STRINGS: Record<PassLanguage, Record<string, string>> = {
  en: {
    stamps_label: 'Stamps',
    points_label: 'Points',
    balance_label: 'Balance',
    reward_label: 'Reward',
    rewards_ready_label: 'Ready',
    next_reward_label: 'Next reward',
    tier_label: 'Tier',
    member_label: 'Member',
    message_label: 'Message',
    referral_label: 'Invite a friend',
    ask_label: 'Your opinion',
    giving_label: 'Giving back',
    terms_label: 'Terms',
    address_label: 'Address',
    website_label: 'Website',
    card_label: 'Card number',
    stamps_change_to_go: '%@ — {n} to go!',
    stamps_change_last: '%@ — one more for your reward!',
    stamps_change_ready: 'Your reward is ready! Stamps: %@',
    points_change: 'You now have %@ points',
    balance_change: 'Your balance is now %@',
  },
  fr: {
    stamps_label: 'Tampons',
    points_label: 'Points',
    balance_label: 'Solde',
    reward_label: 'Récompense',
    rewards_ready_label: 'À utiliser',
    next_reward_label: 'Prochaine récompense',
    tier_label: 'Niveau',
    member_label: 'Membre',
    message_label: 'Message',
    referral_label: 'Parrainez un ami',
    ask_label: 'Votre avis',
    giving_label: 'Nous donnons',
    terms_label: 'Conditions',
    address_label: 'Adresse',
    website_label: 'Site web',
    card_label: 'Numéro de carte',
    stamps_change_to_go: '%@ — plus que {n} !',
    stamps_change_last: '%@ — encore un pour votre récompense !',
    stamps_change_ready: 'Votre récompense vous attend ! Tampons : %@',
    points_change: 'Vous avez maintenant %@ points',
    balance_change: 'Votre solde est maintenant de %@',
  },
};

type Field = {
  key: string;
  label?: string;
  value: string | number;
  changeMessage?: string;
  attributedValue?: string;
  currencyCode?: string;
};

/** `#3b2f2f` → `rgb(59, 47, 47)`: the only colour form Apple documents. */
export function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/**
 * The lock-screen message of the stamps field for this pass, as a pass.strings key (a
 * count-specific key, so "8 / 10 — 2 to go!" reads right in both languages).
 */
function stampsChangeKey(b: Extract<PassBalance, { kind: 'stamps' }>): { key: string; n?: number } {
  if (b.rewardsAvailable > 0) return { key: 'stamps_change_ready' };
  const toGo = b.required - b.stamps;
  return toGo === 1 ? { key: 'stamps_change_last' } : { key: `stamps_change_to_go_${toGo}`, n: toGo };
}

function frontFields(c: PassContent) {
  const b = c.balance;
  const member: Field = { key: 'member', label: 'member_label', value: c.memberName };
  switch (b.kind) {
    case 'stamps': {
      // Only the primary field (and the message) carry a changeMessage: when several fields
      // with one change at once, iOS shows a generic "card changed" instead.
      return {
        primary: [{ key: 'stamps', label: 'stamps_label', value: `${b.stamps} / ${b.required}`, changeMessage: stampsChangeKey(b).key }],
        secondary: [
          { key: 'reward', label: 'reward_label', value: b.rewardName },
          { key: 'rewards', label: 'rewards_ready_label', value: b.rewardsAvailable },
        ],
        auxiliary: [member],
      };
    }
    case 'points':
      return {
        primary: [{ key: 'points', label: 'points_label', value: b.points, changeMessage: 'points_change' }],
        secondary: [
          ...(b.tier ? [{ key: 'tier', label: 'tier_label', value: b.tier }] : []),
          ...(b.nextReward ? [{ key: 'next', label: 'next_reward_label', value: `${b.nextReward.name} (${b.nextReward.points})` }] : []),
        ],
        auxiliary: [member],
      };
    case 'cashback':
      return {
        primary: [
          { key: 'balance', label: 'balance_label', value: cashbackAmount(b), currencyCode: b.currency, changeMessage: 'balance_change' },
        ],
        secondary: [member],
        auxiliary: [],
      };
  }
}

function backFields(c: PassContent): Field[] {
  const fields: Field[] = [];
  // `%@` alone: the lock screen shows the message itself.
  if (c.message) fields.push({ key: 'message', label: 'message_label', value: c.message, changeMessage: '%@' });
  if (c.referralUrl) {
    fields.push({
      key: 'referral',
      label: 'referral_label',
      value: c.referralUrl,
      attributedValue: `<a href="${escapeHtml(c.referralUrl)}">${escapeHtml(c.referralUrl)}</a>`,
    });
  }
  if (c.askUrl) {
    fields.push({
      key: 'ask',
      label: 'ask_label',
      value: c.askUrl,
      attributedValue: `<a href="${escapeHtml(c.askUrl)}">${escapeHtml(c.askUrl)}</a>`,
    });
  }
  // No changeMessage: the total grows with every stamp of every member, silently.
  if (c.giving) fields.push({ key: 'giving', label: 'giving_label', value: c.giving });
  fields.push({ key: 'terms', label: 'terms_label', value: c.terms });
  if (c.address) fields.push({ key: 'address', label: 'address_label', value: c.address });
  if (c.websiteUrl) fields.push({ key: 'website', label: 'website_label', value: c.websiteUrl });
  fields.push({ key: 'card', label: 'card_label', value: c.serial });
  return fields;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** pass.json for a card. */
export function passJson(c: PassContent, id: PassIdentity): Record<string, unknown> {
  const front = frontFields(c);
  return {
    formatVersion: 1,
    passTypeIdentifier: id.passTypeId,
    teamIdentifier: id.teamId,
    serialNumber: c.serial,
    authenticationToken: c.authToken,
    webServiceURL: id.webServiceUrl,
    organizationName: c.organizationName,
    description: c.description,
    logoText: c.organizationName,
    backgroundColor: rgb(c.design.backgroundColor),
    foregroundColor: rgb(c.design.foregroundColor),
    labelColor: rgb(c.design.labelColor),
    // A loyalty card is the member's own: Wallet hides "Share".
    sharingProhibited: true,
    barcodes: [{ format: 'PKBarcodeFormatQR', message: c.serial, messageEncoding: 'iso-8859-1', altText: c.serial }],
    ...(c.locations.length > 0 && { locations: c.locations.slice(0, 10) }),
    storeCard: {
      primaryFields: front.primary,
      secondaryFields: front.secondary,
      auxiliaryFields: front.auxiliary,
      backFields: backFields(c),
    },
  };
}

/** A `pass.strings` file: `"key" = "value";` lines, UTF-8. */
export function passStrings(c: PassContent, language: PassLanguage): string {
  const strings = { ...STRINGS[language] };
  if (c.balance.kind === 'stamps') {
    const { key, n } = stampsChangeKey(c.balance);
    if (n !== undefined) strings[key] = strings.stamps_change_to_go!.replace('{n}', String(n));
  }
  delete strings.stamps_change_to_go;
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return Object.entries(strings)
    .map(([k, v]) => `${quote(k)} = ${quote(v)};\n`)
    .join('');
}

const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');

/** Letters NFKD does not take apart. */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i', þ: 'th', ð: 'd' };

/**
 * The file a card's pass is downloaded as, named after the shop: `ascii` a safe slug of the
 * business name ("Café Lune" → `cafe-lune.pkpass`; `loyalty-card.pkpass` when nothing of the name
 * is left), `utf8` the name itself without the characters a file name cannot hold ("Café
 * Lune.pkpass"), for the `filename*` of RFC 6266 (`server/http/headers.ts`, `attachment`).
 */
export function passFileName(organizationName: string): { ascii: string; utf8: string } {
  const slug = organizationName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[œæßøđłıþð]/g, (c) => LIGATURES[c]!)
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  const ascii = `${slug || 'loyalty-card'}.pkpass`;
  // Path separators, what Windows refuses (: * ? " < > |) and control characters; no leading dot.
  const name = Array.from(
    organizationName
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}/\\:*?"<>|]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^[.\s]+|[.\s]+$/g, ''),
  )
    .slice(0, 100)
    .join('')
    .trim();
  return { ascii, utf8: name ? `${name}.pkpass` : ascii };
}

/**
 * Builds the signed .pkpass: the files, `manifest.json` (the SHA-1 of every file) and its
 * detached CMS `signature`, in a stored zip. Images come from the (cached) renderer; the
 * RSA signature runs in libuv's thread pool, so the event loop only hashes and copies.
 */
export async function buildPass(c: PassContent, id: PassIdentity, certificates: AppleCertificates, images: PassImages): Promise<Buffer> {
  const [icon, logo, strip] = await Promise.all([
    images.icon(c.design),
    c.logo ? images.uploadedLogo(c.logo.png, c.logo.sha256) : images.logo(c.design),
    images.strip(c.design, stripState(c.balance)),
  ]);
  const files: [string, Uint8Array][] = [
    ['pass.json', Buffer.from(JSON.stringify(passJson(c, id)))],
    ['icon.png', icon['1x']],
    ['icon@2x.png', icon['2x']],
    ['icon@3x.png', icon['3x']],
    ['logo.png', logo['1x']],
    ['logo@2x.png', logo['2x']],
    ['logo@3x.png', logo['3x']],
    ['strip.png', strip['1x']],
    ['strip@2x.png', strip['2x']],
    ['strip@3x.png', strip['3x']],
    ['en.lproj/pass.strings', Buffer.from(passStrings(c, 'en'))],
    ['fr.lproj/pass.strings', Buffer.from(passStrings(c, 'fr'))],
  ];
  const manifest = Buffer.from(JSON.stringify(Object.fromEntries(files.map(([name, data]) => [name, sha1(data)]))));
  const signature = await signManifest(manifest, certificates.signer);
  return zipStored([...files, ['manifest.json', manifest], ['signature', signature]]);
}
