// Issue 12: the in-store poster's room (posters/), from plain data: its words, its layout (nothing
// leaves the page or enters the QR code's quiet zone, whatever the name), and the two drawings of
// one layout (PDF and PNG put the text at the same place, and the code reads from afar).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassImages } from '../../passes/images.ts';
import { MissingFontError, posterFonts } from '../../posters/fonts.ts';
import {
  type Box,
  layoutPoster,
  PAGE_SIZES,
  type PosterInput,
  type PosterLayout,
  QR_SIDE_A4,
  QUIET_MODULES,
  SIDE_MARGIN,
  type TextBlock,
} from '../../posters/layout.ts';
import { cleanText } from '../../posters/text.ts';
import { posterPdf } from '../../posters/pdf.ts';
import { POSTER_DPI, posterPng, posterSvg } from '../../posters/png.ts';
import { bonusSentence, offerSentence } from '../../common/offer.ts';
import { decodePng, inkBox, pdfText, type Raster, rasterisePdf, readQr } from '../support/raster.ts';

const fonts = posterFonts();
const design = { background: '#3b2f2f', foreground: '#ffffff', label: '#f3d9b1' };
/** A light band: the name is dark ink on it, which the ink boxes below look for. */
const light = { background: '#f6efe4', foreground: '#1f2328', label: '#6e4b2a' };
const NAME_60 = 'Boulangerie-Pâtisserie Artisanale des Frères Dupont-Lefèvre!';
const mark = async () =>
  (await new PassImages().logo({ backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f3d9b1' }))['3x'];

function input(over: Partial<PosterInput> = {}): PosterInput {
  return {
    size: 'a4',
    language: 'fr',
    merchantName: 'Café Lune',
    offer: { kind: 'stamps', required: 10, reward: 'Un café offert' },
    bonus: { unit: 'stamps', amount: 0, currency: 'EUR' },
    joinUrl: 'https://loyalty.example.com/j/cafe-lune',
    colors: design,
    logo: null,
    ...over,
  };
}

const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box, slack = 0.01) =>
  a.x >= b.x - slack && a.y >= b.y - slack && a.x + a.width <= b.x + b.width + slack && a.y + a.height <= b.y + b.height + slack;
const px = (b: Box, dpi: number): Box => ({
  x: (b.x * dpi) / 72,
  y: (b.y * dpi) / 72,
  width: (b.width * dpi) / 72,
  height: (b.height * dpi) / 72,
});
const grow = (b: Box, d: number): Box => ({ x: b.x - d, y: b.y - d, width: b.width + 2 * d, height: b.height + 2 * d });

/** The name: the first text drawn. */
function nameBlock(l: PosterLayout): TextBlock {
  const name = l.shapes.find((s) => s.kind === 'text');
  assert.ok(name?.kind === 'text');
  return name;
}

/** Every text line stays within the side margins and the page; no text touches the code's quiet zone. */
function assertContained(l: PosterLayout, what: string) {
  const k = l.width / PAGE_SIZES.a4.width;
  const column = { x: SIDE_MARGIN * k, y: 0, width: l.width - 2 * SIDE_MARGIN * k, height: l.height };
  for (const s of l.shapes) {
    if (s.kind !== 'text') continue;
    for (const line of s.lines) {
      const box = { x: line.x, y: line.baseline - 0.93 * s.size, width: line.width, height: 1.17 * s.size };
      assert.ok(inside(box, column), `${what}: "${line.text}" stays inside the margins (${JSON.stringify(box)})`);
      assert.ok(!intersects(box, l.boxes.quietZone), `${what}: "${line.text}" keeps out of the code's quiet zone`);
    }
  }
  assert.ok(inside(l.boxes.quietZone, { x: 0, y: 0, width: l.width, height: l.height }), `${what}: the quiet zone is on the page`);
  assert.ok(l.boxes.name.y + l.boxes.name.height <= l.boxes.header.height + 0.01, `${what}: the name stays in its band`);
  assert.ok(l.boxes.steps.y + l.boxes.steps.height <= l.height, `${what}: the steps are on the page`);
}

describe('the poster’s words', () => {
  it('says the offer in one sentence, in French and in English', () => {
    const stamps = { kind: 'stamps', required: 10, reward: 'Un café offert' } as const;
    assert.equal(offerSentence(stamps, 'fr'), '10 tampons = un café offert');
    assert.equal(offerSentence({ ...stamps, reward: 'A free coffee' }, 'en'), 'Collect 10 stamps: a free coffee');
    assert.equal(offerSentence({ ...stamps, required: 1, reward: 'IKEA bag' }, 'en'), 'Collect 1 stamp: IKEA bag');
    const points = { kind: 'points', perUnit: 1, currency: 'EUR', reward: { name: 'Croissant', points: 100 } } as const;
    assert.equal(offerSentence(points, 'en'), '1 point for every €1 you spend · 100 points: croissant');
    assert.equal(offerSentence({ ...points, perUnit: 2, reward: null }, 'fr'), '2 points par 1\u00a0€ dépensé');
    assert.equal(offerSentence({ ...points, perUnit: 1.5, reward: null }, 'fr'), '1,5 point par 1\u00a0€ dépensé');
    const tiers = { kind: 'tiers', perUnit: 1, currency: 'EUR', reward: null, tiers: ['Argent', 'Or'] } as const;
    assert.equal(offerSentence(tiers, 'fr'), '1 point par 1\u00a0€ dépensé · niveaux : Argent, Or');
    assert.equal(offerSentence({ kind: 'cashback', percent: 5 }, 'en'), '5% of every purchase back on your card');
    // ICU's French puts a no-break space (U+00A0 or U+202F, by version) before %.
    assert.match(
      offerSentence({ kind: 'cashback', percent: 2.5 }, 'fr'),
      /^2,5[\u00a0\u202f]% de chaque achat reviennent sur votre carte$/,
    );
  });

  it('adds the signup bonus in the program’s unit, and nothing without one', () => {
    assert.equal(bonusSentence({ unit: 'stamps', amount: 1, currency: 'EUR' }, 'fr'), '+ 1 tampon offert à l’inscription');
    assert.equal(bonusSentence({ unit: 'stamps', amount: 2, currency: 'EUR' }, 'en'), '+ 2 free stamps when you join');
    assert.equal(bonusSentence({ unit: 'points', amount: 50, currency: 'EUR' }, 'fr'), '+ 50 points offerts à l’inscription');
    assert.equal(bonusSentence({ unit: 'cashback', amount: 200, currency: 'EUR' }, 'en'), '+ €2.00 on your card when you join');
    assert.equal(bonusSentence({ unit: 'stamps', amount: 0, currency: 'EUR' }, 'en'), null);
  });

  it('keeps what XML and the PDF cannot hold out of the text', () => {
    assert.equal(cleanText(' Café\u0000\u0007 Lune\n\u2028 '), 'Café Lune');
    assert.equal(cleanText('a\ud800b'), 'a\ufffdb');
    assert.equal(cleanText('1\u00a0€  et\t5\u202f%'), '1\u00a0€ et 5\u202f%');
  });
});

describe('the poster’s layout', () => {
  it('puts a 12 cm code on A4 (8.5 cm on A5), with its quiet zone, and A5 is A4 scaled', () => {
    const a4 = layoutPoster(input(), fonts.measure);
    const a5 = layoutPoster(input({ size: 'a5' }), fonts.measure);
    assert.equal(a4.width, 595.28);
    assert.equal(a4.height, 841.89);
    assert.ok(Math.abs(a4.boxes.qr.width - QR_SIDE_A4) < 1e-9);
    assert.ok((a4.boxes.qr.width / 72) * 2.54 >= 12 - 1e-9, 'at least 12 cm');
    const qr = a4.shapes.find((s) => s.kind === 'qr')!;
    assert.equal(qr.kind === 'qr' && qr.matrix.size * qr.module, a4.boxes.qr.width);
    assert.ok(Math.abs(a4.boxes.quietZone.width - a4.boxes.qr.width - 2 * QUIET_MODULES * (qr.kind === 'qr' ? qr.module : 0)) < 1e-9);
    const k = a5.width / a4.width;
    assert.ok(Math.abs(a5.boxes.qr.width - a4.boxes.qr.width * k) < 1e-9);
    assert.deepEqual(
      a5.shapes.filter((s) => s.kind === 'text').map((s) => s.kind === 'text' && s.lines.map((l) => l.text)),
      a4.shapes.filter((s) => s.kind === 'text').map((s) => s.kind === 'text' && s.lines.map((l) => l.text)),
      'the same lines on both sizes',
    );
  });

  it('uses error correction Q when it costs no module, else M', () => {
    const short = layoutPoster(input({ joinUrl: 'http://fidelio.test/j/a' }), fonts.measure).shapes.find((s) => s.kind === 'qr');
    assert.ok(short?.kind === 'qr' && ['M', 'Q'].includes(short.matrix.level));
    const long = layoutPoster(input({ joinUrl: `https://loyalty.example.com/j/${'a'.repeat(64)}` }), fonts.measure).shapes.find(
      (s) => s.kind === 'qr',
    );
    assert.ok(long?.kind === 'qr');
    assert.ok(long.matrix.size >= 37, `a long address takes a bigger code (${long.matrix.size} modules)`);
  });

  for (const size of ['a4', 'a5'] as const) {
    it(`lays out a 60-character name with no logo on ${size.toUpperCase()}: shrunk, wrapped, clear of the code`, () => {
      assert.equal(NAME_60.length, 60);
      const l = layoutPoster(input({ size, merchantName: NAME_60, logo: null }), fonts.measure);
      assertContained(l, '60 characters');
      assert.equal(l.boxes.logo, null);
      const name = nameBlock(l);
      assert.equal(name.lines.map((line) => line.text).join(' '), NAME_60, 'every word is there, none cut');
      assert.ok(name.lines.length <= 2, `${name.lines.length} lines`);
      assert.ok(name.size < nameBlock(layoutPoster(input({ size }), fonts.measure)).size, 'smaller than a short name');
      assert.ok(!intersects(l.boxes.name, l.boxes.quietZone) && !intersects(l.boxes.name, l.boxes.qr));
    });
  }

  it('survives the worst: a 100-character word for a name, a long offer, a bonus, a logo, the longest address', async () => {
    const png = await mark();
    const worst = [
      input({ merchantName: 'W'.repeat(100), logo: { png, kind: 'uploaded' } }),
      input({
        merchantName: `${'Très long nom de commerce '.repeat(4)}`.slice(0, 100),
        offer: { kind: 'stamps', required: 50, reward: 'R'.repeat(100) },
        bonus: { unit: 'cashback', amount: 123456, currency: 'EUR' },
        joinUrl: `https://loyalty.a-very-long-host-name-for-a-loyalty-server.example.com/j/${'z'.repeat(64)}`,
        logo: { png, kind: 'mark' },
      }),
      input({
        language: 'en',
        offer: {
          kind: 'tiers',
          perUnit: 999.75,
          currency: 'EUR',
          reward: { name: 'x'.repeat(100), points: 1e9 },
          tiers: Array(10).fill('y'.repeat(40)),
        },
        bonus: { unit: 'points', amount: 1e6, currency: 'EUR' },
      }),
    ];
    for (const [i, w] of worst.entries()) {
      for (const size of ['a4', 'a5'] as const) {
        const l = layoutPoster({ ...w, size }, fonts.measure);
        assertContained(l, `worst case ${i + 1}, ${size}`);
        const text = l.shapes.flatMap((s) => (s.kind === 'text' ? s.lines.map((line) => line.text) : []));
        assert.ok(text.some((t) => t.endsWith('…')) || i === 0, `worst case ${i + 1}: what cannot fit is cut with "…"`);
      }
    }
  });

  it('draws text in the merchant’s colours only where they read on white; the code dark enough to scan', () => {
    const dark = layoutPoster(input(), fonts.measure);
    const pale = layoutPoster(input({ colors: { background: '#ffe8a3', foreground: '#222222', label: '#444444' } }), fonts.measure);
    const colourOf = (l: PosterLayout, kind: 'qr') => l.shapes.find((s) => s.kind === kind)!;
    assert.equal((colourOf(dark, 'qr') as { color: string }).color, '#3b2f2f');
    assert.equal((colourOf(pale, 'qr') as { color: string }).color, '#000000');
  });
});

describe('the poster drawn', () => {
  it('as a PDF: one page of A4 or A5, the text as text, the fonts embedded', async () => {
    for (const size of ['a4', 'a5'] as const) {
      const l = layoutPoster(input({ size, merchantName: NAME_60, bonus: { unit: 'stamps', amount: 1, currency: 'EUR' } }), fonts.measure);
      const pdf = await posterPdf(l, fonts);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const mediaBox = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
      assert.deepEqual(mediaBox && [Number(mediaBox[1]), Number(mediaBox[2])], [PAGE_SIZES[size].width, PAGE_SIZES[size].height]);
      const text = pdfText(pdf);
      assert.equal(text.split('\f').filter((p) => p.trim()).length, 1, 'one page');
      assert.match(text.replace(/\s+/g, ' '), /Boulangerie-Pâtisserie Artisanale des Frères Dupont-Lefèvre!/);
      assert.match(text, /10 tampons = un café offert/);
      assert.match(text, /\+ 1 tampon offert à l’inscription/);
      assert.match(text, /Montrez votre carte au/);
      assert.match(pdf.toString('latin1'), /\/FontFile2/, 'the fonts are embedded');
    }
  });

  it('as a PNG at 150 dpi that says so, from the same layout; odd characters are escaped', async () => {
    const l = layoutPoster(input({ merchantName: 'Chez <Zoé> & "Léa\'s"' }), fonts.measure);
    assert.match(posterSvg(l), /Chez &lt;Zoé&gt; &amp; &quot;Léa&apos;s&quot;/);
    const png = await posterPng(l, fonts);
    const r = decodePng(png);
    assert.deepEqual([r.width, r.height], [1240, 1754]);
    const phys = png.indexOf('pHYs');
    assert.ok(phys > 0, 'a pHYs chunk');
    assert.equal(png.readUInt32BE(phys + 4), Math.round(POSTER_DPI / 0.0254));
    assert.equal(readQr(r), 'https://loyalty.example.com/j/cafe-lune');
  });

  it('puts the 60-character name at the same place in the PDF and the PNG, inside its box, the quiet zone white', async () => {
    const l = layoutPoster(input({ merchantName: NAME_60, colors: light }), fonts.measure);
    const fromPng = decodePng(await posterPng(l, fonts));
    const fromPdf = rasterisePdf(await posterPdf(l, fonts), POSTER_DPI);
    const name = px(l.boxes.name, POSTER_DPI);
    // Around the box, short of the line under it (4 pt = 8 pixels lower).
    const around = { x: name.x - 30, y: name.y - 30, width: name.width + 60, height: name.height + 36 };
    const inkPng = inkBox(fromPng, around);
    const inkPdf = inkBox(fromPdf, around);
    assert.ok(inkPng && inkPdf);
    assert.ok(inside(inkPng, grow(name, 2)), `the PNG's name ${JSON.stringify(inkPng)} is inside its box ${JSON.stringify(name)}`);
    assert.ok(inside(inkPdf, grow(name, 2)), `the PDF's name ${JSON.stringify(inkPdf)} is inside its box ${JSON.stringify(name)}`);
    for (const side of ['x', 'y', 'width', 'height'] as const) {
      assert.ok(Math.abs(inkPng[side] - inkPdf[side]) <= 3, `${side}: PNG ${inkPng[side]} vs PDF ${inkPdf[side]}`);
    }
    // The quiet zone, less the code: not one dark pixel in either drawing.
    const zone = px(l.boxes.quietZone, POSTER_DPI);
    const code = px(l.boxes.qr, POSTER_DPI);
    const bands: Box[] = [
      { x: zone.x, y: zone.y, width: zone.width, height: code.y - zone.y - 1 },
      { x: zone.x, y: code.y + code.height + 1, width: zone.width, height: zone.y + zone.height - code.y - code.height - 1 },
      { x: zone.x, y: zone.y, width: code.x - zone.x - 1, height: zone.height },
      { x: code.x + code.width + 1, y: zone.y, width: zone.x + zone.width - code.x - code.width - 1, height: zone.height },
    ];
    for (const [what, r] of [
      ['PNG', fromPng],
      ['PDF', fromPdf],
    ] as [string, Raster][]) {
      for (const band of bands) assert.equal(inkBox(r, band, 200), null, `${what}: the quiet zone is white`);
    }
  });

  it('reads from a metre away: the longest address decodes from the PDF at 24 dpi, and not at 8', async () => {
    // A phone scans frames about 1280 pixels wide; 1 m away its camera (≈ 70°) sees 1.4 m across:
    // ≈ 0.9 pixel a millimetre, 23 dpi. At 8 dpi (3 m away, or a 4 cm code) the reader must fail:
    // the check is able to fail.
    const url = `https://loyalty.example.com/j/${'cafe-de-la-lune-'.repeat(4)}`;
    const pdf = await posterPdf(layoutPoster(input({ joinUrl: url, merchantName: NAME_60 }), fonts.measure), fonts);
    assert.equal(readQr(rasterisePdf(pdf, 72)), url);
    assert.equal(readQr(rasterisePdf(pdf, 24)), url);
    assert.equal(readQr(rasterisePdf(pdf, 8)), null);
  });

  it('hands every PDF the fonts parsed once (pdfkit still keeps its fontkit font where fonts.ts looks)', () => {
    for (const source of Object.values(fonts.pdfSources)) {
      assert.ok(!Buffer.isBuffer(source), 'a parsed font, not the bytes: pdfkit has moved `_font.font`, PDFs are slower');
      assert.equal(typeof source.layout, 'function');
    }
  });

  it('fails plainly when DejaVu is not installed', () => {
    assert.throws(
      () => posterFonts(['/nonexistent/fonts']),
      (e: unknown) =>
        e instanceof MissingFontError && /DejaVuSans\.ttf/.test(e.message) && /apt-get install fonts-dejavu-core/.test(e.message),
    );
  });
});
