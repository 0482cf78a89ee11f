import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { stripBackground } from '../../common/colour.ts';
import { GRID_AREA, MAX_STAMPS, STRIP_PT, stampLayout } from '../../common/stamp-layout.ts';
import {
  CALM_ZONE,
  PassImages,
  SAFE_BAND,
  iconSvg,
  logoSvg,
  normaliseStripState,
  renderPng,
  stripSvg,
  type PassDesign,
  type PngSet,
  type StripState,
} from '../../passes/images.ts';

const design: PassDesign = { backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f3d9b1' };
const stamps = (n: number, required = 10, rewardsAvailable = 0): StripState => ({ kind: 'stamps', stamps: n, required, rewardsAvailable });

// --- A small PNG decoder (8-bit RGB/RGBA, non-interlaced: what resvg writes) -----------------------------

interface Decoded {
  width: number;
  height: number;
  /** [r, g, b, a] at pixel (x, y). */
  at(x: number, y: number): [number, number, number, number];
}

function ihdr(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function decodePng(png: Buffer): Decoded {
  const { width, height } = ihdr(png);
  const bitDepth = png[24];
  const colourType = png[25];
  assert.equal(bitDepth, 8);
  assert.equal(png[28], 0, 'not interlaced');
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : assert.fail(`unexpected PNG colour type ${colourType}`);
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[y * stride + i - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? out[(y - 1) * stride + i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else assert.equal(filter, 0, `unknown PNG filter ${filter}`);
      out[y * stride + i] = v & 0xff;
    }
  }
  return {
    width,
    height,
    at(x, y) {
      const i = Math.floor(y) * stride + Math.floor(x) * channels;
      return [out[i]!, out[i + 1]!, out[i + 2]!, channels === 4 ? out[i + 3]! : 255];
    },
  };
}

const hex = ([r, g, b]: number[]) => '#' + [r!, g!, b!].map((c) => c.toString(16).padStart(2, '0')).join('');

// --- Layout ----------------------------------------------------------------------------------------------

describe('stampLayout', () => {
  it('keeps every circle in the safe band, below the primary field, on the canvas and apart, for 1..50 stamps', () => {
    for (let n = 1; n <= MAX_STAMPS; n++) {
      const { centres, radius: r, rows } = stampLayout(n);
      assert.equal(centres.length, n, `n=${n}`);
      assert.ok(rows >= 1 && rows <= 3, `n=${n}: ${rows} rows`);
      assert.ok(r >= 8, `n=${n}: radius ${r} is too small to read`);
      for (const { x, y } of centres) {
        assert.ok(y - r >= SAFE_BAND.top && y + r <= SAFE_BAND.bottom, `n=${n}: circle at y=${y} leaves the safe band`);
        assert.ok(y - r >= GRID_AREA.top && y + r <= GRID_AREA.bottom, `n=${n}: circle at y=${y} leaves the grid area`);
        assert.ok(x - r >= GRID_AREA.left && x + r <= GRID_AREA.right, `n=${n}: circle at x=${x} leaves the grid area`);
        assert.ok(y - r >= CALM_ZONE.bottom, `n=${n}: circle at (${x}, ${y}) enters the primary field's area`);
      }
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const d = Math.hypot(centres[i]!.x - centres[j]!.x, centres[i]!.y - centres[j]!.y);
          assert.ok(d >= 2 * r + 2, `n=${n}: slots ${i} and ${j} are ${d} pt apart, radius ${r}`);
        }
      }
    }
  });

  it('uses one row up to 12 stamps, two for 20, three for 50; fills row by row', () => {
    assert.equal(stampLayout(1).rows, 1);
    assert.equal(stampLayout(10).rows, 1);
    assert.equal(stampLayout(12).rows, 1);
    assert.equal(stampLayout(20).rows, 2);
    assert.equal(stampLayout(50).rows, 3);
    const { centres } = stampLayout(13);
    assert.ok(centres[6]!.y < centres[7]!.y, 'the second row starts after the 7th slot');
    assert.ok(centres[0]!.x < centres[1]!.x);
  });

  it('rejects required outside 1..50 or not an integer', () => {
    for (const bad of [0, 51, 2.5, NaN]) assert.throws(() => stampLayout(bad), /Invalid required/);
  });
});

