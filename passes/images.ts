// The pictures on a customer's Apple Wallet store card (strip, icon, logo), drawn as SVG and rendered to PNG
// with resvg. Everything is shapes: no <text>, so no font is loaded (resvg's first render with system fonts
// costs ~170 ms). The strip is also meant to be reused as the Google Wallet hero image.
//
// Strip layout (points, 375×144 canvas): Wallet crops the strip to 375×123 on some cards, so everything
// stays in the centred safe band y ∈ [10.5, 133.5]. Wallet draws the primary field (large, foreground colour)
// over the strip's upper-left, so the upper-left 40% × 45% (x < 150, y < 64.8) stays calm: the stamp grid
// and the progress bar sit in the lower band (y ≥ 68), and the "reward ready" badge sits top-right.
import { BuildCache } from './cache.ts';
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import { renderAsync } from '@resvg/resvg-js';
import { HEX, stripBackground } from '../common/colour.ts';
import { drawableStamps, GRID_AREA, MAX_STAMPS, STRIP_PT, stampLayout } from '../common/stamp-layout.ts';

export interface PassDesign {
  backgroundColor: string;
  foregroundColor: string;
  labelColor: string;
}

export type StripState =
  | { kind: 'stamps'; stamps: number; required: number; rewardsAvailable: number }
  | { kind: 'progress'; fraction: number /* 0..1, e.g. points toward next reward */ }
  | { kind: 'plain' };

export type PngSet = { readonly '1x': Buffer; readonly '2x': Buffer; readonly '3x': Buffer };
export type Scale = 1 | 2 | 3;

/** Canvas sizes in points (the strip's, `STRIP_PT`, is in common/stamp-layout.ts); the PNG at scale s is s times as many pixels. */
export const ICON_PT = { width: 29, height: 29 } as const;
// Apple allows up to 160×50; Wallet writes `logoText` (the business name) right after the
// image, so the logo is just its square mark.
export const LOGO_PT = { width: 50, height: 50 } as const;
/** Everything on the strip stays inside this band (375×123 centred in 375×144). */
export const SAFE_BAND = { top: 10.5, bottom: 133.5 } as const;
/** The area where Wallet draws the primary field; kept free of marks. */
export const CALM_ZONE = { right: 0.4 * STRIP_PT.width, bottom: 0.45 * STRIP_PT.height } as const;

const SCALES: readonly Scale[] = [1, 2, 3];
/** Progress fractions are rounded to this step (a 5% change is the smallest the bar shows). */
const PROGRESS_STEPS = 20;
const BADGE = { x: 346, y: 35, r: 13, glow: [17, 21] } as const;

// ---------------------------------------------------------------------------------------------------------
// Input checking and normalisation

/** Returns the colour in lower case; throws unless it is exactly `#rrggbb` (the value goes into SVG attributes). */
export function checkColour(value: unknown, name = 'colour'): string {
  if (typeof value !== 'string' || !HEX.test(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    throw new Error(`Invalid ${name}: expected a colour like #1a2b3c, got ${shown}`);
  }
  return value.toLowerCase();
}

export function normaliseDesign(design: PassDesign): PassDesign {
  if (typeof design !== 'object' || design === null) throw new Error('Invalid pass design: expected an object');
  return {
    backgroundColor: checkColour(design.backgroundColor, 'backgroundColor'),
    foregroundColor: checkColour(design.foregroundColor, 'foregroundColor'),
    labelColor: checkColour(design.labelColor, 'labelColor'),
  };
}

function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`Invalid ${name}: expected a finite number, got ${String(value)}`);
  return value;
}

/**
 * The state as drawn: `required` must be an integer 1..50; stamps are floored and clamped to 0..required;
 * rewardsAvailable only matters as "any or none" (the count is in the pass's fields), so it becomes 0 or 1;
 * progress fractions are clamped to 0..1 and rounded to 1/20. Equal results draw identical pictures.
 */
