// The Google Wallet class and object as pure functions of a card's content (every program type,
// both languages, Google's documented limits), the hero image names, the milestone levels, and
// the service-account key as the environment gives it (path, JSON text, `\n`, malformed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cashbackAmount, type PassContent } from '../../passes/content.ts';
import { devServiceAccount, parseServiceAccount } from '../../passes/google/jwt.ts';
import {
  classId,
  essentials,
  heroStateName,
  idSuffix,
  loyaltyClass,
  loyaltyObject,
  milestoneLevel,
  objectId,
  parseHeroStateName,
  rulesModule,
  savePayloads,
  type GoogleRefs,
} from '../../passes/google/objects.ts';
import type { StripState } from '../../passes/images.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { makeServiceAccount, objectProblems } from '../support/fake-google.ts';

const ISSUER = '3388000000012345678';
const content = (balance: PassContent['balance'], extra: Partial<PassContent> = {}): PassContent => ({
  serial: 'abcdefghijklmnopqrstuvwxyz',
  authToken: 'secret-token-secret-token',
  organizationName: 'Café Lune',
  description: 'Carte de fidélité',
  design: { backgroundColor: '#3B2F2F', foregroundColor: '#ffffff', labelColor: '#f3d9b1' },
  balance,
  memberName: 'Inès Durand',
  language: 'en',
  message: null,
  referralUrl: 'https://cafe.example/?ref=abcdefghij',
  terms: 'Collect 10 stamps.',
  address: '12 rue des Lilas, Paris',
  websiteUrl: 'https://cafe.example/',
  locations: [{ latitude: 48.85, longitude: 2.35 }],
  ...extra,
});
const refs: GoogleRefs = {
  classId: classId(ISSUER, '0b5f0c8e-1d4a-4c1e-9a39-0f6f4a1f2b3c'),
  objectId: objectId(ISSUER, 'abcdefghijklmnopqrstuvwxyz'),
  logoUrl: 'https://loyalty.example/logo.png',
  heroUrl: 'https://loyalty.example/hero.png',
  messageAt: null,
};
/** A text of ours in `language`, with its translation in the other one. */
const both = (language: 'en' | 'fr', value: string, translation: string) => ({
  defaultValue: { language, value },
  translatedValues: [{ language: language === 'en' ? 'fr' : 'en', value: translation }],
});
const RULE_PROGRAM = {
  type: 'stamps',
  stampsRequired: 10,
  reward: { name: 'Un café offert' },
  rewards: [] as { name: string; points: number }[],
  pointsPerUnit: 1,
  cashbackPercent: 5,
  currency: 'EUR',
};
const stamps = (n: number, rewardsAvailable = 0): PassContent['balance'] => ({
  kind: 'stamps',
  stamps: n,
  required: 10,
  rewardsAvailable,
  rewardName: 'Un café offert',
});

