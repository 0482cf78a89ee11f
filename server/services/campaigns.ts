// The daily plays: birthday gifts and win-back messages, and the tiers recomputed from their
// rolling window (a tier that is not earned again drops). Each batch of members is one
// transaction that locks their cards, records each effect under its unique key (card, kind,
// year or lapse) and only then gives the gift, writes the pass's message and queues the passes'
// updates and the mails — so two processes, a restart or a run killed half-way never give a
// birthday twice, and a run missed while the server was down catches up (domain/campaigns.ts).
import { memberLanguage } from '../../common/localize.ts';
import { birthdayMessage, campaignSubject, type GiftWords, winBackMessage } from '../../common/campaign-text.ts';
import { unitOf } from '../../common/offer.ts';
import type { Queryable } from '../db/index.ts';
import {
  birthdayCandidates,
  claimEffects,
  type DailyProgram,
  type EffectKind,
  lockCards,
  type PlayCandidate,
  programsWithDailyPlays,
  programsWithTiers,
  queueCampaignMails,
  setCardNotes,
  spendsSince,
  tierSpends,
  winBackCandidates,
} from '../db/queries/campaigns.ts';
import { balancesOf, type CardRow, nextUpdatedAt, writeCardChange } from '../db/queries/cards.ts';
import { queueCardUpdates } from '../db/queries/outbox.ts';
import { cardPageUrl } from '../domain/links.ts';
import { birthdaysDue, dueBirthday, localDate } from '../domain/campaigns.ts';
import type { Gift, Program } from '../domain/program.ts';
import { creditBonus, EMPTY_BALANCES, recomputeTier, TIER_WINDOW_MS } from '../domain/rules.ts';
import { type Deps, nowOf } from './deps.ts';

const DAY_MS = 86_400_000;

/** What one run did. */
export interface DailyRun {
  /** Programs with a daily play on. */
  programs: number;
  birthdays: number;
  winBacks: number;
  /** Cards whose tier the rolling window changed. */
  tiers: number;
}

export interface DailyOptions {
  /** Members per transaction (default 200). */
  batchSize?: number;
  /** Called inside each batch's transaction, after its writes: a test throws here to kill a run half-way. */
  inBatch?: (kind: EffectKind, cards: number) => void | Promise<void>;
}

/**
 * Runs the daily plays of every program that has one on, for "today" by the services' clock in
 * each program's time zone. Safe to run at any time, as often as wanted, by several processes.
 */
export async function runDailyPlays(deps: Deps, opts: DailyOptions = {}): Promise<DailyRun> {
  const now = nowOf(deps);
  const run: DailyRun = { programs: 0, birthdays: 0, winBacks: 0, tiers: 0 };
  for (const p of await programsWithDailyPlays(deps.db)) {
    run.programs++;
    if (p.program.campaigns.birthday.enabled) run.birthdays += await giveBirthdays(deps, p, now, opts);
    if (p.program.campaigns.winBack.enabled) run.winBacks += await sendWinBacks(deps, p, now, opts);
  }
  for (const p of await programsWithTiers(deps.db)) run.tiers += await recomputeTiers(deps, p, now, opts);
  if (run.birthdays + run.winBacks + run.tiers > 0) deps.outbox.wake();
  return run;
}

/**
 * The tiers of a program's cards from the spend of the rolling window ending `now`, as a
 * purchase would set them (domain `recomputeTier`): a card whose tier changes gets a
 * `tier_change` entry and its passes an update. The cards are picked from a read without locks,
 * then each batch locks its cards and reads their spend again, so a purchase in between is
 * counted. Returns how many cards changed tier; a run again finds nothing to change.
 */
async function recomputeTiers(deps: Deps, p: DailyProgram, now: Date, opts: DailyOptions): Promise<number> {
  const { program } = p;
  const since = new Date(now.getTime() - TIER_WINDOW_MS);
  const due = (await tierSpends(deps.db, p.merchant_id, since))
    .filter((c) => recomputeTier(program, { ...EMPTY_BALANCES, tier: c.tier }, c.spend).tierChanged)
    .map((c) => c.card_id);
  const size = opts.batchSize ?? 200;
  let changed = 0;
  for (let i = 0; i < due.length; i += size) {
    changed += await deps.db.transaction(async (tx) => {
      const cards = await lockCards(tx, due.slice(i, i + size));
      const spends = await spendsSince(
        tx,
        cards.map((c) => c.id),
        since,
      );
      const written: string[] = [];
      for (const card of cards) {
        const r = recomputeTier(program, balancesOf(card), spends.get(card.id) ?? 0);
        if (!r.tierChanged) continue;
        await writeCardChange(tx, {
          card,
          currency: program.currency,
          actor: null,
          entries: r.entries,
          balances: r.balances,
          updatedAt: nextUpdatedAt(card.updated_at),
        });
        written.push(card.id);
      }
      await queueCardUpdates(tx, written);
      return written.length;
    });
  }
  return changed;
}

