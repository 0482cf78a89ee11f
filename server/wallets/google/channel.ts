// The 'google' outbox channel: keeps every saved Google Wallet object at its card's latest
// state. Arrows run one way: channel → wallet (what an object shows) → client (the REST API).
import type { Db, Queryable } from '../../db/index.ts';
import {
  getGoogleCards,
  getGoogleClass,
  type GoogleCardRow,
  type GoogleObjectSent,
  recordGoogleClasses,
  recordGoogleMessage,
  recordGoogleObjects,
} from '../../db/queries/google.ts';
import type { OutboxRow } from '../../db/queries/outbox.ts';
import type { Delivery, OutboxChannel } from '../../outbox/worker.ts';
import { CLASS_OPTIONAL_FIELDS, type LoyaltyClass, messageOf, OBJECT_OPTIONAL_FIELDS } from '../../../passes/google/objects.ts';
import { accepted as ok, type ApiAnswer, changedFields, type GoogleWalletApi } from './client.ts';
import type { GoogleWallet } from './wallet.ts';

/** What an answer means for the outbox row. */
export function deliveryOf(a: ApiAnswer): Exclude<Delivery, { status: 'sent' }> {
  const reason = a.reason ?? `status ${a.status}`;
  if (a.status === 0 || a.status === 408 || a.status === 429 || a.status >= 500)
    return { status: 'retry', reason, ...(a.retryAfterMs !== undefined && { retryAfterMs: a.retryAfterMs }) };
  return { status: 'failed', reason };
}

/** What an erased member's Google Wallet object is patched to. */
export const ERASED_OBJECT = {
  state: 'EXPIRED',
  accountName: '',
  accountId: '',
  barcode: { type: 'QR_CODE', value: 'erased', alternateText: '' },
  textModulesData: [],
  linksModuleData: { uris: [] },
  messages: [],
} as const;

/** Google allows a pass 3 notifications a day. */
export const NOTIFICATIONS_PER_DAY = 3;

/**
 * The 'google' outbox channel: a row names a card (its serial) or a program's class
 * (`class:<merchant id>`). The card is read when the row is delivered, so the object always gets
 * the card's latest state; only the fields that changed since the last accepted update are sent.
 * A stamp updates the object silently; a new reward level notifies (`NOTIFY_ON_UPDATE`), and a
 * new merchant message is added with `TEXT_AND_NOTIFY` — within Google's 3 a day, after which
 * they go silently. 404 → the class and the object are inserted; 409 on insert → it exists.
 */
export class GoogleChannel implements OutboxChannel {
  readonly name = 'google';
  readonly label = 'Google Wallet';
  readonly logsDeliveries = true;
  readonly #db: Db;
  readonly #wallet: GoogleWallet;
  readonly #api: GoogleWalletApi;
  /** Serials asked for in this tick, read together in one query. */
  #pending: Map<string, Waiter[]> | undefined;

  constructor(db: Db, wallet: GoogleWallet, api: GoogleWalletApi) {
    this.#db = db;
    this.#wallet = wallet;
    this.#api = api;
  }

  async deliver(row: OutboxRow): Promise<Delivery> {
    if (row.target.startsWith('class:')) return this.#deliverClass(row.target.slice('class:'.length));
    if (row.target.startsWith('erase:')) return this.#erase(row.target.slice('erase:'.length));
    const card = await this.#load(row.target);
    if (!card || !card.offered) return { status: 'gone', reason: 'no such card (erased?)' };
    return this.#deliverObject(card);
  }

  async recordSent(tx: Queryable, sent: readonly { row: OutboxRow; record: unknown }[]): Promise<void> {
    const records = sent.map((s) => s.record as GoogleRecord | undefined).filter((r) => r !== undefined);
    await recordGoogleObjects(
      tx,
      records.filter((r) => r.kind === 'object').map((r) => r.object),
    );
    await recordGoogleClasses(
      tx,
      records.filter((r) => r.kind === 'class').map((r) => r.class),
    );
  }

