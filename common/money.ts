// Money as people read and type it, in their language: amounts are integer minor units of a
// currency (1250 = 12,50 €; 1250 = ¥1,250), written with `Intl.NumberFormat`. Numbers that are
// not money are in `numbers.ts`. Pure: no DOM.

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY); 2 when unknown. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount of minor units in a currency, for reading ("12,50 €", "¥1,250"); `sign` writes the
 * sign of a change ("+2,50 €", "-1,00 €"). A currency being typed ("EU") shows as its code.
 */
export function formatMoney(minor: number, currency: string, locale: string, sign = false): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, signDisplay: sign ? 'exceptZero' : 'auto' }).format(
      minor / 10 ** digits,
    );
  } catch {
    return `${moneyText(minor, digits, locale)} ${currency}`;
  }
}

/** Minor units as typed in an amount field: 150 → "1.50" in English, "1,50" in French; with 0 digits (JPY), "150". */
export function moneyText(minor: number, digits: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(
    minor / 10 ** digits,
  );
}

/**
 * What was typed in an amount field, in minor units: "1.5", "1,50", "1 000" → 150, 150, 100000
 * (either separator, spaces ignored); undefined if it is not an amount of at most `digits` decimals.
 */
export function parseMoney(text: string, digits: number): number | undefined {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  const m = new RegExp(`^(\\d+)(?:[.,](\\d{0,${digits}}))?$`).exec(t);
  if (!m || (digits === 0 && /[.,]/.test(t))) return undefined;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
}
