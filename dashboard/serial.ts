// A card's serial as staff meet it at the counter: typed, pasted, read aloud, or scanned from a QR code.

/** What a card serial looks like once typed or pasted: 26 base32 characters, lower-case. */
export const SERIAL = /^[a-z2-7]{26}$/;

/** Lower-case, no spaces: how a serial read aloud, pasted or typed in groups becomes one. */
export const normaliseSerial = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

/**
 * The serial in a scanned QR code: the code of a card or a pass holds the serial itself; a
 * link to a card (`…/cards/<serial>`, `…/<serial>.pkpass`) is read too. Anything else: null.
 */
export function serialFrom(text: string): string | null {
  const s = normaliseSerial(text);
  if (SERIAL.test(s)) return s;
  let path: string;
  try {
    path = new URL(text.trim()).pathname;
  } catch {
    return null;
  }
  const found = path.split('/').map((p) => p.replace(/\.[a-z]+$/, '').toLowerCase());
  return found.find((p) => SERIAL.test(p)) ?? null;
}