describe('normaliseStripState', () => {
  it('clamps stamps, floors them, turns rewardsAvailable into 0/1 and rounds progress to 1/20', () => {
    assert.deepEqual(normaliseStripState(stamps(12, 10, 3)), stamps(10, 10, 1));
    assert.deepEqual(normaliseStripState(stamps(-2, 10, 0)), stamps(0, 10, 0));
    assert.deepEqual(normaliseStripState(stamps(3.7, 10, 0)), stamps(3, 10, 0));
    assert.deepEqual(normaliseStripState({ kind: 'progress', fraction: 0.62 }), { kind: 'progress', fraction: 0.6 });
    assert.deepEqual(normaliseStripState({ kind: 'progress', fraction: 1.7 }), { kind: 'progress', fraction: 1 });
    assert.deepEqual(normaliseStripState({ kind: 'progress', fraction: -1 }), { kind: 'progress', fraction: 0 });
  });

  it('rejects non-numbers and unknown kinds', () => {
    assert.throws(() => normaliseStripState(stamps(NaN)), /Invalid stamps/);
    assert.throws(() => normaliseStripState(stamps(1, 51)), /Invalid required/);
    assert.throws(() => normaliseStripState({ kind: 'progress', fraction: Infinity }), /Invalid fraction/);
    assert.throws(() => normaliseStripState({ kind: 'nope' } as unknown as StripState), /Invalid strip state kind/);
  });
});

// --- SVG -------------------------------------------------------------------------------------------------

