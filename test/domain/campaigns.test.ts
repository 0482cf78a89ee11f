// The plays' pure rules: the shop's calendar day, a birthday's due day (29 February, days before,
// across New Year, the catch-up window), which birthdays a day looks for, the launch window's
// edges, a lapse, and which time zones a program may have.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { birthdaysDue, CATCH_UP_DAYS, dueBirthday, launchBonusAt, localDate, winBackDue } from '../../server/domain/campaigns.ts';
import { DEFAULT_CAMPAIGNS, defaultProgram, isTimeZone, programSchema } from '../../server/domain/program.ts';

describe('campaign rules', () => {
  test('localDate is the calendar day where the shop is', () => {
    const at = new Date('2027-06-09T22:30:00Z');
    assert.equal(localDate(at, 'Europe/Paris'), '2027-06-10');
    assert.equal(localDate(at, 'America/Montreal'), '2027-06-09');
    assert.equal(localDate(at, 'Pacific/Auckland'), '2027-06-10');
    assert.equal(localDate(at, 'UTC'), '2027-06-09');
  });

  test('dueBirthday: on the day, days before, caught up for a week, then not', () => {
    assert.deepEqual(dueBirthday('1990-03-15', '2027-03-15', 0), { year: 2027, dueOn: '2027-03-15' });
    assert.equal(dueBirthday('1990-03-15', '2027-03-14', 0), undefined);
    assert.deepEqual(dueBirthday('1990-03-15', '2027-03-12', 3), { year: 2027, dueOn: '2027-03-12' });
    assert.deepEqual(dueBirthday('1990-03-15', `2027-03-${15 + CATCH_UP_DAYS}`, 0), { year: 2027, dueOn: '2027-03-15' });
    assert.equal(dueBirthday('1990-03-15', `2027-03-${16 + CATCH_UP_DAYS}`, 0), undefined);
    // Across New Year: the 2 January birthday, 3 days before, is due on 30 December of the year before.
    assert.deepEqual(dueBirthday('2001-01-02', '2026-12-30', 3), { year: 2027, dueOn: '2026-12-30' });
  });

  test('29 February: on the 28th in a non-leap year, the 29th in a leap year (and 2100 is not one)', () => {
    assert.deepEqual(dueBirthday('2000-02-29', '2027-02-28', 0), { year: 2027, dueOn: '2027-02-28' });
    assert.equal(dueBirthday('2000-02-29', '2028-02-28', 0), undefined);
    assert.deepEqual(dueBirthday('2000-02-29', '2028-02-29', 0), { year: 2028, dueOn: '2028-02-29' });
    assert.deepEqual(dueBirthday('2000-02-29', '2100-02-28', 0), { year: 2100, dueOn: '2100-02-28' });
  });

  test('birthdaysDue: today and the catch-up days, with 29 February beside 28 February in a non-leap year', () => {
    const due = birthdaysDue('2027-03-02', 0);
    assert.equal(due.length, CATCH_UP_DAYS + 2);
    assert.ok(due.some((d) => d.monthDay === 229 && d.year === 2027));
    assert.ok(due.some((d) => d.monthDay === 302 && d.year === 2027));
    // In a leap year 29 February is a day of its own, looked for once.
    assert.equal(birthdaysDue('2028-03-01', 0).filter((d) => d.monthDay === 229).length, 1);
    assert.equal(birthdaysDue('2028-03-01', 0).length, CATCH_UP_DAYS + 1);
    assert.deepEqual(
      birthdaysDue('2026-12-30', 3).find((d) => d.monthDay === 102),
      { monthDay: 102, year: 2027 },
    );
  });

  test('launchBonusAt: from its start, until (not at) its end, and only when on', () => {
    const program = {
      campaigns: {
        ...DEFAULT_CAMPAIGNS,
        launchBonus: { enabled: true, amount: 2, from: '2027-03-01T00:00:00Z', to: '2027-03-08T00:00:00Z' },
      },
    };
    assert.equal(launchBonusAt(program, new Date('2027-02-28T23:59:59.999Z')), null);
    assert.deepEqual(launchBonusAt(program, new Date('2027-03-01T00:00:00Z')), { amount: 2, endsAt: '2027-03-08T00:00:00.000Z' });
    assert.equal(launchBonusAt(program, new Date('2027-03-08T00:00:00Z')), null);
    const off = { campaigns: { ...program.campaigns, launchBonus: { ...program.campaigns.launchBonus, enabled: false } } };
    assert.equal(launchBonusAt(off, new Date('2027-03-03T00:00:00Z')), null);
  });

  test('winBackDue: after the chosen days since the last visit', () => {
    const last = new Date('2027-01-01T10:00:00Z');
    assert.equal(winBackDue(last, new Date('2027-01-31T09:59:59Z'), 30), false);
    assert.equal(winBackDue(last, new Date('2027-01-31T10:00:00Z'), 30), true);
  });

  test('a program’s time zone is one the runtime knows; Europe/Paris by default', () => {
    assert.ok(isTimeZone('America/Montreal'));
    assert.ok(!isTimeZone('Mars/Olympus'));
    const p = defaultProgram('cafe', 'Café');
    assert.equal(p.timezone, 'Europe/Paris');
    assert.equal(programSchema.safeParse({ ...p, timezone: 'Mars/Olympus' }).success, false);
    const { timezone: _t, campaigns: _c, ...older } = p;
    const parsed = programSchema.parse(older);
    assert.equal(parsed.timezone, 'Europe/Paris', 'a program written before the campaigns');
    assert.deepEqual(parsed.campaigns, DEFAULT_CAMPAIGNS);
  });
});