describe('LoyaltyObject and LoyaltyClass', () => {
  test('ids are <issuer>.<suffix>, the suffix cleaned to letters, digits, _ . -', () => {
    assert.equal(objectId(ISSUER, 'abc'), `${ISSUER}.abc`);
    assert.equal(idSuffix('a b/c+é.d-e_f'), 'a_b_c__.d-e_f');
    assert.throws(() => idSuffix(''));
  });

  test('a stamp card: "7/10" and the rewards ready, the QR code of the serial, progress, terms and links; valid fields', () => {
    const o = loyaltyObject(content(stamps(7)), refs);
    assert.deepEqual(objectProblems(o), []);
    assert.deepEqual(o.loyaltyPoints, { label: 'Stamps', localizedLabel: both('en', 'Stamps', 'Tampons'), balance: { string: '7/10' } });
    assert.deepEqual(o.secondaryLoyaltyPoints, { label: 'Rewards', localizedLabel: both('en', 'Rewards', 'Cadeaux'), balance: { int: 0 } });
    assert.deepEqual(o.barcode, { type: 'QR_CODE', value: o.accountId, alternateText: o.accountId });
    assert.deepEqual(
      o.textModulesData.map((t) => [t.id, t.body]),
      [
        ['progress', '3 more stamps for: Un café offert'],
        ['terms', 'Collect 10 stamps.'],
      ],
    );
    assert.deepEqual(
      o.linksModuleData.uris.map((l) => l.id),
      ['referral', 'website'],
    );
    assert.deepEqual(o.messages, []);
    assert.ok(!JSON.stringify(o).includes('secret-token'), 'the Apple token stays out');
    const ready = loyaltyObject(content(stamps(0, 1), { language: 'fr' }), refs);
    assert.equal(ready.textModulesData[0]!.body, 'Votre récompense vous attend : Un café offert');
    assert.equal(ready.loyaltyPoints.label, 'Tampons');
    assert.equal(
      loyaltyObject(content(stamps(9), { language: 'fr' }), refs).textModulesData[0]!.body,
      'Encore un tampon pour : Un café offert',
    );
  });

  test('points with a tier, and cashback as money in micros (no float error)', () => {
    const p = loyaltyObject(content({ kind: 'points', points: 120, tier: 'Gold', nextReward: { name: 'Tote bag', points: 200 } }), refs);
    assert.deepEqual(objectProblems(p), []);
    assert.deepEqual(p.loyaltyPoints, { label: 'Points', localizedLabel: both('en', 'Points', 'Points'), balance: { int: 120 } });
    assert.deepEqual(p.secondaryLoyaltyPoints, {
      label: 'Tier',
      localizedLabel: both('en', 'Tier', 'Niveau'),
      balance: { string: 'Gold' },
    });
    assert.equal(p.textModulesData[0]!.body, '80 more points for: Tote bag');
    const c = loyaltyObject(content({ kind: 'cashback', minor: 1234, currency: 'EUR' }), refs);
    assert.deepEqual(objectProblems(c), []);
    assert.deepEqual(c.loyaltyPoints.balance, { money: { currencyCode: 'EUR', micros: '12340000' } });
    assert.equal(c.secondaryLoyaltyPoints, undefined);
  });

  test("cashback micros use the currency's own minor digits: 3 for KWD, 0 for JPY, exact for large amounts", () => {
    const micros = (minor: number, currency: string) => {
      const balance = loyaltyObject(content({ kind: 'cashback', minor, currency }), refs).loyaltyPoints.balance;
      return 'money' in balance ? balance.money : undefined;
    };
    assert.deepEqual(micros(1234, 'KWD'), { currencyCode: 'KWD', micros: '1234000' }, '1.234 KWD: the third decimal kept');
    assert.deepEqual(micros(1, 'BHD'), { currencyCode: 'BHD', micros: '1000' });
    assert.deepEqual(micros(1234, 'JPY'), { currencyCode: 'JPY', micros: '1234000000' }, '¥1,234');
    assert.deepEqual(micros(5, 'EUR'), { currencyCode: 'EUR', micros: '50000' });
    assert.deepEqual(micros(9_007_199_254_740_991, 'EUR'), { currencyCode: 'EUR', micros: '90071992547409910000' }, 'no float error');
    // Apple's pass shows the same amount (a number with its currencyCode).
    assert.equal(cashbackAmount({ kind: 'cashback', minor: 1234, currency: 'KWD' }), 1.234);
    assert.equal(cashbackAmount({ kind: 'cashback', minor: 1234, currency: 'JPY' }), 1234);
  });

  test("the merchant's message is the object's one message, its id from when it was set; long text is cut to Google's limits", () => {
    const at = new Date('2026-11-23T10:00:00Z');
    const o = loyaltyObject(content(stamps(1), { message: 'x'.repeat(600), terms: 'y'.repeat(700) }), { ...refs, messageAt: at });
    assert.deepEqual(objectProblems(o), []);
    assert.equal(o.messages.length, 1);
    assert.equal(o.messages[0]!.id, `message-${at.getTime()}`);
    assert.equal(o.messages[0]!.messageType, 'TEXT');
    assert.equal(o.messages[0]!.body.length, 500);
    assert.equal(o.textModulesData.find((t) => t.id === 'terms')!.body.length, 500);
  });

  test('the class: issuer and program names, logo, colour in lower case, labels, rule, address, website, locations', () => {
    const c = loyaltyClass(content(stamps(0)), refs, { header: 'Récompenses', body: 'Collect 10 stamps to get: Un café offert.' }, 'fr');
    assert.deepEqual(objectProblems(c), []);
    assert.equal(c.issuerName, 'Café Lune');
    assert.equal(c.programName, 'Carte de fidélité');
    assert.equal(c.hexBackgroundColor, '#3b2f2f');
    assert.equal(c.reviewStatus, 'UNDER_REVIEW');
    assert.equal(c.multipleDevicesAndHoldersAllowedStatus, 'ONE_USER_ALL_DEVICES');
    assert.deepEqual(c.programLogo.sourceUri, { uri: 'https://loyalty.example/logo.png' });
    assert.equal(c.accountNameLabel, 'Membre');
    assert.deepEqual(c.merchantLocations, [{ latitude: 48.85, longitude: 2.35 }]);
    assert.deepEqual(c.homepageUri, {
      uri: 'https://cafe.example/',
      description: 'Site web',
      localizedDescription: both('fr', 'Site web', 'Website'),
    });
    assert.deepEqual(
      c.textModulesData.map((t) => t.id),
      ['rewards', 'address'],
    );
  });

  test('the class\'s rule module says what each program type gives, never the same word twice (cashback read "Rewards / Rewards")', () => {
    const program = {
      type: 'stamps',
      stampsRequired: 10,
      reward: { name: 'Un café offert' },
      rewards: [] as { name: string; points: number }[],
      pointsPerUnit: 1,
      cashbackPercent: 5,
      currency: 'EUR',
    };
    const cases: [Partial<typeof program>, 'en' | 'fr', string, string][] = [
      [{}, 'en', 'Rewards', 'Collect 10 stamps to get: Un café offert.'],
      [{}, 'fr', 'Récompenses', 'Cumulez 10 tampons et obtenez : Un café offert.'],
      [{ type: 'cashback' }, 'en', 'How it works', '5% of every purchase goes to your balance, to spend in the shop.'],
      [
        { type: 'cashback', cashbackPercent: 2.5 },
        'fr',
        'Comment ça marche',
        '2,5 % de chaque achat va sur votre solde, à utiliser en boutique.',
      ],
      [{ type: 'points' }, 'en', 'How it works', 'Earn 1 point per EUR spent.'],
      [{ type: 'tiers', pointsPerUnit: 1.5 }, 'fr', 'Comment ça marche', '1,5 point par EUR dépensé.'],
      [{ type: 'points', pointsPerUnit: 2 }, 'fr', 'Comment ça marche', '2 points par EUR dépensé.'],
      [
        {
          type: 'points',
          rewards: [
            { name: 'Tote bag', points: 200 },
            { name: 'Coffee', points: 50 },
          ],
        },
        'en',
        'Rewards',
        'Coffee: 50 · Tote bag: 200',
      ],
    ];
    for (const [changes, language, header, body] of cases) {
      const rule = rulesModule({ ...program, ...changes }, language);
      assert.deepEqual([rule.header, rule.body], [header, body], JSON.stringify(changes));
      assert.notEqual(rule.header, rule.body);
      const module = loyaltyClass(content(stamps(0)), refs, rule, language).textModulesData[0]!;
      assert.deepEqual(module, { id: 'rewards', ...rule });
    }
  });
});

