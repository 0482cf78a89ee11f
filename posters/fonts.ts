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
  /** Their bytes, read once. */
  bytes: Record<FontName, Buffer>;
  /**
   * What each PDF registers (`doc.registerFont(name, source)`): the parsed font of the measuring
   * document, so that every PDF shares its tables and glyph caches (a PDF then takes ≈ 10 ms, not
   * ≈ 50 ms parsing the fonts again), else the bytes.
   */
  pdfSources: Record<FontName, PdfFontSource>;
  measure: Measure;
}

/** A font file's bytes, or a parsed font (fontkit's, which pdfkit takes as it is). */
export type PdfFontSource = Buffer | { layout: (...args: never[]) => unknown };

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
 * The fonts from the first folder of `dirs` holding both files, loaded once per process (the
 * files are about 1.4 MB together; reading and parsing them takes ≈ 150 ms). Throws `MissingFontError` when no folder
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
    const fonts = { files, bytes, ...measurer(bytes) };
    loaded.set(key, fonts);
    return fonts;
  }
  throw new MissingFontError(dirs);
}

/** The characters of French and English posters: shaped once when the fonts load. */
const WARM_UP =
  'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 àâäçéèêëîïôöùûüÿœæ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ ' +
  '.,;:!?\'’"«»()[]-–—=+%€$£&@/·…\u00a0\u202f';

/** Word widths kept (at 1000 pt), per process: enough for every poster of a busy server, yet bounded. */
const MAX_WIDTHS = 20_000;

/**
 * Widths from pdfkit's own text engine, measured on a document that is never written; and its
 * parsed fonts, for the PDFs to share. pdfkit shapes a line word by word (each word with the
 * space after it) and adds the widths up: `measure` does the same, with the words' widths in a
 * bounded cache of its own (pdfkit's cache, off here, would keep every word ever measured).
 * pdfkit keeps a document's font in `_font.font` (its fontkit font) and takes such an object in
 * `registerFont`; should a later pdfkit hide it, each PDF parses the bytes again (slower, the same
 * output).
 */
function measurer(bytes: Record<FontName, Buffer>): Pick<PosterFonts, 'measure' | 'pdfSources'> {
  const doc = new PDFDocument({ autoFirstPage: false, fontLayoutCache: false });
  doc.registerFont('regular', bytes.regular);
  doc.registerFont('bold', bytes.bold);
  // fontkit reads a font's tables (cmap, GSUB, GPOS kerning) and each glyph's data at the first
  // text that needs them: paid here, once, for the letters of French and English, rather than by
  // the first poster.
  for (const name of ['regular', 'bold'] as const) doc.font(name).widthOfString(WARM_UP);
  const parsed = (name: FontName): PdfFontSource => {
    const font = (doc.font(name) as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
    return typeof font?.layout === 'function' ? (font as PdfFontSource) : bytes[name];
  };
  const widths = new Map<string, number>();
  const wordWidth = (word: string, font: FontName): number => {
    const key = `${font}\u0000${word}`;
    let w = widths.get(key);
    if (w === undefined) {
      w = doc.font(font).fontSize(1000).widthOfString(word);
      if (widths.size >= MAX_WIDTHS) widths.delete(widths.keys().next().value!);
      widths.set(key, w);
    }
    return w;
  };
  return {
    measure: (text, font, size) => {
      let w = 0;
      for (const word of text.match(/[^ \t]*[ \t]|[^ \t]+$/g) ?? []) w += wordWidth(word, font);
      return (w * size) / 1000;
    },
    pdfSources: { regular: parsed('regular'), bold: parsed('bold') },
  };
}