  /** The card of a serial; the serials asked for in the same tick are read in one query. */
  #load(serial: string): Promise<GoogleCardRow | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.#pending;
      if (!batch) {
        const mine = new Map<string, Waiter[]>();
        batch = this.#pending = mine;
        setImmediate(() => {
          this.#pending = undefined;
          getGoogleCards(this.#db, [...mine.keys()]).then(
            (rows) => {
              const bySerial = new Map(rows.map((r) => [r.serial, r]));
              for (const [s, waiting] of mine) for (const w of waiting) w.resolve(bySerial.get(s));
            },
            (err: unknown) => {
              for (const waiting of mine.values()) for (const w of waiting) w.reject(err);
            },
          );
        });
      }
      const waiting = batch.get(serial);
      if (waiting) waiting.push({ resolve, reject });
      else batch.set(serial, [{ resolve, reject }]);
    });
  }

  async #deliverObject(card: GoogleCardRow): Promise<Delivery> {
    const w = this.#wallet;
    const { object, level } = w.objectFor(card);
    let notificationsLeft = NOTIFICATIONS_PER_DAY - card.notified_24h;

    // A new merchant message on an object Google has: added with a notification (recorded at
    // once, so a retry of the rest never notifies twice).
    const known = card.sent !== null;
    if (known && card.message && card.message_at && (!card.sent_message_at || card.message_at > card.sent_message_at)) {
      const notify = notificationsLeft > 0;
      const message = messageOf(card.merchant_name, card.message, card.message_at, notify ? 'TEXT_AND_NOTIFY' : 'TEXT');
      const a = await this.#api.addObjectMessage(object.id, message);
      if (ok(a)) {
        await recordGoogleMessage(this.#db, card.id, card.message_at, notify);
        if (notify) notificationsLeft--;
      } else if (a.status !== 404) return deliveryOf(a);
    }

    const changes = changedFields(card.sent, object, OBJECT_OPTIONAL_FIELDS);
    const record = (notified: boolean): Delivery => ({
      status: 'sent',
      record: {
        kind: 'object',
        object: {
          cardId: card.id,
          sent: object,
          version: card.version,
          level,
          notified,
          messageAt: object.messages.length ? card.message_at : null,
        },
      } satisfies GoogleRecord,
    });
    if (Object.keys(changes).length === 0) return record(false);
    // A new reward (or tier) notifies; a plain stamp does not (Google allows 3 a day).
    const milestone = card.sent_level !== null && level > card.sent_level && notificationsLeft > 0;
    if (milestone) changes.notifyPreference = 'NOTIFY_ON_UPDATE';
    const a = await this.#api.patchObject(object.id, changes);
    if (ok(a)) return record(milestone);
    if (a.status !== 404) return deliveryOf(a);
    // Not at Google (the save link's insert failed, or it was never made): insert it now.
    const inserted = await w.insertObject(this.#db, this.#api, card.merchant_id, object);
    if (inserted === 'gone') return { status: 'gone', reason: 'no such merchant' };
    return inserted === true ? record(false) : deliveryOf(inserted);
  }

  /**
   * An erased member's object: expired, and emptied of what named them (name, card number, the
   * QR code's serial, texts, links, messages). Not at Google: nothing to do.
   */
  async #erase(serial: string): Promise<Delivery> {
    const a = await this.#api.patchObject(this.#wallet.objectId(serial), ERASED_OBJECT);
    if (ok(a)) return { status: 'sent' };
    if (a.status === 404) return { status: 'gone', reason: 'the object is not at Google' };
    return deliveryOf(a);
  }

  async #deliverClass(merchantId: string): Promise<Delivery> {
    const source = await getGoogleClass(this.#db, merchantId);
    if (!source) return { status: 'gone', reason: 'no such merchant (deleted?)' };
    const cls = this.#wallet.classFor(source);
    const changes = changedFields(source.sent, cls, CLASS_OPTIONAL_FIELDS);
    const record: Delivery = { status: 'sent', record: { kind: 'class', class: { merchantId, sent: cls } } satisfies GoogleRecord };
    if (Object.keys(changes).length === 0) return record;
    // An approved class keeps "under review" on updates (Google refuses APPROVED from us).
    const a = await this.#api.patchClass(cls.id, { ...changes, reviewStatus: cls.reviewStatus });
    if (ok(a)) return record;
    if (a.status !== 404) return deliveryOf(a);
    const b = await this.#api.insertClass(cls);
    return ok(b) || b.status === 409 ? record : deliveryOf(b);
  }
}

type Waiter = { resolve: (row: GoogleCardRow | undefined) => void; reject: (err: unknown) => void };

type GoogleRecord = { kind: 'object'; object: GoogleObjectSent } | { kind: 'class'; class: { merchantId: string; sent: LoyaltyClass } };