export function normaliseStripState(state: StripState): StripState {
  if (typeof state !== 'object' || state === null) throw new Error('Invalid strip state: expected an object');
  switch (state.kind) {
    case 'stamps': {
      const required = finite(state.required, 'required');
      if (!drawableStamps(required)) {
        throw new Error(`Invalid required: expected an integer from 1 to ${MAX_STAMPS}, got ${required}`);
      }
      const stamps = Math.min(required, Math.max(0, Math.floor(finite(state.stamps, 'stamps'))));
      const rewardsAvailable = finite(state.rewardsAvailable, 'rewardsAvailable') >= 1 ? 1 : 0;
      return { kind: 'stamps', stamps, required, rewardsAvailable };
    }
    case 'progress': {
      const f = Math.min(1, Math.max(0, finite(state.fraction, 'fraction')));
      return { kind: 'progress', fraction: Math.round(f * PROGRESS_STEPS) / PROGRESS_STEPS };
    }
    case 'plain':
      return { kind: 'plain' };
    default:
      throw new Error(`Invalid strip state kind: ${JSON.stringify((state as { kind?: unknown }).kind)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shapes

const num = (x: number): string => String(Math.round(x * 100) / 100);

/** A check mark centred on (x, y) for a circle of radius r. */
function checkMark(x: number, y: number, r: number, colour: string): string {
  const p = (dx: number, dy: number) => `${num(x + dx * r)} ${num(y + dy * r)}`;
  return (
    `<path d="M${p(-0.42, 0.02)}L${p(-0.13, 0.31)}L${p(0.44, -0.28)}" fill="none" stroke="${colour}" ` +
    `stroke-width="${num(0.17 * r)}" stroke-linecap="round" stroke-linejoin="round"/>`
  );
}

/** A gift box centred on (x, y), about 2s wide. */
function gift(x: number, y: number, s: number, colour: string, opacity = 1): string {
  const rect = (x0: number, y0: number, x1: number, y1: number) =>
    `<rect x="${num(x + x0 * s)}" y="${num(y + y0 * s)}" width="${num((x1 - x0) * s)}" height="${num((y1 - y0) * s)}"/>`;
  const gap = 0.09;
  const bow =
    `<path d="M${num(x)} ${num(y - 0.5 * s)}C${num(x - 0.25 * s)} ${num(y - 1.05 * s)} ${num(x - 0.8 * s)} ${num(y - 0.8 * s)} ` +
    `${num(x)} ${num(y - 0.5 * s)}C${num(x + 0.8 * s)} ${num(y - 0.8 * s)} ${num(x + 0.25 * s)} ${num(y - 1.05 * s)} ${num(x)} ` +
    `${num(y - 0.5 * s)}Z" fill="none" stroke="${colour}" stroke-width="${num(0.13 * s)}" stroke-linejoin="round"/>`;
  return (
    `<g fill="${colour}"${opacity < 1 ? ` opacity="${opacity}"` : ''}>` +
    rect(-0.95, -0.45, -gap, -0.12) +
    rect(gap, -0.45, 0.95, -0.12) +
    rect(-0.8, -0.02, -gap, 0.85) +
    rect(gap, -0.02, 0.8, 0.85) +
    bow +
    '</g>'
  );
}

/** A seal with a scalloped edge (a stamp), centred on (x, y), radius about r, as a closed path. */
function sealPath(x: number, y: number, r: number): string {
  const points: string[] = [];
  const n = 120;
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const rr = r * (1 + 0.065 * Math.cos(12 * t));
    points.push(`${num(x + rr * Math.sin(t))} ${num(y - rr * Math.cos(t))}`);
  }
  return `M${points.join('L')}Z`;
}

function svgOpen(widthPt: number, heightPt: number, scale: number, viewBox = `0 0 ${widthPt} ${heightPt}`): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPt * scale}" height="${heightPt * scale}" viewBox="${viewBox}">`;
}

// ---------------------------------------------------------------------------------------------------------
// The three pictures