describe('both languages (translatedValues)', () => {
  const other = { en: 'fr', fr: 'en' } as const;
  /** Every LocalizedString in `value`, by where it is. */
  const localizedStrings = (value: unknown, at = ''): [string, any][] =>
    value && typeof value === 'object'
      ? 'defaultValue' in value
        ? [[at, value]]
        : Object.entries(value).flatMap(([k, v]) => localizedStrings(v, at ? `${at}.${k}` : k))
      : [];

  test('the labels and headers we write ourselves carry the other language; the member’s language is the default', () => {
    const o = loyaltyObject(
      content(stamps(3), { language: 'fr', giving: 'Ensemble nous avons donné 12 € à la SPA.', askUrl: 'https://x.example/ask' }),
      refs,
    );
    assert.deepEqual(o.loyaltyPoints.localizedLabel, both('fr', 'Tampons', 'Stamps'));
    assert.deepEqual(o.secondaryLoyaltyPoints!.localizedLabel, both('fr', 'Cadeaux', 'Rewards'));
    assert.deepEqual(
      o.textModulesData.map((t) => [t.id, t.localizedHeader]),
      [
        ['progress', both('fr', 'Progression', 'Progress')],
        ['giving', both('fr', 'Nous donnons', 'Giving back')],
        ['terms', both('fr', 'Conditions', 'Terms')],
      ],
    );
    assert.deepEqual(
      o.linksModuleData.uris.map((l) => l.localizedDescription),
      [both('fr', 'Votre avis', 'Your opinion'), both('fr', 'Parrainez un ami', 'Invite a friend'), both('fr', 'Site web', 'Website')],
    );
    assert.deepEqual(o.heroImage.contentDescription, both('fr', '3 tampons sur 10', '3 of 10 stamps'));
    // Each plain field is its LocalizedString's default; a body holding the merchant's words
    // (the reward, the cause, the terms) has no translation: its other language is not known.
    for (const [at, l] of localizedStrings(o)) {
      assert.equal(l.defaultValue.language, 'fr', at);
      assert.deepEqual(
        l.translatedValues.map((t: { language: string }) => t.language),
        ['en'],
        at,
      );
      assert.ok(!/body$/i.test(at), at);
    }
    assert.ok(o.textModulesData.every((t) => t.header === t.localizedHeader!.defaultValue.value));
    assert.equal(o.loyaltyPoints.label, 'Tampons');

    const c = loyaltyClass(content(stamps(0)), refs, rulesModule({ ...RULE_PROGRAM, type: 'cashback' }, 'en'), 'en');
    assert.deepEqual(c.localizedAccountNameLabel, both('en', 'Member', 'Membre'));
    assert.deepEqual(c.localizedAccountIdLabel, both('en', 'Card no.', 'Carte n°'));
    assert.deepEqual(c.programLogo.contentDescription, both('en', 'Café Lune logo', 'Logo de Café Lune'));
    assert.deepEqual(
      c.textModulesData.map((t) => [t.id, t.localizedHeader, t.localizedBody]),
      [
        [
          'rewards',
          both('en', 'How it works', 'Comment ça marche'),
          both(
            'en',
            '5% of every purchase goes to your balance, to spend in the shop.',
            '5 % de chaque achat va sur votre solde, à utiliser en boutique.',
          ),
        ],
        ['address', both('en', 'Address', 'Adresse'), undefined],
      ],
    );
    for (const language of ['en', 'fr'] as const) {
      const stampsRule = rulesModule(RULE_PROGRAM, language);
      assert.equal(stampsRule.localizedBody, undefined, 'the reward’s name is the merchant’s');
      assert.equal(stampsRule.localizedHeader!.translatedValues![0]!.language, other[language]);
    }
  });

  test('a save link carries no translation (its length is counted); the update brings them', () => {
    const o = loyaltyObject(content(stamps(3)), refs);
    const c = loyaltyClass(content(stamps(0)), refs, rulesModule(RULE_PROGRAM, 'en'), 'en');
    for (const payload of [essentials(c, o), ...savePayloads(c, o, 'https://loyalty.example/l.png')]) {
      assert.deepEqual(localizedStrings(payload), [], JSON.stringify(payload));
    }
  });
});

