// The merchant's logo: an uploaded PNG or JPEG, checked by its bytes, decoded (by resvg) and
// re-encoded to a 150×150 PNG (nothing of the uploaded file survives but its pixels), stored,
// served at `/logos/<merchant>.<sha8>.png` (immutable: a new logo is a new name) and drawn on the
// passes.
import { createHash } from 'node:crypto';
import { renderAsync } from '@resvg/resvg-js';
import { encodePng } from '../../passes/images.ts';
import type { Config } from '../config.ts';
import type { Queryable } from '../db/index.ts';
import { deleteMerchantLogo, getLogoFile, upsertMerchantLogo } from '../db/queries/logos.ts';
import { reissueMerchantPasses } from '../db/queries/outbox.ts';
import { getProgramByMerchant, updateProgram } from '../db/queries/programs.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { isUuid } from './tokens.ts';

/** The largest upload taken (the one raw, non-JSON body of the API). */
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
/** The stored logo's size in pixels (the pass's logo@3x). */
export const LOGO_PX = 150;
/** Larger pictures are refused before decoding (a small file can declare a huge image). */
const MAX_SIDE_PX = 8192;
/** The decoder draws the picture at its own size first: 4 bytes a pixel, 64 MiB at most. */
const MAX_PIXELS = 4096 * 4096;
/**
 * What the decoder may hold of the picture itself (width × height × channels × bytes per
 * channel): a 4096×4096 picture at 8 bits, but not at 16 (a 130 KB PNG of that is 128 MiB).
 */
const MAX_DECODED_BYTES = 4096 * 4096 * 4;

export type LogoType = 'image/png' | 'image/jpeg';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

const notAnImage = (message = 'This file is not a PNG or JPEG image.') => invalidField('(body)', message);

/** The declared type of an upload, or `unsupported_media_type` with what to send instead. */
export function logoType(contentType: string | undefined): LogoType {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'image/png' || mime === 'image/jpeg') return mime;
  if (mime === 'image/jpg' || mime === 'image/pjpeg') return 'image/jpeg';
  if (mime === 'image/svg+xml' || mime === 'image/svg') {
    throw new AppError('unsupported_media_type', 'SVG logos are not accepted (they can carry scripts); upload a PNG or JPEG.');
  }
  const shown = mime ? `"${mime.slice(0, 60)}"` : 'no Content-Type';
  throw new AppError('unsupported_media_type', `A logo must be a PNG or JPEG image (Content-Type: image/png or image/jpeg), not ${shown}.`);
}

/** What a picture's header declares: its size, and its samples (channels, bytes per channel). */
interface ImageHeader {
  width: number;
  height: number;
  channels: number;
  bytesPerChannel: number;
}

/** A PNG chunk: its type, and where it lies whole (length, type, data and CRC). */
type PngChunk = { type: string; start: number; end: number };

/**
 * A PNG's chunks from the signature to IEND; undefined when they do not follow one another
 * cleanly (a length past the end, a type that is not four letters, no IEND). Only their frame is
 * read: the decoder checks the CRCs and the data.
 */
function pngChunks(bytes: Buffer): PngChunk[] | undefined {
  const chunks: PngChunk[] = [];
  for (let i = PNG_MAGIC.length; i + 12 <= bytes.length;) {
    const end = i + 12 + bytes.readUInt32BE(i);
    const type = bytes.toString('latin1', i + 4, i + 8);
    if (end > bytes.length || !/^[A-Za-z]{4}$/.test(type)) return undefined;
    chunks.push({ type, start: i, end });
    if (type === 'IEND') return chunks;
    i = end;
  }
  return undefined;
}

/** Channels of each PNG colour type; a palette (3) counts as RGBA, which decoders expand it to. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 4, 4: 2, 6: 4 };

/** A PNG's header (IHDR, the first chunk); undefined when it has none, or one no PNG has. */
function pngHeader(bytes: Buffer, chunks: readonly PngChunk[]): ImageHeader | undefined {
  const ihdr = chunks[0];
  if (ihdr?.type !== 'IHDR' || ihdr.end - ihdr.start !== 12 + 13) return undefined;
  const at = ihdr.start + 8;
  const [depth, colourType] = [bytes[at + 8]!, bytes[at + 9]!];
  const channels = PNG_CHANNELS[colourType];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) return undefined;
  return { width: bytes.readUInt32BE(at), height: bytes.readUInt32BE(at + 4), channels, bytesPerChannel: depth === 16 ? 2 : 1 };
}

/**
 * The PNG with only the chunks that make its pixels: the critical ones (IHDR, PLTE, IDAT, IEND)
 * and transparency (tRNS). Text, metadata and colour profiles go before decoding: a large one
 * (a 1 MB tEXt chunk ahead of the picture) made resvg give up on a valid file.
 */
function pngPixelsOnly(bytes: Buffer, chunks: readonly PngChunk[]): Buffer {
  const kept = chunks.filter((c) => /^[A-Z]/.test(c.type) || c.type === 'tRNS').map((c) => bytes.subarray(c.start, c.end));
  return Buffer.concat([PNG_MAGIC, ...kept]);
}

