// The poster's two typefaces, DejaVu Sans and DejaVu Sans Bold, read from the system's font
// folder once: both formats embed the same files (pdfkit's registerFont, resvg's fontFiles), and
// the layout measures text with the same shaping the PDF is drawn with (pdfkit's fontkit, kerning
// and ligatures on, as resvg's rustybuzz does), so a line broken for one breaks alike in the other.
// DejaVu covers Latin with every accent, Greek and Cyrillic; a character outside it (an emoji, CJK)
// prints as an empty box in the PDF and is left out of the PNG.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

export type FontName = 'regular' | 'bold';

/** The family name inside the files: what SVG's `font-family` asks resvg for. */
export const FONT_FAMILY = 'DejaVu Sans';

export const FONT_FILES: Record<FontName, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/**
 * Where distributions put DejaVu: Debian and Ubuntu (`fonts-dejavu-core`), Fedora
 * (`dejavu-sans-fonts`), Arch (`ttf-dejavu`), Alpine (`font-dejavu`).
 */
export const FONT_DIRS: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/TTF',
  '/usr/share/fonts/dejavu',
];

/** A text's advance width in points at `size`, shaped as the PDF draws it. */
export type Measure = (text: string, font: FontName, size: number) => number;

export interface PosterFonts {
  /** The files, for resvg (it reads them itself). */
  files: Record<FontName, string>;
  /** Their bytes, for pdfkit (read once, not per document). */
  bytes: Record<FontName, Buffer>;
  measure: Measure;
}

/** The fonts are not installed where we look: the poster cannot be made on this machine. */
export class MissingFontError extends Error {
  constructor(readonly dirs: readonly string[]) {
    super(
      `The poster needs the DejaVu Sans fonts (${FONT_FILES.regular}, ${FONT_FILES.bold}) in one of ${dirs.join(', ')}; ` +
        'install them (Debian/Ubuntu: apt-get install fonts-dejavu-core).',
    );
    this.name = 'MissingFontError';
  }
}

const loaded = new Map<string, PosterFonts>();

/**
 * The fonts from the first folder of `dirs` holding both files, loaded once per process (a few
 * milliseconds: the files are about 1.4 MB together). Throws `MissingFontError` when no folder
 * has them, every time it is asked (installing the fonts fixes it without a restart).
 */
export function posterFonts(dirs: readonly string[] = FONT_DIRS): PosterFonts {
  const key = dirs.join('\n');
  const cached = loaded.get(key);
  if (cached) return cached;
  for (const dir of dirs) {
    const files = { regular: join(dir, FONT_FILES.regular), bold: join(dir, FONT_FILES.bold) };
    let bytes: Record<FontName, Buffer>;
    try {
      bytes = { regular: readFileSync(files.regular), bold: readFileSync(files.bold) };
    } catch {
      continue;
    }
    const fonts = { files, bytes, measure: measurer(bytes) };
    loaded.set(key, fonts);
    return fonts;
  }
  throw new MissingFontError(dirs);
}

/** Widths from pdfkit's own text engine: a document that is never written, kept for measuring. */
function measurer(bytes: Record<FontName, Buffer>): Measure {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.registerFont('regular', bytes.regular);
  doc.registerFont('bold', bytes.bold);
  return (text, font, size) => doc.font(font).fontSize(size).widthOfString(text);
}