/** The strip (375×144 pt) as SVG; `scale` only sets the SVG's pixel size (the PNG size comes from renderPng). */
export function stripSvg(design: PassDesign, state: StripState, scale: Scale): string {
  if (!SCALES.includes(scale)) throw new Error(`Invalid scale: expected 1, 2 or 3, got ${String(scale)}`);
  const d = normaliseDesign(design);
  const s = normaliseStripState(state);
  const fg = d.foregroundColor;
  const label = d.labelColor;
  const parts = [
    svgOpen(STRIP_PT.width, STRIP_PT.height, scale),
    `<rect width="375" height="144" fill="${stripBackground(d.backgroundColor)}"/>`,
  ];

  if (s.kind === 'stamps') {
    const { radius: r, centres } = stampLayout(s.required);
    const ring = Math.max(0.1 * r, 1.2);
    centres.forEach(({ x, y }, i) => {
      const isReward = i === centres.length - 1;
      if (i < s.stamps) {
        parts.push(`<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" fill="${fg}"/>`);
        parts.push(isReward ? gift(x, y + 0.08 * r, 0.5 * r, d.backgroundColor) : checkMark(x, y, r, d.backgroundColor));
      } else {
        const opacity = isReward ? 0.85 : 0.5;
        parts.push(
          `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r - ring / 2)}" fill="none" stroke="${label}" ` +
            `stroke-opacity="${opacity}" stroke-width="${num(ring)}"/>`,
        );
        if (isReward) parts.push(gift(x, y + 0.08 * r, 0.5 * r, label, 0.85));
      }
    });
    if (s.rewardsAvailable > 0) {
      const [g1, g2] = BADGE.glow;
      parts.push(
        `<circle cx="${BADGE.x}" cy="${BADGE.y}" r="${g2}" fill="${fg}" opacity="0.08"/>`,
        `<circle cx="${BADGE.x}" cy="${BADGE.y}" r="${g1}" fill="${fg}" opacity="0.16"/>`,
        `<circle cx="${BADGE.x}" cy="${BADGE.y}" r="${BADGE.r}" fill="${fg}"/>`,
        gift(BADGE.x, BADGE.y + 1, 0.55 * BADGE.r, d.backgroundColor),
      );
    }
  } else if (s.kind === 'progress') {
    const h = 16;
    const y = (GRID_AREA.top + GRID_AREA.bottom) / 2 - h / 2;
    const x0 = GRID_AREA.left;
    const trackWidth = 315;
    parts.push(`<rect x="${x0}" y="${num(y)}" width="${trackWidth}" height="${h}" rx="${h / 2}" fill="${label}" opacity="0.3"/>`);
    if (s.fraction > 0) {
      const w = Math.max(h, trackWidth * s.fraction);
      parts.push(`<rect x="${x0}" y="${num(y)}" width="${num(w)}" height="${h}" rx="${h / 2}" fill="${fg}"/>`);
    }
    const done = s.fraction >= 1;
    parts.push(gift(GRID_AREA.right - 11, y + h / 2 + 1, 11, done ? fg : label, done ? 1 : 0.85));
  } else {
    // Ripples from beyond the bottom-right corner: they never reach the calm upper-left.
    parts.push(`<g fill="none" stroke="${label}" stroke-opacity="0.12" stroke-width="6">`);
    for (const r of [40, 70, 100, 130]) parts.push(`<circle cx="375" cy="160" r="${r}"/>`);
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The icon (29×29 pt): an opaque rounded square in the background colour with a stamp seal in the foreground colour. */
export function iconSvg(design: PassDesign): string {
  const d = normaliseDesign(design);
  return (
    svgOpen(ICON_PT.width, ICON_PT.height, 1, '0 0 100 100') +
    `<rect width="100" height="100" rx="22" fill="${d.backgroundColor}"/>` +
    `<path d="${sealPath(50, 50, 34)}" fill="${d.foregroundColor}"/>` +
    checkMark(50, 51, 26, d.backgroundColor) +
    '</svg>'
  );
}

/**
 * The logo (160×50 pt): transparent, with the stamp seal in the foreground colour at the left (the check mark is
 * cut out, so the card shows through); Wallet draws `logoText` beside it.
 */
export function logoSvg(design: PassDesign): string {
  const d = normaliseDesign(design);
  return (
    svgOpen(LOGO_PT.width, LOGO_PT.height, 1) +
    '<mask id="m"><rect width="50" height="50" fill="#fff"/>' +
    checkMark(25, 25.5, 16, '#000') +
    '</mask>' +
    `<path d="${sealPath(25, 25, 21)}" fill="${d.foregroundColor}" mask="url(#m)"/>` +
    '</svg>'
  );
}

// ---------------------------------------------------------------------------------------------------------
// Rendering and caching

/**
 * Renders SVG to a PNG `widthPx` wide. Both heavy steps run on libuv's thread pool: resvg's rasterising
 * (renderAsync) and the compression (zlib). resvg's own `asPng()` would encode on the calling thread (about 10 ms
 * for a 3x strip, three quarters of the whole cost), so the PNG is assembled here instead; the event loop only
 * copies rows (about 2 ms at 3x).
 */
export async function renderPng(svg: string, widthPx: number): Promise<Buffer> {
  const image = await renderAsync(svg, { fitTo: { mode: 'width', value: widthPx }, font: { loadSystemFonts: false } });
  return encodePng(image.pixels, image.width, image.height);
}

const deflateAsync = promisify(deflate);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * An 8-bit RGBA PNG from resvg's pixels, which are premultiplied by alpha (PNG wants them straight). Rows use
 * filter 0: the pictures are flat colours, which deflate packs well without filtering (smaller than asPng's output).
 */
export async function encodePng(premultipliedRgba: Buffer, width: number, height: number): Promise<Buffer> {
  const stride = width * 4;
  if (premultipliedRgba.length !== stride * height)
    throw new Error(`Expected ${stride * height} bytes of RGBA, got ${premultipliedRgba.length}`);
  const raw = Buffer.allocUnsafe((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1) + 1;
    raw[row - 1] = 0; // filter: none
    premultipliedRgba.copy(raw, row, y * stride, (y + 1) * stride);
    for (let i = row + 3; i < row + stride; i += 4) {
      const a = raw[i]!;
      if (a === 255) continue;
      for (let c = i - 3; c < i; c++) raw[c] = a === 0 ? 0 : Math.min(255, Math.round((raw[c]! * 255) / a));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA; compression, filter and interlace methods stay 0
  const idat = await deflateAsync(raw);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('Not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

type Renderer = (svg: string, widthPx: number) => Promise<Buffer>;

async function renderSet(render: Renderer, pt: { width: number; height: number }, svgAt: (scale: Scale) => string): Promise<PngSet> {
  const [a, b, c] = await Promise.all(
    SCALES.map(async (scale) => {
      const png = await render(svgAt(scale), pt.width * scale);
      const size = pngSize(png);
      if (size.width !== pt.width * scale || size.height !== pt.height * scale) {
        throw new Error(`Rendered ${size.width}×${size.height}, expected ${pt.width * scale}×${pt.height * scale}`);
      }
      return png;
    }),
  );
  return Object.freeze({ '1x': a!, '2x': b!, '3x': c! });
}

/**
 * The pass pictures at 1x/2x/3x, cached in an LRU (default 512 sets) keyed by the normalised inputs; concurrent
 * requests for one key share a single render, and a failed render is not cached. Callers get the same frozen
 * object (and Buffers) on every hit: don't write into the Buffers.
 */
export class PassImages {
  private readonly cache: BuildCache<PngSet>;
  private readonly render: Renderer;

  /** `render` replaces renderPng (for tests). */
  constructor(options: { maxEntries?: number; render?: Renderer } = {}) {
    const max = options.maxEntries ?? 512;
    if (!Number.isInteger(max) || max < 1) throw new Error(`Invalid maxEntries: expected a positive integer, got ${max}`);
    this.cache = new BuildCache({ maxSize: max });
    this.render = options.render ?? renderPng;
  }

  /** Rejects (with nothing rendered) on a colour that is not #rrggbb or an invalid state. */
  async strip(design: PassDesign, state: StripState): Promise<PngSet> {
    const d = normaliseDesign(design);
    const s = normaliseStripState(state);
    return this.get(`strip:${d.backgroundColor}${d.foregroundColor}${d.labelColor}:${JSON.stringify(s)}`, () =>
      renderSet(this.render, STRIP_PT, (scale) => stripSvg(d, s, scale)),
    );
  }

  async icon(design: PassDesign): Promise<PngSet> {
    const d = normaliseDesign(design);
    return this.get(`icon:${d.backgroundColor}${d.foregroundColor}`, () => renderSet(this.render, ICON_PT, () => iconSvg(d)));
  }

  async logo(design: PassDesign): Promise<PngSet> {
    const d = normaliseDesign(design);
    return this.get(`logo:${d.foregroundColor}`, () => renderSet(this.render, LOGO_PT, () => logoSvg(d)));
  }

  /**
   * A merchant's uploaded logo (a PNG, already normalised by the server) as the pass logo: fitted and centred in
   * the 50×50 pt square, transparent around it; cached by `sha256`, the PNG's SHA-256.
   */
  async uploadedLogo(png: Buffer, sha256: string): Promise<PngSet> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('Invalid sha256: expected 64 lower-case hex digits');
    return this.get(`uploaded-logo:${sha256}`, () => {
      const href = `data:image/png;base64,${png.toString('base64')}`;
      return renderSet(
        this.render,
        LOGO_PT,
        (scale) =>
          svgOpen(LOGO_PT.width, LOGO_PT.height, scale) +
          `<image href="${href}" width="${LOGO_PT.width}" height="${LOGO_PT.height}" preserveAspectRatio="xMidYMid meet"/></svg>`,
      );
    });
  }

  /** `renders`: picture sets rendered (3 PNGs each); `hits`: requests answered from the cache or an in-flight render. */
  stats(): { renders: number; hits: number; entries: number } {
    const { builds, hits, entries } = this.cache.stats();
    return { renders: builds, hits, entries };
  }

  private get(key: string, renderSetNow: () => Promise<PngSet>): Promise<PngSet> {
    return this.cache.get(key, renderSetNow);
  }
}
