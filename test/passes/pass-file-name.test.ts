// The file a card's pass downloads as: named after the shop (an ASCII slug, and the name itself in
// UTF-8 as RFC 6266's filename*), never `loyalty-card.pkpass` for every shop alike.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { passFileName } from '../../passes/apple/pass.ts';
import { attachment } from '../../server/http/headers.ts';

describe('passFileName', () => {
  test('an ASCII slug of the business name, and the name itself without what a file name cannot hold', () => {
    const cases: [string, string, string][] = [
      ['Café Lune', 'cafe-lune.pkpass', 'Café Lune.pkpass'],
      ['L’Œuf & Co.', 'l-oeuf-co.pkpass', 'L’Œuf & Co.pkpass'],
      ['Straße 12', 'strasse-12.pkpass', 'Straße 12.pkpass'],
      ['Boulangerie "Chez Paul" / Nice', 'boulangerie-chez-paul-nice.pkpass', 'Boulangerie Chez Paul Nice.pkpass'],
      ['  ../../etc/passwd ', 'etc-passwd.pkpass', 'etc passwd.pkpass'],
      ['Tab\there\u0000\u202e', 'tab-here.pkpass', 'Tab here.pkpass'],
      ['☕ Java Joe', 'java-joe.pkpass', '☕ Java Joe.pkpass'],
      // Nothing of the name in ASCII: the generic name, the real one in filename*.
      ['咖啡店', 'loyalty-card.pkpass', '咖啡店.pkpass'],
      ['', 'loyalty-card.pkpass', 'loyalty-card.pkpass'],
    ];
    for (const [name, ascii, utf8] of cases) assert.deepEqual(passFileName(name), { ascii, utf8 }, name);
    const long = passFileName('Très '.repeat(60));
    assert.ok(long.ascii.length <= 60 + '.pkpass'.length && !long.ascii.includes('-.'), long.ascii);
    assert.ok(Array.from(long.utf8).length <= 100 + '.pkpass'.length, long.utf8);
  });
});

describe('attachment (Content-Disposition, RFC 6266)', () => {
  test('the ASCII name for every client, and filename* (RFC 8187) with the UTF-8 one when it differs', () => {
    const { ascii, utf8 } = passFileName('Café Lune (Nice)');
    assert.equal(
      attachment(ascii, utf8),
      `attachment; filename="cafe-lune-nice.pkpass"; filename*=UTF-8''Caf%C3%A9%20Lune%20%28Nice%29.pkpass`,
    );
    assert.equal(attachment('customers.csv'), 'attachment; filename="customers.csv"');
    // A quote or a backslash cannot break out of the quoted name.
    assert.equal(attachment('a"b\\c.pkpass', 'a"b\\c.pkpass'), `attachment; filename="a_b_c.pkpass"; filename*=UTF-8''a%22b%5Cc.pkpass`);
  });
});
