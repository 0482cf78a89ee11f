// The language a request is answered in: problem details and field messages follow the
// request's `Accept-Language` (fr, en; English by default), whoever sends it: the dashboard,
// the widget, an API user. See `messages.ts` for fidelio's own texts and `validate.ts` for zod's.
import type { Context } from 'hono';
import { z } from 'zod';
import { type Locale, LOCALES } from '../../common/localize.ts';

/** One range of an Accept-Language header: `fr-CA;q=0.8` → { tag: 'fr-ca', q: 0.8 }. */
function ranges(header: string): { tag: string; q: number }[] {
  const out: { tag: string; q: number }[] = [];
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.split(';').map((s) => s.trim());
    if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/i.test(tag)) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.exec(p);
      // A malformed weight makes the range unreadable: skipped, not taken at full weight.
      if (/^q\s*=/i.test(p)) q = m ? Number(m[1]) : -1;
    }
    if (q >= 0) out.push({ tag: tag.toLowerCase(), q });
  }
  return out;
}

/**
 * The language of an `Accept-Language` header (RFC 9110 §12.5.4): of the ones fidelio speaks, the
 * one the client weighs highest (`fr-CA` counts for `fr`, `*` for any language not named; `q=0`
 * refuses one); on a tie the one named first; English when none is acceptable or there is no header.
 */
export function acceptedLanguage(header: string | undefined): Locale {
  if (!header) return 'en';
  const rs = ranges(header);
  const star = rs.findIndex((r) => r.tag === '*');
  let best: { locale: Locale; q: number; at: number } = { locale: 'en', q: 0, at: Infinity };
  for (const locale of LOCALES) {
    const named = rs.map((r, at) => ({ ...r, at })).filter((r) => r.tag === locale || r.tag.startsWith(`${locale}-`));
    // A language named several times (fr, fr-CA) takes its heaviest weight; one not named, that of `*`.
    const own = named.length ? named.reduce((a, b) => (b.q > a.q ? b : a)) : star >= 0 ? { ...rs[star]!, at: star } : undefined;
    if (own && own.q > 0 && (own.q > best.q || (own.q === best.q && own.at < best.at))) best = { locale, q: own.q, at: own.at };
  }
  return best.locale;
}

/** The language a request is answered in. */
export const requestLanguage = (c: Context): Locale => acceptedLanguage(c.req.header('accept-language'));

/**
 * zod's own messages ("Too small: expected number to be >=1") in a language, as a per-parse error
 * map (`schema.safeParse(value, { error })`): never a global switch, since requests in different
 * languages are parsed at the same time. A schema's own message outranks it (see `messages.ts`).
 */
const ZOD_ERRORS: Record<Locale, z.core.$ZodErrorMap> = { en: z.locales.en().localeError, fr: z.locales.fr().localeError };

export const zodErrors = (language: Locale): z.core.$ZodErrorMap => ZOD_ERRORS[language];