describe('the hero, in words', () => {
  test('French takes the singular for 0 and 1: "0 tampon sur 10", "1 tampon sur 10", "2 tampons sur 10"', () => {
    const hero = (n: number, language: 'en' | 'fr') =>
      loyaltyObject(content(stamps(n), { language }), refs).heroImage.contentDescription.defaultValue.value;
    assert.deepEqual(
      [0, 1, 2, 10].map((n) => hero(n, 'fr')),
      ['0 tampon sur 10', '1 tampon sur 10', '2 tampons sur 10', '10 tampons sur 10'],
    );
    assert.deepEqual(
      [0, 1, 2].map((n) => hero(n, 'en')),
      ['0 of 10 stamps', '1 of 10 stamps', '2 of 10 stamps'],
    );
  });
});

describe('hero image names', () => {
  test('one name per drawn state, read back to the same state; anything else is refused', () => {
    const states: StripState[] = [
      { kind: 'stamps', stamps: 0, required: 10, rewardsAvailable: 0 },
      { kind: 'stamps', stamps: 7, required: 10, rewardsAvailable: 1 },
      { kind: 'stamps', stamps: 50, required: 50, rewardsAvailable: 0 },
      { kind: 'progress', fraction: 0.45 },
      { kind: 'progress', fraction: 1 },
      { kind: 'plain' },
    ];
    for (const s of states) assert.deepEqual(parseHeroStateName(heroStateName(s)), s, heroStateName(s));
    assert.equal(heroStateName({ kind: 'stamps', stamps: 7, required: 10, rewardsAvailable: 3 }), 's7of10r1');
    assert.equal(heroStateName({ kind: 'progress', fraction: 0.333 }), 'p35');
    for (const bad of ['s11of10r0', 's1of0r0', 's1of51r0', 's1of10r2', 'p7', 'p105', 'logo', 'plainx', 's01of10r0x']) {
      assert.equal(parseHeroStateName(bad), null, bad);
    }
  });
});

