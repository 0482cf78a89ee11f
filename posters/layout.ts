// The poster's layout, computed once from plain data: every position, wrapped line and font size,
// in points on the page, for pdf.ts and png.ts to draw alike.
//
// A4, portrait (A5 is the same drawing scaled by 1/√2):
//   a band in the merchant's background colour: the logo, the name and "LOYALTY CARD" beside it,
//     centred as a group; a long name shrinks (36 → 18 pt) and wraps to two lines, three at the
//     smallest size, and is cut with "…" beyond;
//   the offer in one sentence (bold), the signup bonus under it;
//   the QR code of the join page, 12 cm a side, with 4 modules of white around it that nothing
//     enters, then the join page's address for those who type it;
//   three numbered steps in columns; a thin band of the background colour at the foot.
// The code's size is fixed; when everything does not fit, the texts shrink a step and the whole is
// laid out again, so nothing ever overlaps the code or leaves the page.
import { contrastRatio } from '../common/colour.ts';
import type { Locale } from '../common/localize.ts';
import type { Measure } from './fonts.ts';
import { cleanText, Metrics, type TextBlock, textBlock } from './text.ts';

export type { TextBlock, TextLine } from './text.ts';
import { type QrMatrix, qrMatrix } from './qr.ts';
import { type Bonus, bonusSentence, type Offer, offerSentence } from '../common/offer.ts';
import { kicker, posterTitle, steps } from './words.ts';

/** Page sizes in PDF points (1/72 inch), as pdfkit knows them. */
export const PAGE_SIZES = {
  a4: { width: 595.28, height: 841.89 },
  a5: { width: 419.53, height: 595.28 },
} as const;
export type PageSize = keyof typeof PAGE_SIZES;
export const PAGE_SIZE_NAMES = Object.keys(PAGE_SIZES) as PageSize[];

/** The code's side on A4, 12 cm (8.5 cm on A5): a phone reads it from a metre away. */
export const QR_SIDE_A4 = (12 / 2.54) * 72;
/** The white margin around the code, in modules (ISO/IEC 18004 asks for 4). */
export const QUIET_MODULES = 4;
/** Left and right margin of the content, A4 points. */
export const SIDE_MARGIN = 40;

