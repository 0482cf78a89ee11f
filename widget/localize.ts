// The string tables of the widget and the dashboard: each key holds its English and French
// text (or a function making it), and a language's strings are picked out once.

export type Locale = 'en' | 'fr';

/** `fr`, `fr-CA`, `FR` → 'fr'; anything else → 'en'. */
export const pickLocale = (tag: string): Locale => (/^fr\b/i.test(tag) ? 'fr' : 'en');

/** The strings of one language from a table of [English, French] pairs, built once per language. */
export function localize<T extends Record<string, readonly unknown[]>>(table: T) {
  const built: Partial<Record<Locale, { [K in keyof T]: T[K][0] }>> = {};
  return (locale: Locale) =>
    (built[locale] ??= Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[locale === 'fr' ? 1 : 0]])) as {
      [K in keyof T]: T[K][0];
    });
}
