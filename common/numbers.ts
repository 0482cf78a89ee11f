// Numbers that are not money (a multiplier, a percentage, a number of stamps) as people type
// them in a field, in their language: "1.5" in English, "1,5" in French. Money is `money.ts`.
// Pure: no DOM.

/** The decimal separator of a language: "." in English, "," in French. */
export function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/** A number as typed in a field: 1.5 → "1,5" in French. */
export function numberText(value: number, locale: string): string {
  const [whole, fraction] = String(value).split('.');
  return fraction === undefined ? whole! : `${whole}${decimalSeparator(locale)}${fraction}`;
}

/** A number as typed ("1.5", "1,5", ".5"); `integer`: digits only. Undefined if it is not one. */
export function parseNumber(text: string, integer = false): number | undefined {
  const m = /^(\d*)(?:[.,](\d+))?$/.exec(text.trim());
  if (!m || !(m[1] || m[2]) || (integer && (m[2] !== undefined || !m[1]))) return undefined;
  return Number(`${m[1] || 0}.${m[2] ?? 0}`);
}