/** What a JPEG's frame header declares; undefined when it has none. */
function jpegHeader(bytes: Buffer): ImageHeader | undefined {
  // Walk the segments to the frame header (SOFn; not DHT C4, JPG C8, DAC CC).
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or the scan, before any frame
    const length = bytes.readUInt16BE(i + 2);
    if (length < 2) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // Length, precision (8 or 12 bits), height, width, components.
      if (i + 10 > bytes.length) return undefined;
      const channels = bytes[i + 9]!;
      if (channels < 1) return undefined;
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7), channels, bytesPerChannel: bytes[i + 4]! > 8 ? 2 : 1 };
    }
    i += 2 + length;
  }
  return undefined;
}

/** An SVG that draws the picture (a data URL) fitted, centred, into a `size`-wide square of `px` pixels. */
export function fittedImageSvg(dataUrl: string, size: number, px: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${size} ${size}">` +
    `<image href="${dataUrl}" x="0" y="0" width="${size}" height="${size}" preserveAspectRatio="xMidYMid meet"/></svg>`
  );
}

/**
 * The upload as a normalised 150×150 PNG (the picture fitted and centred, transparent around
 * it). 400 when the bytes are not the declared type, declare an absurd size (in pixels, or in
 * decoded bytes: 16 bits a channel count double), or do not decode.
 */
export async function normaliseLogo(bytes: Buffer, type: LogoType): Promise<Buffer> {
  const magic = type === 'image/png' ? PNG_MAGIC : JPEG_MAGIC;
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) throw notAnImage();
  const chunks = type === 'image/png' ? pngChunks(bytes) : undefined;
  const size = type === 'image/png' ? chunks && pngHeader(bytes, chunks) : jpegHeader(bytes);
  if (!size || size.width < 1 || size.height < 1) throw notAnImage('This image could not be read: the file is damaged.');
  if (size.width > MAX_SIDE_PX || size.height > MAX_SIDE_PX || size.width * size.height > MAX_PIXELS) {
    throw notAnImage(`This image is too large (${size.width}×${size.height} pixels); at most 4096×4096.`);
  }
  const decoded = size.width * size.height * size.channels * size.bytesPerChannel;
  if (decoded > MAX_DECODED_BYTES) {
    throw notAnImage(
      `This image is too large to decode (${size.width}×${size.height} pixels at ${8 * size.bytesPerChannel} bits a channel: ${Math.ceil(decoded / 2 ** 20)} MB); at most ${MAX_DECODED_BYTES / 2 ** 20} MB, e.g. 4096×4096 at 8 bits.`,
    );
  }
  const source = chunks ? pngPixelsOnly(bytes, chunks) : bytes;
  const svg = fittedImageSvg(`data:${type};base64,${source.toString('base64')}`, LOGO_PX, LOGO_PX);
  let image;
  try {
    image = await renderAsync(svg, { fitTo: { mode: 'width', value: LOGO_PX }, font: { loadSystemFonts: false } });
  } catch {
    throw notAnImage('This image could not be read: the file is damaged.');
  }
  // resvg leaves out a picture it cannot decode: nothing drawn is a file that did not decode (or an invisible logo).
  const px = image.pixels;
  let drawn = false;
  for (let i = 3; i < px.length && !drawn; i += 4) drawn = px[i] !== 0;
  if (!drawn) throw notAnImage('This image could not be read, or is fully transparent.');
  return encodePng(px, image.width, image.height);
}

export const logoUrl = (config: Config, merchantId: string, sha256: string) =>
  `${config.publicUrl}/logos/${merchantId}.${sha256.slice(0, 8)}.png`;

/** Sets the program's `design.logoUrl`; a change re-issues every pass (same transaction). */
async function setLogoUrl(tx: Queryable, merchantId: string, url: string | null, changed: boolean) {
  const current = await getProgramByMerchant(tx, merchantId);
  if (!current) throw notFound('This merchant has no program.');
  if (current.program.design.logoUrl !== url) {
    await updateProgram(tx, merchantId, { ...current.program, design: { ...current.program.design, logoUrl: url } });
    changed = true;
  }
  if (changed) await reissueMerchantPasses(tx, merchantId);
}

/**
 * Stores the logo (`contentType` as the upload declared it) and points the program at it;
 * every pass is re-issued with it.
 */
export async function saveLogo(
  deps: Pick<Deps, 'db' | 'config' | 'outbox'>,
  merchantId: string,
  bytes: Buffer,
  contentType: string | undefined,
): Promise<{ logoUrl: string }> {
  const png = await normaliseLogo(bytes, logoType(contentType));
  const sha256 = createHash('sha256').update(png).digest('hex');
  const url = logoUrl(deps.config, merchantId, sha256);
  await deps.db.transaction(async (tx) => {
    const previous = await upsertMerchantLogo(tx, merchantId, { png, sha256 });
    await setLogoUrl(tx, merchantId, url, previous !== sha256);
  });
  deps.outbox.wake();
  return { logoUrl: url };
}

/** Removes the logo: the passes go back to the drawn mark. */
export async function removeLogo(deps: Pick<Deps, 'db' | 'outbox'>, merchantId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const had = await deleteMerchantLogo(tx, merchantId);
    await setLogoUrl(tx, merchantId, null, had);
  });
  deps.outbox.wake();
}

const LOGO_FILE = /^([0-9a-f-]{36})\.([0-9a-f]{8})\.png$/;

/** The PNG at `/logos/<file>`, or 404. */
export async function logoFile({ db }: Pick<Deps, 'db'>, file: string): Promise<Buffer> {
  const m = LOGO_FILE.exec(file);
  const png = m && isUuid(m[1]!) ? await getLogoFile(db, m[1]!, m[2]!) : undefined;
  if (!png) throw notFound('No logo at this address.');
  return png;
}
