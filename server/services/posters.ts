// The in-store poster: the program, the merchant's name and logo, read here, handed as plain data to
// posters/ (layout, then PDF or PNG); its QR code opens the program's join page on this server.
import type { Locale } from '../../common/localize.ts';
import { offerOf, unitOf } from '../../common/offer.ts';
import { PassImages } from '../../passes/images.ts';
import { MissingFontError, posterFonts } from '../../posters/fonts.ts';
import { layoutPoster, type PageSize, type PosterInput } from '../../posters/layout.ts';
import { posterPdf } from '../../posters/pdf.ts';
import { posterPng } from '../../posters/png.ts';
import { getMerchantLogo } from '../db/queries/logos.ts';
import { getMerchant } from '../db/queries/merchants.ts';
import { getProgramByMerchant } from '../db/queries/programs.ts';
import { joinUrl } from '../domain/links.ts';
import { AppError, notFound } from '../errors.ts';
import type { Deps } from './deps.ts';

export type PosterFormat = 'pdf' | 'png';

export interface PosterRequest {
  format: PosterFormat;
  size: PageSize;
  /** The poster's language; the program's when not given. */
  lang?: Locale | undefined;
}

export interface PosterFile {
  bytes: Buffer;
  contentType: 'application/pdf' | 'image/png';
  /** `poster-<slug>-<size>.<format>`: the slug is `[a-z0-9-]`, safe in a header as it is. */
  filename: string;
}

/** The drawn mark, for merchants without a logo of their own (cached by colour). */
const marks = new PassImages({ maxEntries: 64 });

/**
 * The merchant's poster for the till, as a PDF or a PNG. `unavailable` when the server lacks
 * the fonts it is set in (DejaVu Sans: `fonts-dejavu-core` on Debian).
 */
export async function merchantPoster(deps: Pick<Deps, 'db' | 'config'>, merchantId: string, req: PosterRequest): Promise<PosterFile> {
  const [row, merchant, uploaded] = await Promise.all([
    getProgramByMerchant(deps.db, merchantId),
    getMerchant(deps.db, merchantId),
    getMerchantLogo(deps.db, merchantId),
  ]);
  if (!row || !merchant) throw notFound('This merchant has no program.');
  const p = row.program;
  let fonts;
  try {
    fonts = posterFonts();
  } catch (e) {
    if (e instanceof MissingFontError) throw new AppError('unavailable', e.message);
    throw e;
  }
  const input: PosterInput = {
    size: req.size,
    language: req.lang ?? p.locale,
    merchantName: merchant.name,
    offer: offerOf(p),
    bonus: unitOf(p, p.signupBonus),
    joinUrl: joinUrl(deps.config, p.slug),
    colors: { background: p.design.backgroundColor, foreground: p.design.foregroundColor, label: p.design.labelColor },
    logo: uploaded ? { png: uploaded.png, kind: 'uploaded' } : { png: (await marks.logo(p.design))['3x'], kind: 'mark' },
  };
  const layout = layoutPoster(input, fonts.measure);
  const filename = `poster-${p.slug}-${req.size}.${req.format}`;
  return req.format === 'pdf'
    ? { bytes: await posterPdf(layout, fonts), contentType: 'application/pdf', filename }
    : { bytes: await posterPng(layout, fonts), contentType: 'image/png', filename };
}