/** A member a play reaches, with the effect's key and the message for them. */
interface Play extends PlayCandidate {
  key: string;
}

function giftWords(program: Program, gift: Gift): GiftWords {
  return gift.kind === 'bonus' ? { kind: 'bonus', amount: unitOf(program, gift.amount) } : gift;
}

async function giveBirthdays(deps: Deps, p: DailyProgram, now: Date, opts: DailyOptions): Promise<number> {
  const { program } = p;
  const config = program.campaigns.birthday;
  const today = localDate(now, program.timezone);
  const due: Play[] = [];
  for (const c of await birthdayCandidates(deps.db, p.merchant_id, birthdaysDue(today, config.daysBefore))) {
    const d = dueBirthday(c.birthday, today, config.daysBefore);
    // A member who joined after the gift's day waits for next year.
    if (d && localDate(c.card_created_at, program.timezone) <= d.dueOn) due.push({ ...c, key: String(d.year) });
  }
  const gift = giftWords(program, config.gift);
  return playInBatches(deps, p, 'birthday', due, opts, async (tx, card, member) => {
    if (config.gift.kind === 'bonus') {
      const credited = creditBonus(program, balancesOf(card), 'birthday_bonus', config.gift.amount);
      await writeCardChange(tx, {
        card,
        currency: program.currency,
        actor: null,
        entries: credited.entries,
        balances: credited.balances,
        updatedAt: nextUpdatedAt(card.updated_at),
      });
    }
    const language = memberLanguage(card.customer_locale, program.locale);
    const text = birthdayMessage(language, { name: member.name, gift, message: config.message });
    return { text, subject: campaignSubject(language, 'birthday', p.merchant_name), campaign: `birthday-${member.key}` };
  });
}

async function sendWinBacks(deps: Deps, p: DailyProgram, now: Date, opts: DailyOptions): Promise<number> {
  const { program } = p;
  const config = program.campaigns.winBack;
  const lapsed = await winBackCandidates(deps.db, p.merchant_id, new Date(now.getTime() - config.days * DAY_MS));
  const due = lapsed.map((c) => ({ ...c, key: c.lapse }));
  return playInBatches(deps, p, 'win_back', due, opts, async (_tx, card, member) => {
    const language = memberLanguage(card.customer_locale, program.locale);
    const text = winBackMessage(language, { name: member.name, shop: p.merchant_name, message: config.message });
    return { text, subject: campaignSubject(language, 'win_back', p.merchant_name), campaign: `win-back-${member.key}` };
  });
}

/** What a play says to one member: the pass's message, and the mail's subject and campaign name. */
interface Said {
  text: string;
  subject: string;
  campaign: string;
}

/**
 * The members in batches, one transaction each: lock the cards (an erased one is skipped),
 * record the effects, and for each new one apply the play (`give`), set the pass's message, queue
 * the passes' updates and, with marketing consent, the mail. Returns how many were reached.
 */
async function playInBatches(
  deps: Deps,
  p: DailyProgram,
  kind: EffectKind,
  members: readonly Play[],
  opts: DailyOptions,
  give: (tx: Queryable, card: CardRow, member: Play) => Promise<Said>,
): Promise<number> {
  const size = opts.batchSize ?? 200;
  let reached = 0;
  for (let i = 0; i < members.length; i += size) {
    const batch = new Map(members.slice(i, i + size).map((m) => [m.card_id, m]));
    reached += await deps.db.transaction(async (tx) => {
      const cards = await lockCards(tx, [...batch.keys()]);
      const fresh = await claimEffects(
        tx,
        p.merchant_id,
        kind,
        cards.map((c) => ({ cardId: c.id, key: batch.get(c.id)!.key })),
      );
      const notes: { cardId: string; text: string }[] = [];
      const mails: Parameters<typeof queueCampaignMails>[2][number][] = [];
      for (const card of cards) {
        if (!fresh.has(card.id)) continue;
        const member = batch.get(card.id)!;
        const said = await give(tx, card, member);
        notes.push({ cardId: card.id, text: said.text });
        if (member.marketing_consent && deps.config.mail) {
          const text = `${said.text}\n\n${cardPageUrl(deps.config, card.serial)}`;
          mails.push({ cardId: card.id, customerId: member.customer_id, campaign: said.campaign, subject: said.subject, text });
        }
      }
      await setCardNotes(tx, notes);
      await queueCardUpdates(
        tx,
        notes.map((n) => n.cardId),
      );
      await queueCampaignMails(tx, p.merchant_id, mails);
      await opts.inBatch?.(kind, notes.length);
      return notes.length;
    });
  }
  return reached;
}
