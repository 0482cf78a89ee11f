// The poster as a one-page PDF, drawn with pdfkit from the layout: vector text in the embedded
// DejaVu fonts (subset by pdfkit; the text can be selected, searched and read by a screen reader),
// the QR code as vector rectangles (sharp at any print size), a link on the code to the join page.
import PDFDocument from 'pdfkit';
import type { PosterFonts } from './fonts.ts';
import type { PosterLayout } from './layout.ts';
import { qrRuns } from './qr.ts';

/** The PDF's bytes. */
export function posterPdf(layout: PosterLayout, fonts: PosterFonts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [layout.width, layout.height],
    margin: 0,
    lang: layout.language,
    displayTitle: true,
    info: { Title: layout.title, Creator: 'fidelio' },
  });
  // registerFont's types know paths and bytes; pdfkit also takes a parsed font (see fonts.ts).
  doc.registerFont('regular', fonts.pdfSources.regular as Buffer);
  doc.registerFont('bold', fonts.pdfSources.bold as Buffer);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  for (const s of layout.shapes) {
    switch (s.kind) {
      case 'rect':
        if (s.radius > 0) doc.roundedRect(s.box.x, s.box.y, s.box.width, s.box.height, s.radius);
        else doc.rect(s.box.x, s.box.y, s.box.width, s.box.height);
        doc.fill(s.color);
        break;
      case 'circle':
        doc.circle(s.cx, s.cy, s.r).fill(s.color);
        break;
      case 'text':
        doc.font(s.font).fontSize(s.size).fillColor(s.color);
        for (const line of s.lines) doc.text(line.text, line.x, line.baseline, { lineBreak: false, baseline: 'alphabetic' });
        break;
      case 'image':
        doc.image(s.png, s.box.x, s.box.y, { fit: [s.box.width, s.box.height], align: 'center', valign: 'center' });
        break;
      case 'qr': {
        // Every dark run in one path, filled once: no hairline between touching modules.
        for (const r of qrRuns(s.matrix)) doc.rect(s.box.x + r.x * s.module, s.box.y + r.y * s.module, r.w * s.module, s.module);
        doc.fill(s.color);
        doc.link(s.box.x, s.box.y, s.box.width, s.box.height, s.url);
        break;
      }
    }
  }
  doc.end();
  return done;
}
