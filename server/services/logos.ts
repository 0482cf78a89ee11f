// The merchant's logo: an uploaded PNG or JPEG, checked by its bytes, decoded and re-encoded to a
// 150×150 PNG (nothing of the uploaded file survives but its pixels), stored, served at
// `/logos/<merchant>.<sha8>.png` (immutable: a new logo is a new name) and drawn on the passes.
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
const MAX_PIXELS = 4096 * 4096;

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

/** Width and height as the file's header declares them; undefined when it has none. */
export function imageSize(bytes: Buffer, type: LogoType): { width: number; height: number } | undefined {
  if (type === 'image/png') {
    if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  // JPEG: walk the segments to the frame header (SOFn; not DHT C4, JPG C8, DAC CC).
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
      if (i + 9 > bytes.length) return undefined;
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
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
 * it). 400 when the bytes are not the declared type, declare an absurd size, or do not decode.
 */
export async function normaliseLogo(bytes: Buffer, type: LogoType): Promise<Buffer> {
  const magic = type === 'image/png' ? PNG_MAGIC : JPEG_MAGIC;
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) throw notAnImage();
  const size = imageSize(bytes, type);
  if (!size || size.width < 1 || size.height < 1) throw notAnImage('This image could not be read: the file is damaged.');
  if (size.width > MAX_SIDE_PX || size.height > MAX_SIDE_PX || size.width * size.height > MAX_PIXELS) {
    throw notAnImage(`This image is too large (${size.width}×${size.height} pixels); at most 4096×4096.`);
  }
  const svg = fittedImageSvg(`data:${type};base64,${bytes.toString('base64')}`, LOGO_PX, LOGO_PX);
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