describe('milestone levels', () => {
  test('stamps: rewards ready; points: catalogue rewards reached plus the tier rank; cashback: none', () => {
    const program = { rewards: [{ points: 100 }, { points: 300 }], tiers: [{ name: 'Silver' }, { name: 'Gold' }] };
    assert.equal(milestoneLevel(content(stamps(3, 2)), program), 2);
    assert.equal(milestoneLevel(content({ kind: 'points', points: 150, tier: 'Gold', nextReward: null }), program), 1 + 2);
    assert.equal(milestoneLevel(content({ kind: 'points', points: 50, tier: null, nextReward: null }), program), 0);
    assert.equal(milestoneLevel(content({ kind: 'cashback', minor: 500, currency: 'EUR' }), program), 0);
  });
});

describe('the service-account key', () => {
  const account = makeServiceAccount();

  test('JSON text, a path, or a private key whose newlines came as \\n', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fidelio-google-'));
    try {
      const file = join(dir, 'key.json');
      writeFileSync(file, account.text);
      const escaped = JSON.stringify({ ...account.json, private_key: account.json.private_key.replace(/\n/g, '\\n') });
      for (const value of [account.text, file, ` ${file} `, escaped]) {
        const parsed = parseServiceAccount(value);
        assert.equal(parsed.client_email, account.email);
        assert.equal(parsed.private_key, account.json.private_key);
        assert.equal(parsed.private_key_id, 'test-key-1');
      }
      const dev = devServiceAccount(join(dir, 'google'));
      assert.deepEqual(devServiceAccount(join(dir, 'google')), parseServiceAccount(join(dir, 'google', 'service-account.json')));
      assert.match(dev.private_key, /BEGIN PRIVATE KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a malformed key, or a key without an issuer id, stops the server at start with a line naming the variable', () => {
    const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(32), DATA_DIR: '.data/test' };
    for (const [value, message] of [
      ['{"client_email": "a@b.c"}', /GOOGLE_SERVICE_ACCOUNT: the service-account key has no private_key/],
      ['{not json', /GOOGLE_SERVICE_ACCOUNT: the service-account key is not JSON/],
      ['/no/such/key.json', /GOOGLE_SERVICE_ACCOUNT: ENOENT/],
    ] as const) {
      assert.throws(
        () => loadConfig({ ...base, GOOGLE_ISSUER_ID: ISSUER, GOOGLE_SERVICE_ACCOUNT: value }),
        (err: Error) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, message);
          return true;
        },
      );
    }
    assert.throws(() => loadConfig({ ...base, GOOGLE_SERVICE_ACCOUNT: account.text }), /GOOGLE_SERVICE_ACCOUNT needs GOOGLE_ISSUER_ID/);
    assert.throws(() => loadConfig({ ...base, GOOGLE_ISSUER_ID: 'abc' }), /GOOGLE_ISSUER_ID must be the numeric issuer id/);
    assert.throws(() => loadConfig({ ...base, GOOGLE_WALLET_API: 'ftp://x' }), /GOOGLE_WALLET_API must be an http\(s\) URL/);
    const c = loadConfig({
      ...base,
      GOOGLE_ISSUER_ID: ISSUER,
      GOOGLE_SERVICE_ACCOUNT: account.text,
      GOOGLE_WALLET_API: 'http://127.0.0.1:9/wo/v1/',
    });
    assert.equal(c.google.api, 'http://127.0.0.1:9/wo/v1');
    assert.equal(c.google.tokenUrl, 'https://oauth2.googleapis.com/token');
    assert.equal(c.google.serviceAccount!.client_email, account.email);
  });
});
