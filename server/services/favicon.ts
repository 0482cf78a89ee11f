// fidelio's icon for the browser tab of every page we serve (the dashboard, the hosted pages, the
// demo café): a stamp with its tick on the widget's default blue. As SVG (`/favicon.svg`, what
// the pages link to) and as `/favicon.ico` (what browsers ask for on their own): an ICO file
// holding one 32 px PNG, drawn from the SVG once.
import { renderPng } from '../../passes/images.ts';

export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#1d4ed8"/>' +
  '<circle cx="16" cy="16" r="9.5" fill="none" stroke="#fff" stroke-width="2.5"/>' +
  '<path d="M11.5 16.5l3 3 6-6.5" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>' +
  '</svg>';

/** An ICO file of one PNG image (allowed since Windows Vista; every browser reads it). */
export function icoOf(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1: an icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size % 256, 6); // width (0 means 256)
  header.writeUInt8(size % 256, 7); // height
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(header.length, 18); // where the image starts
  return Buffer.concat([header, png]);
}

let ico: Promise<Buffer> | undefined;

/** `/favicon.ico`'s bytes, drawn on first use. */
export function faviconIco(): Promise<Buffer> {
  ico ??= renderPng(FAVICON_SVG, 32).then((png) => icoOf(png, 32));
  return ico;
}
