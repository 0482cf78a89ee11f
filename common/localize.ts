// The languages fidelio speaks, and the string tables of the widget and the dashboard: each key
// holds its English and French text (or a function making it), and a language's strings are
// picked out once. No DOM and no Lit here: the server imports this module too.

/** Every language of the widget, the dashboard and the passes, in the order of a table's entries. */
export const LOCALES = ['en', 'fr'] as const;

export type Locale = (typeof LOCALES)[number];

/** `fr`, `fr-CA`, `FR` → 'fr'; anything else → 'en'. */
export const pickLocale = (tag: string): Locale => (/^fr\b/i.test(tag) ? 'fr' : 'en');

/**
 * The language of a member's pass and messages: their own locale when they gave one (`fr…`
 * → 'fr', any other → 'en'), else the program's.
 */
export function memberLanguage(customerLocale: string | null, programLocale: Locale): Locale {
  if (!customerLocale) return programLocale;
  return customerLocale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The strings of one language from a table of [English, French] pairs, built once per language. */
export function localize<T extends Record<string, readonly unknown[]>>(table: T) {
  const built: Partial<Record<Locale, { [K in keyof T]: T[K][0] }>> = {};
  return (locale: Locale) =>
    (built[locale] ??= Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[locale === 'fr' ? 1 : 0]])) as {
      [K in keyof T]: T[K][0];
    });
}
