// The seed's plays as pure rules: what day it is where the shop is, when a birthday's gift is
// due (29 February included), whether the launch week runs, when a member has lapsed. The daily
// jobs (server/jobs/) and the services ask these; nothing here reads a clock or a database.
import type { Program } from './program.ts';

const DAY_MS = 86_400_000;

/** How many days a missed run catches up: a birthday while the server was down is given late, not never. */
export const CATCH_UP_DAYS = 7;

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** A YYYY-MM-DD date `days` days later (or earlier, negative), on the calendar. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The day a birthday (YYYY-MM-DD, any year) is celebrated in `year`: 29 February is 28 February in a non-leap year. */
export function birthdayIn(birthday: string, year: number): string {
  const md = birthday.slice(5, 10);
  const y = String(year).padStart(4, '0');
  return md === '02-29' && !isLeap(year) ? `${y}-02-28` : `${y}-${md}`;
}

/**
 * The birthday gift due on `today` for this birthday, if any: the year of the birthday it
 * celebrates (the effect's key: once a year) and the day it was due. It is due `daysBefore` days
 * before the birthday, and stays due for `CATCH_UP_DAYS` more days (a run missed while the
 * server was down). A birthday near New Year may be due in the year before its own.
 */
export function dueBirthday(birthday: string, today: string, daysBefore: number): { year: number; dueOn: string } | undefined {
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const dueOn = addDays(birthdayIn(birthday, y), -daysBefore);
    if (dueOn <= today && today <= addDays(dueOn, CATCH_UP_DAYS)) return { year: y, dueOn };
  }
  return undefined;
}

/**
 * The birthdays that may have a gift due on `today`, as (month × 100 + day, year of the
 * birthday): those due today and on the catch-up days before. In a non-leap year, 29 February
 * comes with 28 February.
 */
export function birthdaysDue(today: string, daysBefore: number): { monthDay: number; year: number }[] {
  const due = new Map<string, { monthDay: number; year: number }>();
  const add = (monthDay: number, year: number) => due.set(`${monthDay}:${year}`, { monthDay, year });
  for (let back = 0; back <= CATCH_UP_DAYS; back++) {
    const birthday = addDays(today, daysBefore - back);
    const year = Number(birthday.slice(0, 4));
    const monthDay = Number(birthday.slice(5, 7)) * 100 + Number(birthday.slice(8, 10));
    add(monthDay, year);
    if (monthDay === 228 && !isLeap(year)) add(229, year);
  }
  return [...due.values()];
}

/** The launch-week bonus while it runs at `now`: the amount and when it ends; null otherwise. */
export function launchBonusAt(program: Pick<Program, 'campaigns'>, now: Date): { amount: number; endsAt: string } | null {
  const l = program.campaigns.launchBonus;
  if (!l.enabled || !l.from || !l.to) return null;
  const t = now.getTime();
  return Date.parse(l.from) <= t && t < Date.parse(l.to) ? { amount: l.amount, endsAt: new Date(l.to).toISOString() } : null;
}

/**
 * A win-back is due for a member whose last visit (or joining, without a visit) is `days` days
 * old or more: the key of the lapse is that last visit, so a member who comes back and lapses
 * again is due again, and never twice for the same lapse.
 */
export function winBackDue(lastSeen: Date, now: Date, days: number): boolean {
  return now.getTime() - lastSeen.getTime() >= days * DAY_MS;
}
