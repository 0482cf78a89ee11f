// Whole UTC days and the periods of the KPIs: pure date arithmetic.

export const DAY_MS = 86_400_000;

/** The step of a KPI series. */
export type KpiBucket = 'day' | 'week' | 'month';

/** 'YYYY-MM-DD' → that UTC midnight. */
export const utcDay = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
const addYears = (d: Date, n: number): Date => {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + n);
  return r;
};

/** Day buckets up to 62 days, weeks (from Monday) up to 2 years, months beyond. */
export function kpiBucket(from: Date, toExclusive: Date): KpiBucket {
  if (toExclusive.getTime() - from.getTime() <= 62 * DAY_MS) return 'day';
  if (toExclusive <= addYears(from, 2)) return 'week';
  return 'month';
}

/** Longer explicit periods are refused (400), so that a series stays a few hundred points. */
export const MAX_PERIOD_YEARS = 5;

/** Whether from..to (inclusive) spans more than `MAX_PERIOD_YEARS` years. */
export function periodTooLong(from: string, to: string): boolean {
  return new Date(utcDay(to).getTime() + DAY_MS) > addYears(utcDay(from), MAX_PERIOD_YEARS);
}
