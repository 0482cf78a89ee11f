// Google Wallet for this deployment: the class and object of a card (from its neutral pass
// content), the save links and the hero images. Calls Google through `client.ts`; never the
// outbox (`channel.ts` calls this, not the other way).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { passLocations, stripState } from '../../../passes/content.ts';
import { devServiceAccount, SAVE_LINK_MAX, type SavePayload, saveLink, type Signer, signerFor } from '../../../passes/google/jwt.ts';
import {
  CLASS_OPTIONAL_FIELDS,
  classId,
  heroStateName,
  type LoyaltyClass,
  type LoyaltyObject,
  loyaltyClass,
  loyaltyObject,
  milestoneLevel,
  OBJECT_OPTIONAL_FIELDS,
  objectId,
  parseHeroStateName,
  rulesModule,
  savePayloads,
} from '../../../passes/google/objects.ts';
import type { PassDesign, PassImages } from '../../../passes/images.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import {
  getGoogleClass,
  type GoogleCardRow,
  type GoogleClassRow,
  offerGoogleObject,
  queueGoogleClass,
  queueGoogleObject,
  recordGoogleClasses,
  recordGoogleObjects,
} from '../../db/queries/google.ts';
import type { Program } from '../../domain/program.ts';
import { passContent } from '../content.ts';
import { accepted, type ApiAnswer, changedFields, type GoogleApiOptions, GoogleWalletApi } from './client.ts';

/** The save link waits this long for Google at most, then hands out a link with the object in it. */
const LINK_TIMEOUT_MS = 4000;
/** After a save link that carried the object, the full object follows this much later. */
const FOLLOW_UP_MS = 60_000;

/**
 * Google Wallet for this deployment: the ids, the class and object of a card, the save links
 * (signed by the service account) and the hero images. `api` is null when nothing is sent to
 * Google (no service account: development signs links with a generated key).
 */
export class GoogleWallet {
  constructor(
    readonly config: Config,
    readonly signer: Signer,
    readonly images: PassImages,
    readonly api: GoogleWalletApi | null,
    readonly log: (line: string) => void = console.warn,
  ) {}

  classId = (merchantId: string) => classId(this.config.google.issuerId, merchantId);
  objectId = (serial: string) => objectId(this.config.google.issuerId, serial);

  /** An image this server serves for the merchant's design: a new design or state is a new URL. */
  imageUrl(merchantId: string, design: PassDesign, name: string): string {
    return `${this.config.publicUrl}/passes/google/images/${merchantId}/${designKey(design)}-${name}.png`;
  }

  logoUrl(merchantId: string, program: Program): string {
    return program.design.logoUrl ?? this.imageUrl(merchantId, program.design, 'logo');
  }

  /** The card's object, and its milestone level (rewards and tiers reached: a new one notifies). */
  objectFor(card: GoogleCardRow): { object: LoyaltyObject; level: number } {
    const content = passContent(this.config, card);
    const object = loyaltyObject(content, {
      classId: this.classId(card.merchant_id),
      objectId: this.objectId(card.serial),
      logoUrl: this.logoUrl(card.merchant_id, card.program),
      heroUrl: this.imageUrl(card.merchant_id, content.design, heroStateName(stripState(content.balance))),
      messageAt: card.message_at,
    });
    return { object, level: milestoneLevel(content, card.program) };
  }

  classFor(source: Pick<GoogleClassRow, 'merchant_id' | 'merchant_name' | 'program'>): LoyaltyClass {
    const p = source.program;
    return loyaltyClass(
      {
        organizationName: source.merchant_name,
        description: p.name,
        shortName: p.shortName,
        design: p.design,
        websiteUrl: p.websiteUrl,
        address: p.address,
        locations: passLocations(p.locations),
      },
      { classId: this.classId(source.merchant_id), logoUrl: this.logoUrl(source.merchant_id, p) },
      rulesModule(p, p.locale),
      p.locale,
    );
  }

