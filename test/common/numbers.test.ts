import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decimalSeparator, numberText, parseNumber } from '../../common/numbers.ts';

describe('decimalSeparator', () => {
  it("is the language's own, as Intl knows it", () => {
    assert.equal(decimalSeparator('en'), '.');
    assert.equal(decimalSeparator('fr'), ',');
    assert.equal(decimalSeparator('de-CH'), '.');
    assert.equal(decimalSeparator('de'), ',');
  });
});

describe('numberText', () => {
  it('writes a number as typed in the language', () => {
    assert.equal(numberText(1.5, 'en'), '1.5');
    assert.equal(numberText(1.5, 'fr'), '1,5');
    assert.equal(numberText(10, 'fr'), '10');
    assert.equal(numberText(1000.25, 'fr'), '1000,25');
  });
});

describe('parseNumber', () => {
  it('reads either separator', () => {
    assert.equal(parseNumber('1.5'), 1.5);
    assert.equal(parseNumber('1,5'), 1.5);
    assert.equal(parseNumber(' 2 '), 2);
    assert.equal(parseNumber('.5'), 0.5);
  });

  it('takes digits only for a whole number', () => {
    assert.equal(parseNumber('10', true), 10);
    assert.equal(parseNumber('1.5', true), undefined);
    assert.equal(parseNumber('1,0', true), undefined);
  });

  it('refuses what is not a number', () => {
    for (const bad of ['', '.', '1.', 'a', '-1', '1 000', '1.2.3']) assert.equal(parseNumber(bad), undefined, bad);
  });

  it('reads back what numberText writes', () => {
    for (const locale of ['en', 'fr']) for (const n of [0, 1.5, 2.25, 10]) assert.equal(parseNumber(numberText(n, locale)), n);
  });
});
