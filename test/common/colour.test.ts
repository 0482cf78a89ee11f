import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contrastRatio, googleText, HEX, luminance, MIN_CONTRAST, mix, readableOn, stripBackground } from '../../common/colour.ts';

const close = (a: number, b: number, eps = 0.01) => assert.ok(Math.abs(a - b) < eps, `${a} is not ${b}`);

describe('luminance', () => {
  it('is 0 for black, 1 for white, and WCAG’s value in between', () => {
    assert.equal(luminance('#000000'), 0);
    close(luminance('#ffffff'), 1, 1e-9);
    close(luminance('#808080'), 0.2159, 1e-3);
    close(luminance('#ff0000'), 0.2126, 1e-9);
    close(luminance('#00ff00'), 0.7152, 1e-9);
  });
});

describe('contrastRatio', () => {
  it('is 21 for black on white, 1 for a colour on itself, whatever the order', () => {
    close(contrastRatio('#000000', '#ffffff'), 21);
    close(contrastRatio('#ffffff', '#000000'), 21);
    close(contrastRatio('#3b2f2f', '#3b2f2f'), 1);
  });

  it('tells readable text from unreadable, against the AA minimum', () => {
    assert.equal(MIN_CONTRAST, 4.5);
    close(contrastRatio('#767676', '#ffffff'), 4.54);
    assert.ok(contrastRatio('#767676', '#ffffff') >= MIN_CONTRAST);
    assert.ok(contrastRatio('#777777', '#ffffff') < MIN_CONTRAST);
    assert.ok(contrastRatio('#f3d9b1', '#3b2f2f') >= MIN_CONTRAST);
  });
});

describe('mix and stripBackground', () => {
  it('moves a colour towards another, channel by channel', () => {
    assert.equal(mix('#000000', '#ffffff', 0.5), '#808080');
    assert.equal(mix('#102030', '#102030', 0.3), '#102030');
    assert.equal(mix('#ff0000', '#0000ff', 1), '#0000ff');
  });

  it('lightens dark cards and darkens light ones, as the pass strip does', () => {
    assert.equal(stripBackground('#000000'), '#141414');
    assert.equal(stripBackground('#ffffff'), '#f0f0f0');
  });
});

describe('googleText', () => {
  it('is white on dark backgrounds and near-black on light ones', () => {
    assert.equal(googleText('#3b2f2f'), '#ffffff');
    assert.equal(googleText('#f5d7a1'), '#1f1f1f');
  });
});

describe('HEX', () => {
  it('takes #rrggbb only', () => {
    assert.ok(HEX.test('#3b2F2f'));
    for (const bad of ['3b2f2f', '#fff', '#3b2f2f0', 'red']) assert.ok(!HEX.test(bad), bad);
  });
});

describe('readableOn', () => {
  it("keeps the merchant's text colour when it reaches AA contrast on the background", () => {
    assert.equal(readableOn('#3b2f2f', '#ffffff'), '#ffffff');
    assert.equal(readableOn('#ffffff', '#767676'), '#767676');
  });

  it('else takes black or white, whichever reads better', () => {
    assert.equal(readableOn('#f3d9b1', '#ffffff'), '#000000'); // pale: white is 1.4:1
    assert.equal(readableOn('#1d4ed8', '#1e40af'), '#ffffff'); // dark blue on blue
    assert.equal(readableOn('#777777', '#888888'), '#000000'); // mid grey: black 4.7:1, white 4.5:1
    for (const bg of ['#000000', '#ffffff', '#ff0000', '#00ff00', '#0000ff', '#808080']) {
      const text = readableOn(bg, bg);
      assert.ok(
        contrastRatio(bg, text) >= MIN_CONTRAST || contrastRatio(bg, text) >= contrastRatio(bg, text === '#000000' ? '#ffffff' : '#000000'),
        bg,
      );
    }
  });
});