describe('SVG', () => {
  it('has no text (no font is loaded) and carries only the given colours', () => {
    for (const svg of [stripSvg(design, stamps(7, 10, 1), 3), iconSvg(design), logoSvg(design)]) {
      assert.doesNotMatch(svg, /<text|<image|<script|href=/);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('rejects any colour that is not #rrggbb, so nothing can be injected into the SVG', () => {
    const bad = ['#fff', 'red', '#12345g', 'rgb(1,2,3)', '#123456"/><script>alert(1)</script>', ' #123456', '#123456 ', '', null, 123];
    for (const value of bad) {
      const d = { ...design, foregroundColor: value } as unknown as PassDesign;
      assert.throws(() => stripSvg(d, stamps(1), 1), /Invalid foregroundColor: expected a colour like #1a2b3c/);
      assert.throws(() => iconSvg({ ...design, backgroundColor: value } as unknown as PassDesign), /Invalid backgroundColor/);
      assert.throws(() => logoSvg({ ...design, labelColor: value } as unknown as PassDesign), /Invalid labelColor/);
    }
    assert.throws(() => stripSvg(design, stamps(1), 4 as 1), /Invalid scale/);
  });
});

// --- PNG -------------------------------------------------------------------------------------------------

describe('PassImages', () => {
  const images = new PassImages();

  async function assertSizes(set: PngSet, w: number, h: number) {
    for (const [key, scale] of [
      ['1x', 1],
      ['2x', 2],
      ['3x', 3],
    ] as const) {
      assert.deepEqual(ihdr(set[key]), { width: w * scale, height: h * scale }, `${key}`);
    }
  }

  it('renders every picture at the exact sizes', async () => {
    await assertSizes(await images.strip(design, stamps(7)), 375, 144);
    await assertSizes(await images.strip(design, { kind: 'progress', fraction: 0.5 }), 375, 144);
    await assertSizes(await images.strip(design, { kind: 'plain' }), 375, 144);
    await assertSizes(await images.icon(design), 29, 29);
    await assertSizes(await images.logo(design), 50, 50);
  });

  it('draws filled stamps in the foreground colour, empty ones as outlines, and leaves the primary field area calm', async () => {
    const png = decodePng((await images.strip(design, stamps(7)))['3x']);
    const band = stripBackground(design.backgroundColor);
    const { centres, radius: r } = stampLayout(10);
    const px = (x: number, y: number) => hex(png.at(x * 3, y * 3));
    // The check mark crosses the centre, so look above it, inside the filled circle.
    for (let i = 0; i < 7; i++) assert.equal(px(centres[i]!.x, centres[i]!.y - 0.6 * r), design.foregroundColor, `slot ${i}`);
    assert.equal(px(centres[0]!.x + 0.05 * r, centres[0]!.y + 0.15 * r), design.backgroundColor, 'the check mark');
    for (const i of [7, 8]) {
      assert.equal(px(centres[i]!.x, centres[i]!.y), band, `empty slot ${i}`);
      assert.notEqual(px(centres[i]!.x, centres[i]!.y), design.foregroundColor);
    }
    assert.notEqual(px(centres[9]!.x + 0.2 * r, centres[9]!.y + 0.3 * r), band, 'the reward slot shows a gift');
    for (let y = 0; y < CALM_ZONE.bottom * 3; y += 2) {
      for (let x = 0; x < CALM_ZONE.right * 3; x += 2) assert.equal(hex(png.at(x, y)), band, `calm area pixel (${x}, ${y})`);
    }
  });

  it('shades the strip a little lighter on dark cards and darker on light ones', () => {
    assert.equal(stripBackground('#000000'), '#141414');
    assert.equal(stripBackground('#ffffff'), '#f0f0f0');
  });

  it('shows a badge when a reward is ready, and a full reward slot when all stamps are in', async () => {
    const none = decodePng((await images.strip(design, stamps(10, 10, 0)))['1x']);
    const ready = decodePng((await images.strip(design, stamps(10, 10, 1)))['1x']);
    assert.equal(hex(none.at(346, 35)), stripBackground(design.backgroundColor));
    assert.notEqual(hex(ready.at(346, 35)), stripBackground(design.backgroundColor));
    const { centres, radius: r } = stampLayout(10);
    assert.equal(hex(none.at(centres[9]!.x, centres[9]!.y - 0.8 * r)), design.foregroundColor);
  });

  it('keeps every mark inside the safe band for 1, 12, 20 and 50 stamps (rendered)', async () => {
    const band = stripBackground(design.backgroundColor);
    for (const required of [1, 12, 20, 50]) {
      for (const state of [stamps(Math.floor(required / 2), required, 1), stamps(required, required, 0)]) {
        const png = decodePng((await images.strip(design, state))['3x']);
        for (let y = 0; y < 432; y++) {
          if (y >= SAFE_BAND.top * 3 && y < SAFE_BAND.bottom * 3) continue;
          for (let x = 0; x < 1125; x += 3) assert.equal(hex(png.at(x, y)), band, `required=${required}: pixel (${x}, ${y})`);
        }
      }
    }
  });

  it('keeps the progress bar, the plain pattern and the reward badge out of the primary field area and the crop', async () => {
    const band = stripBackground(design.backgroundColor);
    const states: StripState[] = [
      { kind: 'progress', fraction: 1 },
      { kind: 'progress', fraction: 0.05 },
      { kind: 'plain' },
      stamps(25, 50, 1),
    ];
    for (const state of states) {
      const png = decodePng((await images.strip(design, state))['1x']);
      let marks = 0;
      for (let y = 0; y < STRIP_PT.height; y++) {
        for (let x = 0; x < STRIP_PT.width; x++) {
          const colour = hex(png.at(x, y));
          const outside = y < SAFE_BAND.top || y >= SAFE_BAND.bottom || (x < CALM_ZONE.right && y < CALM_ZONE.bottom);
          if (outside && state.kind !== 'plain') assert.equal(colour, band, `${JSON.stringify(state)}: pixel (${x}, ${y})`);
          else if (outside && x < CALM_ZONE.right) assert.equal(colour, band, `plain: pixel (${x}, ${y})`);
          if (colour !== band) marks++;
        }
      }
      assert.ok(marks > 500, `${JSON.stringify(state)} draws something`);
    }
  });

  it('draws the icon as an opaque rounded square and the logo on a transparent background', async () => {
    const icon = decodePng((await images.icon(design))['3x']);
    assert.equal(icon.at(0, 0)[3], 0, 'rounded corner');
    assert.deepEqual(icon.at(4, 43), [0x3b, 0x2f, 0x2f, 255]);
    assert.equal(hex(icon.at(43, 15)), design.foregroundColor);
    const logo = decodePng((await images.logo(design))['3x']);
    assert.equal(logo.at(0, 0)[3], 0);
    assert.equal(logo.at(300, 75)[3], 0, 'nothing right of the mark');
    assert.deepEqual(logo.at(75, 25), [255, 255, 255, 255]);
    assert.equal(logo.at(75, 85)[3], 0, 'the check mark is cut out');
  });

  it('caches: different states differ, the same state is the same object without a render', async () => {
    const a = await images.strip(design, stamps(3));
    const b = await images.strip(design, stamps(4));
    assert.notDeepEqual(a['3x'], b['3x']);
    assert.notDeepEqual(a['1x'], b['1x']);
    const before = images.stats();
    const again = await images.strip(design, stamps(3));
    assert.equal(again, a);
    assert.equal(again['3x'], a['3x']);
    assert.equal(images.stats().renders, before.renders);
    assert.equal(images.stats().hits, before.hits + 1);
  });

  it('normalises the key: clamped stamps, rounded progress, any reward count, colour case', async () => {
    const before = images.stats().renders;
    const full = await images.strip(design, stamps(10, 10, 1));
    assert.equal(await images.strip(design, stamps(25, 10, 4)), full);
    assert.equal(await images.strip({ ...design, foregroundColor: '#FFFFFF' }, stamps(10.9, 10, 1)), full);
    const p = await images.strip(design, { kind: 'progress', fraction: 0.6 });
    assert.equal(await images.strip(design, { kind: 'progress', fraction: 0.61 }), p);
    assert.ok(images.stats().renders <= before + 2);
    // The icon ignores the label colour, the logo uses only the foreground colour.
    assert.equal(await images.icon({ ...design, labelColor: '#000000' }), await images.icon(design));
    assert.equal(await images.logo({ ...design, backgroundColor: '#000000' }), await images.logo(design));
  });

  it('shares one in-flight render among concurrent requests', async () => {
    const fresh = new PassImages();
    const results = await Promise.all(Array.from({ length: 10 }, () => fresh.strip(design, stamps(5, 12))));
    assert.deepEqual(fresh.stats(), { renders: 1, hits: 9, entries: 1 });
    for (const r of results) assert.equal(r, results[0]);
  });

  it('does not cache a failed render', async () => {
    let calls = 0;
    const flaky = new PassImages({
      render: async (svg, width) => {
        calls++;
        if (calls <= 3) throw new Error('boom');
        return renderPng(svg, width);
      },
    });
    await assert.rejects(flaky.icon(design), /boom/);
    const set = await flaky.icon(design);
    assert.deepEqual(ihdr(set['2x']), { width: 58, height: 58 });
    assert.equal(flaky.stats().renders, 2);
  });

  it('evicts the least recently used entry', async () => {
    const small = new PassImages({ maxEntries: 2 });
    await small.strip(design, stamps(1));
    await small.strip(design, stamps(2));
    await small.strip(design, stamps(1)); // 1 is now the most recent
    await small.strip(design, stamps(3)); // evicts 2
    assert.deepEqual(small.stats(), { renders: 3, hits: 1, entries: 2 });
    await small.strip(design, stamps(1));
    assert.equal(small.stats().renders, 3);
    await small.strip(design, stamps(2));
    assert.equal(small.stats().renders, 4);
    assert.throws(() => new PassImages({ maxEntries: 0 }), /Invalid maxEntries/);
  });

  it('rejects invalid colours and states without rendering', async () => {
    const fresh = new PassImages();
    await assert.rejects(fresh.strip({ ...design, labelColor: '#12345' }, stamps(1)), /Invalid labelColor/);
    await assert.rejects(fresh.icon({ ...design, backgroundColor: 'url(#x)' }), /Invalid backgroundColor/);
    await assert.rejects(fresh.logo({ ...design, foregroundColor: '#ffffff"/>' }), /Invalid foregroundColor/);
    await assert.rejects(fresh.strip(design, stamps(1, 0)), /Invalid required/);
    assert.equal(fresh.stats().renders, 0);
  });

  it("encodes the same pixels as resvg's own PNG encoder (straight, not premultiplied, alpha)", async () => {
    const cases: [string, number][] = [
      [stripSvg(design, stamps(7, 10, 1), 2), 750],
      [iconSvg(design), 87],
      [logoSvg(design), 150],
      [logoSvg({ ...design, foregroundColor: '#ff8040' }), 50],
    ];
    for (const [svg, width] of cases) {
      const ours = decodePng(await renderPng(svg, width));
      const theirs = decodePng(
        new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } }).render().asPng(),
      );
      assert.deepEqual([ours.width, ours.height], [theirs.width, theirs.height]);
      let translucent = 0;
      for (let y = 0; y < ours.height; y++) {
        for (let x = 0; x < ours.width; x++) {
          const a = ours.at(x, y);
          const b = theirs.at(x, y);
          assert.equal(a[3], b[3], `alpha at (${x}, ${y})`);
          if (a[3] === 0) continue;
          if (a[3] < 255) translucent++;
          const tolerance = a[3] === 255 ? 0 : 1;
          for (let c = 0; c < 3; c++) assert.ok(Math.abs(a[c]! - b[c]!) <= tolerance, `(${x}, ${y}): ${a} vs ${b}`);
        }
      }
      if (width !== 750) assert.ok(translucent > 0, 'the antialiased edges were compared');
    }
  });

  it('sizes the strip SVG by scale, in points inside', () => {
    assert.match(
      stripSvg(design, { kind: 'plain' }, 2),
      new RegExp(`width="${STRIP_PT.width * 2}" height="${STRIP_PT.height * 2}" viewBox="0 0 375 144"`),
    );
  });
});
