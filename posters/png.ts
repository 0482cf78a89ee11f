// The poster as a PNG: the same layout written as SVG (points as user units) and rendered by resvg
// with the same two DejaVu files the PDF embeds and no system font, at 150 dpi (A4: 1240 × 1754
// pixels); the file says its resolution (pHYs), so it prints at its size.
import { crc32 } from 'node:zlib';
import { renderAsync } from '@resvg/resvg-js';
import { encodePng } from '../passes/images.ts';
import { FONT_FAMILY, type PosterFonts } from './fonts.ts';
import type { PosterLayout, Shape } from './layout.ts';
import { qrRuns } from './qr.ts';

/** The PNG's resolution. */
export const POSTER_DPI = 150;

const num = (x: number) => String(Math.round(x * 100) / 100);

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function shapeSvg(s: Shape): string {
  switch (s.kind) {
    case 'rect':
      return `<rect x="${num(s.box.x)}" y="${num(s.box.y)}" width="${num(s.box.width)}" height="${num(s.box.height)}"${
        s.radius > 0 ? ` rx="${num(s.radius)}"` : ''
      } fill="${s.color}"/>`;
    case 'circle':
      return `<circle cx="${num(s.cx)}" cy="${num(s.cy)}" r="${num(s.r)}" fill="${s.color}"/>`;
    case 'text':
      return s.lines
        .map(
          (l) =>
            `<text x="${num(l.x)}" y="${num(l.baseline)}" font-family="${FONT_FAMILY}" font-weight="${s.font === 'bold' ? 700 : 400}" ` +
            `font-size="${num(s.size)}" fill="${s.color}" xml:space="preserve">${escapeXml(l.text)}</text>`,
        )
        .join('');
    case 'image':
      return (
        `<image x="${num(s.box.x)}" y="${num(s.box.y)}" width="${num(s.box.width)}" height="${num(s.box.height)}" ` +
        `preserveAspectRatio="xMidYMid meet" href="data:image/png;base64,${s.png.toString('base64')}"/>`
      );
    case 'qr': {
      // Exact multiples of the module, unrounded: one path, filled once (no seam between runs).
      const d = qrRuns(s.matrix)
        .map((r) => `M${s.box.x + r.x * s.module} ${s.box.y + r.y * s.module}h${r.w * s.module}v${s.module}h${-r.w * s.module}z`)
        .join('');
      return `<path d="${d}" fill="${s.color}"/>`;
    }
  }
}

/** The layout as an SVG document, `width × height` points. */
export function posterSvg(layout: PosterLayout): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}pt" height="${layout.height}pt" viewBox="0 0 ${layout.width} ${layout.height}">` +
    layout.shapes.map(shapeSvg).join('') +
    '</svg>'
  );
}

/** A pHYs chunk (pixels per metre) put after IHDR: viewers and printers then know the size on paper. */
function withResolution(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  chunk.writeUInt32BE(ppm, 8);
  chunk.writeUInt32BE(ppm, 12);
  chunk[16] = 1; // unit: the metre
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  const afterHeader = 8 + 8 + 13 + 4; // signature, IHDR's length and type, its data, its CRC
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}

/** The PNG's bytes at `dpi` (rasterising and compressing run on libuv's thread pool). */
export async function posterPng(layout: PosterLayout, fonts: PosterFonts, dpi = POSTER_DPI): Promise<Buffer> {
  const width = Math.round((layout.width / 72) * dpi);
  const image = await renderAsync(posterSvg(layout), {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false, fontFiles: [fonts.files.regular, fonts.files.bold], defaultFontFamily: FONT_FAMILY },
  });
  return withResolution(await encodePng(image.pixels, image.width, image.height), dpi);
}
