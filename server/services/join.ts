// A customer joins a program: the customer, the card, the signup bonus, a pending referral and
// the welcome mail, in one transaction.
import type { Queryable } from '../db/index.ts';
import { UNIQUE_VIOLATION, sqlState } from '../db/index.ts';
import { insertCard, lockMerchantCard, nextUpdatedAt, writeCardChange } from '../db/queries/cards.ts';
import { insertCustomer } from '../db/queries/customers.ts';
import { queueWelcomeMail } from '../db/queries/mail.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { getReferrerByCode, insertReferral } from '../db/queries/referrals.ts';
import { type CardLinks, cardLinks } from '../domain/links.ts';
import { launchBonusAt } from '../domain/campaigns.ts';
import { referralRefusal } from '../domain/referrals.ts';
import { creditBonus, EMPTY_BALANCES } from '../domain/rules.ts';
import { AppError } from '../errors.ts';
import { type CardView, cardView } from './cards.ts';
import { type Deps, nowOf } from './deps.ts';
import { newAuthToken, newReferralCode, newSerial } from './tokens.ts';
import { webhookEvent } from './webhooks.ts';
import { queueWebhookEvents } from '../db/queries/webhooks.ts';

export interface SignupInput {
  name: string;
  email: string;
  phone?: string;
  birthday?: string;
  locale?: string;
  marketingConsent: boolean;
  referralCode?: string;
}

/**
 * A customer joins a program: customer + card (CSPRNG serial and token), the signup bonus (and
 * the launch-week bonus while it runs), a pending referral when the code is another member's
 * (paid on the first stamp), and the welcome mail when this server sends e-mail.
 * Same email twice → `already_member`. Unknown codes are ignored, and so is the code of a member
 * with the same mailbox (`alice+1@…` using Alice's) or the same phone: the member joins, unreferred.
 */
export async function joinProgram(
  deps: Deps,
  program: Pick<ProgramRow, 'id' | 'merchant_id' | 'program'>,
  input: SignupInput,
): Promise<{ serial: string; card: CardView; links: CardLinks }> {
  const joined = await deps.db.transaction(async (tx) => {
    const merchantId = program.merchant_id;
    const inserted = await insertCustomer(tx, {
      merchantId,
      name: input.name,
      email: input.email,
      phone: input.phone ?? null,
      birthday: input.birthday ?? null,
      locale: input.locale ?? null,
      marketingConsent: input.marketingConsent,
    });
    if (!inserted) throw new AppError('already_member', 'This email is already a member. Your card is on its way back to you.');

    const referrer = input.referralCode ? await getReferrerByCode(tx, merchantId, input.referralCode) : undefined;
    const refused = referrer && referralRefusal(referrer, input);

    const serial = await insertUniqueCard(tx, { merchantId, programId: program.id, customerId: inserted.id });
    const card = (await lockMerchantCard(tx, merchantId, serial))!;
    if (referrer && !refused) {
      await insertReferral(tx, { merchantId, referrerCardId: referrer.card_id, refereeCardId: card.id });
    }
    const signup = creditBonus(program.program, EMPTY_BALANCES, 'signup_bonus', program.program.signupBonus);
    // Joined during the launch week (by the server's clock, now): its bonus on top.
    const launch = launchBonusAt(program.program, nowOf(deps));
    const extra = creditBonus(program.program, signup.balances, 'launch_bonus', launch?.amount ?? 0);
    const bonus = { entries: [...signup.entries, ...extra.entries], balances: extra.balances };
    let updatedAt = card.updated_at;
    // A new card has no pass on any phone yet: nothing to queue for the wallets.
    if (bonus.entries.length) {
      updatedAt = nextUpdatedAt(card.updated_at);
      await writeCardChange(tx, {
        card,
        currency: program.program.currency,
        actor: null,
        entries: bonus.entries,
        balances: bonus.balances,
        updatedAt,
      });
    }
    // The welcome mail goes out after the commit (the worker writes it from the card as it is then).
    if (deps.config.mail) await queueWelcomeMail(tx, { merchantId, customerId: inserted.id, cardId: card.id });
    const view = cardView({ ...card, updated_at: updatedAt }, bonus.balances, program.program);
    const customer = {
      id: inserted.id,
      name: input.name,
      email: input.email,
      phone: input.phone ?? null,
      birthday: input.birthday ?? null,
      marketingConsent: input.marketingConsent,
    };
    const hooks = await queueWebhookEvents(tx, merchantId, [
      webhookEvent('member.joined', { customerId: inserted.id, serial, customer, card: view }, inserted.id),
    ]);
    return { serial, card: view, hooks };
  });
  if (deps.config.mail || joined.hooks > 0) deps.outbox.wake();
  return { serial: joined.serial, card: joined.card, links: cardLinks(deps.config, joined.serial) };
}

/** Inserts the card; a (vanishingly unlikely) serial or code collision just draws again. */
async function insertUniqueCard(tx: Queryable, c: { merchantId: string; programId: string; customerId: string }): Promise<string> {
  for (;;) {
    const serial = newSerial();
    try {
      await tx.query('SAVEPOINT new_card');
      await insertCard(tx, { ...c, serial, authToken: newAuthToken(), referralCode: newReferralCode() });
      await tx.query('RELEASE SAVEPOINT new_card');
      return serial;
    } catch (err) {
      if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT new_card');
    }
  }
}
