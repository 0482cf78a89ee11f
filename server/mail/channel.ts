// The 'mail' outbox channel: each row is one mail to one member (welcome, card recovery, a
// marketing mail), written when it goes out from the member as they are then, and handed to the
// transport. Arrows run one way: channel → messages (what a mail says) → transport (SMTP, files).
import { memberLanguage } from '../../common/localize.ts';
import type { Config, MailConfig } from '../config.ts';
import type { Db } from '../db/index.ts';
import { getMailRows, type MailKind, type MailRow, type MarketingContent } from '../db/queries/mail.ts';
import type { OutboxRow } from '../db/queries/outbox.ts';
import { cardLinks } from '../domain/links.ts';
import { unsubscribeUrl } from '../domain/unsubscribe.ts';
import type { Delivery, OutboxChannel } from '../outbox/worker.ts';
import { type MailMember, marketingMail, type Message, recoveryMail, welcomeMail } from './messages.ts';
import type { MailTransport } from './transport.ts';

/**
 * The mail worker's settings (main.ts, the tests, the bench). The transport keeps 5 connections;
 * 20 mails in flight keep them busy, and even when the server stalls on each (a 30 s silence
 * each) they are done well within the lease, so no other worker takes them meanwhile. A worker
 * that dies leaves its mails to another after the lease: a few minutes, fine for e-mail.
 */
export const MAIL_WORKER = { maxInFlight: 20, leaseMs: 300_000 } as const;

export interface MailChannelOptions {
  /** The wallets this server issues: only their links go in the welcome mail. */
  wallets: { apple: boolean; google: boolean };
}

/**
 * The 'mail' channel. A row's target names the mail (`welcome:<customer>`, `recovery:<customer>`,
 * `marketing:<campaign>:<customer>`) and its card the member; a member erased since is gone, and
 * so is a marketing mail whose consent was withdrawn. The Message-ID is the row's, the same on
 * every attempt, so a mail sent twice (a worker that died after the server took it) reads as one.
 */
export class MailChannel implements OutboxChannel {
  readonly name = 'mail';
  readonly label = 'Mail';
  readonly #db: Db;
  readonly #transport: MailTransport;
  readonly #config: Pick<Config, 'publicUrl' | 'sessionSecret'> & { mail: MailConfig };
  readonly #wallets: MailChannelOptions['wallets'];
  /** Rows asked for in this tick, read together in one query. */
  #pending: Map<number, Waiter[]> | undefined;

  constructor(
    db: Db,
    transport: MailTransport,
    config: Pick<Config, 'publicUrl' | 'sessionSecret'> & { mail: MailConfig },
    options: MailChannelOptions,
  ) {
    this.#db = db;
    this.#transport = transport;
    this.#config = config;
    this.#wallets = options.wallets;
  }

  async deliver(row: OutboxRow): Promise<Delivery> {
    const kind = row.target.slice(0, row.target.indexOf(':')) as MailKind;
    const r = await this.#load(row.id);
    if (!r) return { status: 'gone', reason: 'no such member (erased?)' };
    const message = this.#message(kind, r);
    if (!message) return { status: 'gone', reason: kind === 'marketing' ? 'no marketing consent (withdrawn?)' : `no mail of kind ${kind}` };
    const domain = this.#config.mail.from.address.split('@')[1];
    return this.#transport.send({ ...message, from: this.#config.mail.from, messageId: `<${kind}.${row.id}@${domain}>` });
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  #message(kind: MailKind, r: MailRow): Message | undefined {
    const member: MailMember = {
      name: r.name,
      email: r.email,
      language: memberLanguage(r.customer_locale, r.program.locale),
      merchantName: r.merchant_name,
      programName: r.program.name,
    };
    const links = cardLinks(this.#config, r.serial);
    switch (kind) {
      case 'welcome':
        return welcomeMail(member, {
          page: links.page,
          ...(this.#wallets.apple && { applePass: links.applePass }),
          ...(this.#wallets.google && { googleSave: links.googleSave }),
        });
      case 'recovery':
        return recoveryMail(member, { page: links.page });
      case 'marketing': {
        // Consent is read now: a member who withdrew after the mail was queued gets nothing.
        if (!r.marketing_consent) return undefined;
        const content = r.payload as Partial<MarketingContent>;
        if (typeof content.subject !== 'string' || typeof content.text !== 'string') return undefined;
        return marketingMail(
          member,
          { subject: content.subject, text: content.text },
          unsubscribeUrl(this.#config, this.#config.sessionSecret, r.customer_id),
        );
      }
      default:
        return undefined;
    }
  }

  /** The member of a row; the rows asked for in the same tick are read in one query. */
  #load(rowId: number): Promise<MailRow | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.#pending;
      if (!batch) {
        const mine = new Map<number, Waiter[]>();
        batch = this.#pending = mine;
        setImmediate(() => {
          this.#pending = undefined;
          getMailRows(this.#db, [...mine.keys()]).then(
            (rows) => {
              const byId = new Map(rows.map((r) => [Number(r.row_id), r]));
              for (const [id, waiting] of mine) for (const w of waiting) w.resolve(byId.get(id));
            },
            (err: unknown) => {
              for (const waiting of mine.values()) for (const w of waiting) w.reject(err);
            },
          );
        });
      }
      const waiting = batch.get(rowId);
      if (waiting) waiting.push({ resolve, reject });
      else batch.set(rowId, [{ resolve, reject }]);
    });
  }
}

type Waiter = { resolve: (row: MailRow | undefined) => void; reject: (err: unknown) => void };
