// Colour arithmetic for `#rrggbb` colours, shared by the server (the text on the merchant's
// colour, for the widget and the hosted pages), the pass designer (contrast warnings, the live preview) and the pass pictures
// (`passes/images.ts`): WCAG 2 luminance and contrast, and the strip's band colour. Pure: no DOM.

/** `#rrggbb`, the only form the program accepts. */
export const HEX = /^#[0-9a-fA-F]{6}$/;

/** The WCAG AA minimum contrast for normal text. */
export const MIN_CONTRAST = 4.5;

/** Relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white), as WCAG 2 defines it. */
export const luminance = (hex: string): number =>
  [0.2126, 0.7152, 0.0722].reduce((sum, weight, i) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return sum + weight * (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }, 0);

/** WCAG contrast ratio of two colours, 1 to 21 (`MIN_CONTRAST` is the minimum for body text). */
export function contrastRatio(a: string, b: string): number {
  const x = luminance(a) + 0.05;
  const y = luminance(b) + 0.05;
  return Math.max(x, y) / Math.min(x, y);
}

/**
 * The text colour for the merchant's background: their own text colour if it reaches AA contrast,
 * else black or white, whichever reads better. The widget (through the public API's
 * `colors.text`) and the hosted pages use it.
 */
export function readableOn(background: string, foreground: string): string {
  if (contrastRatio(background, foreground) >= MIN_CONTRAST) return foreground;
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

const channels = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** `a` moved towards `b` by `t` (0: a, 1: b), each channel rounded. */
export function mix(a: string, b: string, t: number): string {
  const y = channels(b);
  const hex = (c: number) => Math.round(c).toString(16).padStart(2, '0');
  const mixed = channels(a).map((c, i) => hex(c + (y[i]! - c) * t));
  return `#${mixed.join('')}`;
}

/** The pass strip's band: the card background a little lighter (dark cards) or darker (light cards). */
export function stripBackground(background: string): string {
  return luminance(background) < 0.35 ? mix(background, '#ffffff', 0.08) : mix(background, '#000000', 0.06);
}

/** The text Google Wallet puts on a background: it picks white or near-black itself. */
export function googleText(background: string): string {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#1f1f1f') ? '#ffffff' : '#1f1f1f';
}
