// Colour arithmetic for the pass designer: WCAG contrast, and the strip's band colour as the
// real pass draws it (a mirror of `passes/images.ts`, which runs on the server only).

/** `#rrggbb`, the only form the program accepts. */
export const HEX = /^#[0-9a-fA-F]{6}$/;

function channels(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** Relative luminance 0..1 (sRGB, WCAG 2). */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21 (4.5 is the minimum for body text). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The WCAG AA minimum for normal text. */
export const MIN_CONTRAST = 4.5;

function mix(a: string, b: string, t: number): string {
  const x = channels(a);
  const y = channels(b);
  return (
    '#' +
    x
      .map((c, i) =>
        Math.round(c + (y[i]! - c) * t)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** The strip's band: the background a little lighter (dark cards) or darker (light cards), as `passes/images.ts` draws it. */
export function stripBackground(background: string): string {
  return luminance(background) < 0.35 ? mix(background, '#ffffff', 0.08) : mix(background, '#000000', 0.06);
}

/** Text Google Wallet would put on this background: it picks white or near-black itself. */
export function googleText(background: string): string {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#1f1f1f') ? '#ffffff' : '#1f1f1f';
}