  /**
   * The "Add to Google Wallet" URL of a card. With a service account,
   * the class and object are inserted first and the JWT names them (short); the card is marked
   * so that its changes update the object. Without one, the JWT carries them in full (nothing
   * is sent to Google: development); when Google does not answer in time, as much of them as
   * fits in a link (`savePayloads`), and Google inserts them when the member saves.
   */
  async saveUrl(db: Db, card: GoogleCardRow): Promise<string> {
    const { object, level } = this.objectFor(card);
    const origins = [...new Set([this.config.publicOrigin, ...card.program.allowedOrigins])];
    const cls = this.classFor(card);
    const full: SavePayload = { loyaltyClasses: [cls], loyaltyObjects: [object] };
    if (!this.api) return saveLink(this.signer, full, origins);
    const reference: SavePayload = { loyaltyObjects: [{ id: object.id, classId: object.classId }] };

    // First, so that a change from now on queues an update (even while the insert is out).
    await offerGoogleObject(db, card.id);
    if (card.sent === null) {
      const inserted = await this.insertObject(db, this.api, card.merchant_id, object, LINK_TIMEOUT_MS);
      if (inserted !== true) {
        // The link carries what the card's face needs (a full one would be too long for a
        // browser); updates complete the object and the class a little later, once the member
        // saved it (the class's one a no-op if the class did reach Google).
        this.log(
          `[fidelio] Google Wallet: could not insert object ${object.id}, the save link carries it: ${inserted === 'gone' ? 'no such merchant' : (inserted.reason ?? inserted.status)}`,
        );
        await queueGoogleObject(db, card.id, FOLLOW_UP_MS);
        await queueGoogleClass(db, card.merchant_id, FOLLOW_UP_MS);
        // The logo at one of this server's short URLs: the uploaded one, else the drawn mark.
        const logo = this.logoUrl(card.merchant_id, card.program);
        const shortLogo = logo.startsWith(`${this.config.publicUrl}/`)
          ? logo
          : this.imageUrl(card.merchant_id, card.program.design, 'logo');
        const carried = savePayloads(cls, object, shortLogo).map((p) => ({
          loyaltyClasses: [p.loyaltyClass],
          loyaltyObjects: [p.loyaltyObject],
        }));
        const link = await this.#fitting(carried, origins);
        if (link) return link;
        // Not even the least fits (a PUBLIC_URL of hundreds of characters): the link names the
        // object, which the queued update inserts.
        this.log(`[fidelio] Google Wallet: the save link of ${object.id} cannot carry it in ${SAVE_LINK_MAX} characters; it names it only`);
        return saveLink(this.signer, reference, origins.slice(0, 1));
      }
      const messageAt = object.messages.length ? card.message_at : null;
      await recordGoogleObjects(db, [{ cardId: card.id, sent: object, version: card.version, level, notified: false, messageAt }]);
    }
    return (await this.#fitting([reference], origins)) ?? saveLink(this.signer, reference, origins.slice(0, 1));
  }

  /**
   * The link of the first of `payloads` that fits in SAVE_LINK_MAX (browsers may cut a longer
   * one), whatever the merchant and the member typed: the first with every origin; then each
   * with this server's origin only (only Google's JavaScript button needs the program's own;
   * our links are redirects). Undefined when none fits.
   */
  async #fitting(payloads: readonly SavePayload[], origins: readonly string[]): Promise<string | undefined> {
    const tries = [{ payload: payloads[0]!, origins }, ...payloads.map((payload) => ({ payload, origins: origins.slice(0, 1) }))];
    for (const t of tries) {
      const link = await saveLink(this.signer, t.payload, t.origins);
      if (link.length <= SAVE_LINK_MAX) return link;
    }
    return undefined;
  }

  /**
   * Inserts the object, and its class first if Google may not have it. 409 (it exists) is
   * fine: the resource is then PATCHed to what it should show. True, 'gone' when the merchant
   * is, or Google's answer that refused it.
   */
  async insertObject(
    db: Db,
    api: GoogleWalletApi,
    merchantId: string,
    object: LoyaltyObject,
    timeoutMs?: number,
  ): Promise<true | 'gone' | ApiAnswer> {
    const source = await getGoogleClass(db, merchantId);
    if (!source) return 'gone';
    if (source.sent === null) {
      const cls = this.classFor(source);
      let a = await api.insertClass(cls, timeoutMs);
      if (a.status === 409)
        a = await api.patchClass(cls.id, { ...changedFields(null, cls, CLASS_OPTIONAL_FIELDS), reviewStatus: cls.reviewStatus }, timeoutMs);
      if (!accepted(a)) return a;
      await recordGoogleClasses(db, [{ merchantId, sent: cls }]);
    }
    let b = await api.insertObject(object, timeoutMs);
    if (b.status === 409) b = await api.patchObject(object.id, changedFields(null, object, OBJECT_OPTIONAL_FIELDS), timeoutMs);
    return accepted(b) ? true : b;
  }

  /**
   * A hero or logo image (`<design key>-<state>.png`, 3x) of this design; undefined for another
   * design or a name `heroStateName` does not give (nothing else is rendered).
   */
  async image(design: PassDesign, file: string): Promise<Buffer | undefined> {
    const m = /^([0-9a-f]{12})-([a-z0-9]{1,16})\.png$/.exec(file);
    if (!m || designKey(design) !== m[1]) return undefined;
    if (m[2] === 'logo') return (await this.images.logo(design))['3x'];
    const state = parseHeroStateName(m[2]!);
    return state ? (await this.images.strip(design, state))['3x'] : undefined;
  }
}

/** A short hash of the colours: part of every image URL, so a new design is a new URL. */
function designKey(d: PassDesign): string {
  return createHash('sha256').update(`${d.backgroundColor}${d.foregroundColor}${d.labelColor}`.toLowerCase()).digest('hex').slice(0, 12);
}

/**
 * Google Wallet as configured: the service account from GOOGLE_SERVICE_ACCOUNT, which signs the
 * links and the token requests; without it, in development, a key generated in
 * `DATA_DIR/google` signs the links and nothing is sent to Google; in production, none (null).
 */
export async function openGoogleWallet(
  config: Config,
  images: PassImages,
  log?: (line: string) => void,
  /** Overrides of the REST client's settings (tests: a short timeout). */
  apiOptions: Pick<GoogleApiOptions, 'requestTimeoutMs' | 'maxConcurrent'> = {},
): Promise<GoogleWallet | null> {
  const account = config.google.serviceAccount;
  if (!account && config.env === 'production') return null;
  const signer = account ? await signerFor(account) : await signerFor(devServiceAccount(join(config.dataDir, 'google')), 'development');
  const api = account ? new GoogleWalletApi({ api: config.google.api, tokenUrl: config.google.tokenUrl, signer, ...apiOptions }) : null;
  return new GoogleWallet(config, signer, images, api, log);
}
