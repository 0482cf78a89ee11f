// Pictures as pixels for the tests: a small PNG decoder (8-bit, not interlaced, every filter), a
// PDF page rasterised by poppler's pdftoppm, and a QR code read from the pixels with jsQR.
import { execFileSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import jsqr from 'jsqr';

/** RGBA, 8 bits a channel, row by row. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** An 8-bit PNG (grey, grey + alpha, RGB or RGBA; not interlaced, no palette) as RGBA pixels. */
export function decodePng(png: Buffer): Raster {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let i = 8; i < png.length;) {
    const length = png.readUInt32BE(i);
    const type = png.toString('latin1', i + 4, i + 8);
    const data = png.subarray(i + 8, i + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0 || CHANNELS[data[9]!] === undefined) {
        throw new Error(`unsupported PNG: depth ${data[8]}, colour type ${data[9]}, interlace ${data[12]}`);
      }
      channels = CHANNELS[data[9]!]!;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    i += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = up[x]!;
      const c = x >= channels ? up[x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      out[x] = v & 255;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = rows.subarray(p * channels, (p + 1) * channels);
    const [r, g, b, alpha] =
      channels === 1
        ? [s[0], s[0], s[0], 255]
        : channels === 2
          ? [s[0], s[0], s[0], s[1]]
          : [s[0], s[1], s[2], channels === 4 ? s[3] : 255];
    data.set([r!, g!, b!, alpha!], p * 4);
  }
  return { width, height, data };
}

/** The first page of a PDF at `dpi`, rasterised by pdftoppm (poppler-utils) as a PPM. */
export function rasterisePdf(pdf: Buffer, dpi: number): Raster {
  const ppm = execFileSync('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-'], { input: pdf, maxBuffer: 256 * 1024 * 1024 });
  // P6 <width> <height> <maxval> then one whitespace and the RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.toString('latin1', 0, 50));
  if (!header || header[3] !== '255') throw new Error('pdftoppm did not write an 8-bit PPM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const rgb = ppm.subarray(header[0].length);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([rgb[p * 3]!, rgb[p * 3 + 1]!, rgb[p * 3 + 2]!, 255], p * 4);
  return { width, height, data };
}

/** jsQR is CommonJS: its `module.exports` is the function, which also carries itself as `default`. */
const jsQR = jsqr.default;

/** The text of a QR code in the picture, or null when jsQR finds none. */
export function readQr(r: Raster): string | null {
  return jsQR(r.data, r.width, r.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** The text of a PDF (pdftotext, poppler-utils), in reading order. */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
}

/** The box around the pixels darker than `threshold` (0–255 luminance) inside `area`, or null. */
export function inkBox(r: Raster, area: { x: number; y: number; width: number; height: number }, threshold = 128) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = Math.max(0, Math.floor(area.y)); y < Math.min(r.height, Math.ceil(area.y + area.height)); y++) {
    for (let x = Math.max(0, Math.floor(area.x)); x < Math.min(r.width, Math.ceil(area.x + area.width)); x++) {
      const i = (y * r.width + x) * 4;
      const lum = 0.2126 * r.data[i]! + 0.7152 * r.data[i + 1]! + 0.0722 * r.data[i + 2]!;
      if (lum >= threshold) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
