import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currencyDigits, formatMoney, moneyText, parseMoney } from '../../common/money.ts';

/** Intl writes narrow and non-breaking spaces ("12,50 €"): plain spaces read better in assertions. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('currencyDigits', () => {
  it('knows the minor digits of a currency, and says 2 for an unknown one', () => {
    assert.equal(currencyDigits('EUR'), 2);
    assert.equal(currencyDigits('USD'), 2);
    assert.equal(currencyDigits('JPY'), 0);
    assert.equal(currencyDigits('KWD'), 3);
    assert.equal(currencyDigits('EU'), 2);
    assert.equal(currencyDigits(''), 2);
  });
});

describe('formatMoney', () => {
  it('writes minor units in the currency and the language', () => {
    assert.equal(plain(formatMoney(1250, 'EUR', 'fr')), '12,50 €');
    assert.equal(formatMoney(1250, 'EUR', 'en'), '€12.50');
    assert.equal(formatMoney(123456, 'USD', 'en'), '$1,234.56');
    assert.equal(plain(formatMoney(123456, 'EUR', 'fr')), '1 234,56 €');
  });

  it('takes a currency without minor units (JPY) as whole yen', () => {
    assert.equal(formatMoney(1250, 'JPY', 'en'), '¥1,250');
    assert.equal(plain(formatMoney(1250, 'JPY', 'fr')), '1 250 JPY');
  });

  it('writes the sign of a change when asked, and none for zero', () => {
    assert.equal(formatMoney(250, 'EUR', 'en', true), '+€2.50');
    assert.equal(formatMoney(-100, 'EUR', 'en', true), '-€1.00');
    assert.equal(formatMoney(0, 'EUR', 'en', true), '€0.00');
    assert.equal(formatMoney(-100, 'EUR', 'en'), '-€1.00');
  });

  it('shows a currency still being typed as its code, the amount in the language', () => {
    assert.equal(formatMoney(350, 'EU', 'fr'), '3,50 EU');
    assert.equal(formatMoney(350, 'EU', 'en'), '3.50 EU');
  });
});

describe('moneyText', () => {
  it("writes an amount as it is typed: the language's decimal separator, no grouping", () => {
    assert.equal(moneyText(150, 2, 'en'), '1.50');
    assert.equal(moneyText(150, 2, 'fr'), '1,50');
    assert.equal(moneyText(100, 2, 'fr'), '1,00');
    assert.equal(moneyText(12345678, 2, 'fr'), '123456,78');
    assert.equal(moneyText(0, 2, 'en'), '0.00');
  });

  it('writes whole units for a currency without minor units', () => {
    assert.equal(moneyText(150, 0, 'en'), '150');
    assert.equal(moneyText(1500, 0, 'fr'), '1500');
  });

  it('reads back what it writes', () => {
    for (const locale of ['en', 'fr'])
      for (const minor of [0, 5, 150, 99999]) assert.equal(parseMoney(moneyText(minor, 2, locale), 2), minor);
  });
});

describe('parseMoney', () => {
  it('reads either separator and ignores spaces', () => {
    assert.equal(parseMoney('1.5', 2), 150);
    assert.equal(parseMoney('1,50', 2), 150);
    assert.equal(parseMoney('12', 2), 1200);
    assert.equal(parseMoney('1 000', 2), 100000);
    assert.equal(parseMoney('1\u202f000,5', 2), 100050);
  });

  it('refuses what is not an amount of at most the currency’s digits', () => {
    for (const bad of ['', 'abc', '1.505', '1.2.3', '-1', '.5', '1e3']) assert.equal(parseMoney(bad, 2), undefined, bad);
  });

  it('takes whole yen only when the currency has no minor units', () => {
    assert.equal(parseMoney('1500', 0), 1500);
    assert.equal(parseMoney('15.5', 0), undefined);
    assert.equal(parseMoney('15,', 0), undefined);
  });
});
