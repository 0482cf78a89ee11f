// What the poster says besides the offer (common/offer.ts), in French and English: the line under
// the name and the three steps. Pure: plain data in, strings out (the layout measures them).
import { localize, type Locale } from '../common/localize.ts';

const strings = localize({
  kicker: ['Loyalty card', 'Carte de fidélité'],
  steps: [
    ['Scan the code with your phone’s camera', 'Join in a few seconds', 'Show your card at the counter'],
    ['Scannez le code avec l’appareil photo de votre téléphone', 'Inscrivez-vous en quelques secondes', 'Montrez votre carte au comptoir'],
  ],
});

/** The three steps: scan, join, show the card at the counter. */
export const steps = (locale: Locale): readonly string[] => strings(locale).steps;

/** The line under the name: what this poster is about. */
export const kicker = (locale: Locale): string => strings(locale).kicker.toLocaleUpperCase(locale);

/** The document's title: "Café Lune – Carte de fidélité". */
export const posterTitle = (name: string, locale: Locale): string => `${name} – ${strings(locale).kicker}`;