/** What a poster shows, as plain data. */
export interface PosterInput {
  size: PageSize;
  language: Locale;
  merchantName: string;
  offer: Offer;
  bonus: Bonus;
  /** What the code holds: the program's join page. */
  joinUrl: string;
  /** `#rrggbb` each: the pass's background, foreground and label colours. */
  colors: { background: string; foreground: string; label: string };
  /** A PNG: the merchant's uploaded logo (drawn on a white tile), or the drawn mark (on the band). */
  logo: { png: Buffer; kind: 'uploaded' | 'mark' } | null;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One line of text: its left edge, its baseline, its measured width. */

export type Shape =
  | { kind: 'rect'; box: Box; color: string; radius: number }
  | { kind: 'circle'; cx: number; cy: number; r: number; color: string }
  | ({ kind: 'text' } & TextBlock)
  | { kind: 'image'; box: Box; png: Buffer }
  /** `box` is the modules' square (the quiet zone is around it); `module` its side over `matrix.size`. */
  | { kind: 'qr'; box: Box; module: number; matrix: QrMatrix; color: string; url: string };

export interface PosterLayout {
  size: PageSize;
  width: number;
  height: number;
  language: Locale;
  title: string;
  /** In paint order. */
  shapes: Shape[];
  /** Where each part landed: text boxes, the code with (`quietZone`) and without its white margin. */
  boxes: Record<'header' | 'name' | 'offer' | 'qr' | 'quietZone' | 'url' | 'steps', Box> & { logo: Box | null; bonus: Box | null };
}

const A4 = PAGE_SIZES.a4;
const INK = '#1f2328';
const GREY = '#57606a';
/** Tried in turn until everything fits: the texts' largest sizes times this. */
const TIGHTNESS = [1, 0.92, 0.84, 0.76, 0.68, 0.6];

const heightOf = (f: { size: number; lines: string[] }, lineHeight: number) => f.lines.length * f.size * lineHeight;

/** The join page's address as printed: without `https://`. */
const printedUrl = (url: string) => url.replace(/^https?:\/\//, '');

/**
 * Lays the poster out. `measure` gives text widths (`posterFonts().measure`); the same layout
 * is then drawn by `posterPdf` and `posterPng`.
 */
export function layoutPoster(input: PosterInput, measure: Measure): PosterLayout {
  const page = PAGE_SIZES[input.size];
  if (!page) throw new Error(`Unknown poster size: ${String(input.size)}`);
  const metrics = new Metrics(measure);
  const qr = qrMatrix(input.joinUrl);
  for (const t of TIGHTNESS) {
    const layout = attempt(input, metrics, qr, t);
    if (layout) return scaled(layout, page.width / A4.width, input.size);
  }
  throw new Error('The poster does not fit its page, even with its texts at their smallest.');
}

/** The layout on A4 with the texts' largest sizes times `t`, or undefined if it does not fit. */
function attempt(input: PosterInput, m: Metrics, qr: QrMatrix, t: number): PosterLayout | undefined {
  const { width: W, height: H } = A4;
  const S = SIDE_MARGIN;
  const CW = W - 2 * S;
  const lang = input.language;
  const { background: bg, foreground: fg, label } = input.colors;
  const onWhite = contrastRatio(bg, '#ffffff');
  // Coloured text and code on the white page only where the colour is dark enough to read and scan.
  const ink = onWhite >= 4.5 ? bg : INK;
  const codeColour = onWhite >= 7 ? bg : '#000000';
  const shapes: Shape[] = [{ kind: 'rect', box: { x: 0, y: 0, width: W, height: H }, color: '#ffffff', radius: 0 }];

  // The band: logo | name over "LOYALTY CARD", centred as a group.
  const pad = 24;
  const logoSide = input.logo ? 64 * Math.max(t, 0.8) : 0;
  const logoGap = input.logo ? 16 : 0;
  const textWidth = CW - logoSide - logoGap;
  const nameLH = 1.12;
  const kickerLH = 1.3;
  const nameFit = m.fit(cleanText(input.merchantName), 'bold', { max: 36 * t, min: 18, lines: 2, hardLines: 3, width: textWidth });
  const kickerFit = m.fit(kicker(lang), 'regular', { max: 13, min: 9, lines: 1, hardLines: 1, width: textWidth });
  const textH = heightOf(nameFit, nameLH) + 4 + heightOf(kickerFit, kickerLH);
  const rowH = Math.max(logoSide, textH);
  const bandH = pad + rowH + pad;
  const widest = Math.max(
    0,
    ...nameFit.lines.map((l) => m.width(l, 'bold', nameFit.size)),
    ...kickerFit.lines.map((l) => m.width(l, 'regular', kickerFit.size)),
  );
  const x0 = (W - (logoSide + logoGap + widest)) / 2;
  const textX = x0 + logoSide + logoGap;
  const textTop = pad + (rowH - textH) / 2;
  const header = { x: 0, y: 0, width: W, height: bandH };
  shapes.push({ kind: 'rect', box: header, color: bg, radius: 0 });
  let logo: Box | null = null;
  if (input.logo) {
    logo = { x: x0, y: pad + (rowH - logoSide) / 2, width: logoSide, height: logoSide };
    if (input.logo.kind === 'uploaded') {
      shapes.push({ kind: 'rect', box: logo, color: '#ffffff', radius: logoSide * 0.18 });
      const inset = logoSide * 0.08;
      shapes.push({
        kind: 'image',
        box: { x: logo.x + inset, y: logo.y + inset, width: logoSide - 2 * inset, height: logoSide - 2 * inset },
        png: input.logo.png,
      });
    } else shapes.push({ kind: 'image', box: logo, png: input.logo.png });
  }
  const name = textBlock(m, nameFit, {
    font: 'bold',
    color: fg,
    x: textX,
    width: textWidth,
    top: textTop,
    lineHeight: nameLH,
    align: 'left',
  });
  const kick = textBlock(m, kickerFit, {
    font: 'regular',
    color: label,
    x: textX,
    width: textWidth,
    top: textTop + heightOf(nameFit, nameLH) + 4,
    lineHeight: kickerLH,
    align: 'left',
  });
  shapes.push({ kind: 'text', ...name }, { kind: 'text', ...kick });

  // The body, between the band and the foot: fixed heights first, then the room left is shared out.
  const footH = 10;
  const offerLH = 1.18;
  const bonusLH = 1.25;
  const urlLH = 1.3;
  const stepLH = 1.25;
  const offerFit = m.fit(cleanText(offerSentence(input.offer, lang)), 'bold', { max: 30 * t, min: 15, lines: 2, hardLines: 3, width: CW });
  const bonusText = bonusSentence(input.bonus, lang);
  const bonusFit = bonusText ? m.fit(cleanText(bonusText), 'regular', { max: 18 * t, min: 11, lines: 1, hardLines: 2, width: CW }) : null;
  const module = QR_SIDE_A4 / qr.size;
  const quiet = QUIET_MODULES * module;
  const urlFit = m.fit(printedUrl(input.joinUrl), 'regular', { max: 11, min: 7, lines: 1, hardLines: 2, width: CW });
  const gutter = 14;
  const colW = (CW - 2 * gutter) / 3;
  const discR = 15 * Math.max(t, 0.8);
  const stepTexts = steps(lang);
  const stepSize = Math.min(
    ...stepTexts.map((s) => m.fit(s, 'regular', { max: 13 * t, min: 9.5, lines: 3, hardLines: 3, width: colW }).size),
  );
  const stepFits = stepTexts.map((s) => m.fit(s, 'regular', { max: stepSize, min: stepSize, lines: 3, hardLines: 3, width: colW }));
  const stepsH = 2 * discR + 8 + Math.max(...stepFits.map((f) => heightOf(f, stepLH)));

  const offerH = heightOf(offerFit, offerLH);
  const bonusH = bonusFit ? 6 + heightOf(bonusFit, bonusLH) : 0;
  const zone = QR_SIDE_A4 + 2 * quiet;
  const urlH = heightOf(urlFit, urlLH);
  const gaps = { top: 18, code: 4, steps: 14, foot: 14 };
  const share = { top: 0.3, code: 0.2, steps: 0.25, foot: 0.25 };
  const left = H - bandH - footH - offerH - bonusH - zone - urlH - stepsH - (gaps.top + gaps.code + gaps.steps + gaps.foot);
  if (left < 0) return undefined;
  for (const k of Object.keys(gaps) as (keyof typeof gaps)[]) gaps[k] += left * share[k];

  let y = bandH + gaps.top;
  const offer = textBlock(m, offerFit, { font: 'bold', color: ink, x: S, width: CW, top: y, lineHeight: offerLH, align: 'center' });
  shapes.push({ kind: 'text', ...offer });
  y += offerH;
  let bonus: Box | null = null;
  if (bonusFit) {
    const b = textBlock(m, bonusFit, { font: 'regular', color: INK, x: S, width: CW, top: y + 6, lineHeight: bonusLH, align: 'center' });
    shapes.push({ kind: 'text', ...b });
    bonus = b.box;
  }
  y += bonusH + gaps.code;
  const quietZone = { x: (W - zone) / 2, y, width: zone, height: zone };
  const code = { x: quietZone.x + quiet, y: y + quiet, width: QR_SIDE_A4, height: QR_SIDE_A4 };
  shapes.push({ kind: 'qr', box: code, module, matrix: qr, color: codeColour, url: input.joinUrl });
  y += zone;
  const url = textBlock(m, urlFit, { font: 'regular', color: GREY, x: S, width: CW, top: y, lineHeight: urlLH, align: 'center' });
  shapes.push({ kind: 'text', ...url });
  y += urlH + gaps.steps;

  // Three steps: a numbered disc in the merchant's pair of colours, the words under it.
  const stepsBox = { x: S, y, width: CW, height: stepsH };
  const discColour = ink === bg ? bg : INK;
  const numberColour = ink === bg ? fg : '#ffffff';
  stepFits.forEach((f, i) => {
    const colX = S + i * (colW + gutter);
    const cx = colX + colW / 2;
    const cy = y + discR;
    shapes.push({ kind: 'circle', cx, cy, r: discR, color: discColour });
    const n = String(i + 1);
    const nSize = discR * 1.05;
    const nWidth = m.width(n, 'bold', nSize);
    // Centred on the disc by its digits' height (DejaVu's cap height, 0.73 em).
    shapes.push({
      kind: 'text',
      font: 'bold',
      size: nSize,
      color: numberColour,
      lines: [{ text: n, x: cx - nWidth / 2, baseline: cy + 0.365 * nSize, width: nWidth }],
      box: { x: cx - nWidth / 2, y: cy - discR, width: nWidth, height: 2 * discR },
    });
    const words = textBlock(m, f, {
      font: 'regular',
      color: INK,
      x: colX,
      width: colW,
      top: y + 2 * discR + 8,
      lineHeight: stepLH,
      align: 'center',
    });
    shapes.push({ kind: 'text', ...words });
  });
  shapes.push({ kind: 'rect', box: { x: 0, y: H - footH, width: W, height: footH }, color: bg, radius: 0 });

  return {
    size: 'a4',
    width: W,
    height: H,
    language: lang,
    title: posterTitle(cleanText(input.merchantName), lang),
    shapes,
    boxes: { header, logo, name: name.box, offer: offer.box, bonus, qr: code, quietZone, url: url.box, steps: stepsBox },
  };
}

function scaled(l: PosterLayout, k: number, size: PageSize): PosterLayout {
  if (k === 1) return { ...l, size };
  const box = (b: Box): Box => ({ x: b.x * k, y: b.y * k, width: b.width * k, height: b.height * k });
  const shapes = l.shapes.map((s): Shape => {
    switch (s.kind) {
      case 'rect':
        return { ...s, box: box(s.box), radius: s.radius * k };
      case 'circle':
        return { ...s, cx: s.cx * k, cy: s.cy * k, r: s.r * k };
      case 'text':
        return {
          ...s,
          size: s.size * k,
          box: box(s.box),
          lines: s.lines.map((line) => ({ ...line, x: line.x * k, baseline: line.baseline * k, width: line.width * k })),
        };
      case 'image':
        return { ...s, box: box(s.box) };
      case 'qr':
        return { ...s, box: box(s.box), module: s.module * k };
    }
  });
  const b = l.boxes;
  return {
    ...l,
    size,
    width: PAGE_SIZES[size].width,
    height: PAGE_SIZES[size].height,
    shapes,
    boxes: {
      header: box(b.header),
      logo: b.logo && box(b.logo),
      name: box(b.name),
      offer: box(b.offer),
      bonus: b.bonus && box(b.bonus),
      qr: box(b.qr),
      quietZone: box(b.quietZone),
      url: box(b.url),
      steps: box(b.steps),
    },
  };
}
