import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultProgram, minorDigits, programSchema, slugify, type Program } from '../../server/domain/program.ts';

const base = defaultProgram('cafe-de-la-lune', 'Café de la Lune');

/** Parses `program` and returns the paths (joined with '.') of its issues; [] when it is valid. */
function issuePaths(program: unknown): string[] {
  const r = programSchema.safeParse(program);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

function parsed(program: unknown) {
  const r = programSchema.safeParse(program);
  if (!r.success) assert.fail(`expected a valid program, got: ${JSON.stringify(r.error.issues)}`);
  return r.data;
}

describe('defaultProgram', () => {
  it('is a 10-stamp EUR stamp card', () => {
    assert.equal(base.slug, 'cafe-de-la-lune');
    assert.equal(base.type, 'stamps');
    assert.equal(base.currency, 'EUR');
    assert.equal(base.stampsRequired, 10);
    assert.equal(base.name, 'Café de la Lune loyalty card');
    assert.equal(base.locale, 'en');
  });

  it('speaks French when asked', () => {
    const fr = defaultProgram('x', 'Chez Paul', 'fr');
    assert.equal(fr.name, 'Carte fidélité Chez Paul');
    assert.equal(fr.reward.name, 'Un café offert');
    assert.equal(fr.locale, 'fr');
  });

  for (const locale of ['en', 'fr'] as const) {
    it(`is accepted by programSchema (${locale}) and parses to itself`, () => {
      const p = defaultProgram('shop', 'Shop', locale);
      assert.deepEqual(parsed(p), p);
    });

    it(`keeps the name within 100 characters for a very long business name (${locale})`, () => {
      const p = defaultProgram('shop', 'B'.repeat(300), locale);
      assert.equal(p.name.length, 100);
      assert.deepEqual(issuePaths(p), []);
    });
  }
});

describe('programSchema: valid programs of every type', () => {
  const valid: Array<[string, Program]> = [
    ['stamps', base],
    ['points', { ...base, type: 'points', pointsPerUnit: 2, rewards: [{ id: 'coffee', name: 'Coffee', points: 50, costMinor: 80 }] }],
    [
      'tiers',
      {
        ...base,
        type: 'tiers',
        tiers: [
          { name: 'Silver', threshold: 0, multiplier: 1, perks: [] },
          { name: 'Gold', threshold: 50_000, multiplier: 2, perks: ['Priority'] },
        ],
      },
    ],
    ['cashback', { ...base, type: 'cashback', cashbackPercent: 2.5 }],
    ['JPY points', { ...base, type: 'points', currency: 'JPY' }],
    [
      'logo and review URLs',
      { ...base, design: { ...base.design, logoUrl: 'https://cdn.example/logo.png' }, googleReviewUrl: 'http://g.page/r/abc' },
    ],
  ];
  for (const [label, program] of valid) {
    it(`accepts ${label}`, () => {
      assert.deepEqual(issuePaths(program), []);
    });
  }

  it('fills defaults: reward costMinor and tier perks', () => {
    const out = parsed({
      ...base,
      type: 'tiers',
      rewards: [{ id: 'a', name: 'A', points: 1 }],
      tiers: [{ name: 'Only', threshold: 0, multiplier: 1 }],
    });
    assert.equal(out.rewards[0]?.costMinor, 0);
    assert.deepEqual(out.tiers[0]?.perks, []);
  });
});

describe('programSchema: rejections', () => {
  const tier = (name: string, threshold: number) => ({ name, threshold, multiplier: 1, perks: [] });
  const reward = (id: string) => ({ id, name: `Reward ${id}`, points: 10, costMinor: 0 });

  const rejected: Array<[string, unknown, string]> = [
    ['a 3-digit colour', { ...base, design: { ...base.design, backgroundColor: '#fff' } }, 'design.backgroundColor'],
    ['a named colour', { ...base, design: { ...base.design, foregroundColor: 'red' } }, 'design.foregroundColor'],
    ['a non-hex colour', { ...base, design: { ...base.design, labelColor: '#12345g' } }, 'design.labelColor'],
    ['currency "EURO"', { ...base, currency: 'EURO' }, 'currency'],
    ['currency "XYZ" (well-formed but unknown)', { ...base, currency: 'XYZ' }, 'currency'],
    ['lower-case currency "eur"', { ...base, currency: 'eur' }, 'currency'],
    ['duplicate reward ids', { ...base, type: 'points', rewards: [reward('a'), reward('b'), reward('a')] }, 'rewards.2.id'],
    ['a reward id with spaces', { ...base, type: 'points', rewards: [reward('free coffee')] }, 'rewards.0.id'],
    ['equal tier thresholds', { ...base, type: 'tiers', tiers: [tier('A', 0), tier('B', 100), tier('C', 100)] }, 'tiers'],
    ['decreasing tier thresholds', { ...base, type: 'tiers', tiers: [tier('A', 500), tier('B', 100)] }, 'tiers'],
    ['a tiers program with no tiers', { ...base, type: 'tiers', tiers: [] }, 'tiers'],
    ['a javascript: logoUrl', { ...base, design: { ...base.design, logoUrl: 'javascript:alert(1)' } }, 'design.logoUrl'],
    ['a data: logoUrl', { ...base, design: { ...base.design, logoUrl: 'data:image/png;base64,AAAA' } }, 'design.logoUrl'],
    ['a relative logoUrl', { ...base, design: { ...base.design, logoUrl: '/logo.png' } }, 'design.logoUrl'],
    ['an ftp logoUrl', { ...base, design: { ...base.design, logoUrl: 'ftp://files.example/logo.png' } }, 'design.logoUrl'],
    ['a javascript: googleReviewUrl', { ...base, googleReviewUrl: 'javascript:alert(1)' }, 'googleReviewUrl'],
    ['a non-http allowed origin', { ...base, allowedOrigins: ['https://ok.example', 'javascript:alert(1)'] }, 'allowedOrigins.1'],
    ['0 stamps required', { ...base, stampsRequired: 0 }, 'stampsRequired'],
    ['cashback over 100%', { ...base, type: 'cashback', cashbackPercent: 101 }, 'cashbackPercent'],
    ['an unknown type', { ...base, type: 'lottery' }, 'type'],
    ['a blank name', { ...base, name: '   ' }, 'name'],
  ];
  for (const [label, program, path] of rejected) {
    it(`rejects ${label} (at ${path || 'the root'})`, () => {
      const paths = issuePaths(program);
      assert.ok(paths.length > 0, 'expected the program to be rejected');
      assert.ok(paths.includes(path), `expected an issue at "${path}", got ${JSON.stringify(paths)}`);
    });
  }

  it('a stamps program may have no tiers, but not unordered ones', () => {
    assert.deepEqual(issuePaths({ ...base, tiers: [] }), []);
    assert.deepEqual(issuePaths({ ...base, tiers: [tier('A', 10), tier('B', 5)] }), ['tiers']);
  });
});

describe('programSchema: allowedOrigins are normalised to origins', () => {
  const cases: Array<[string, string]> = [
    ['https://a.example/path', 'https://a.example'],
    ['https://a.example/', 'https://a.example'],
    ['http://b.example:8080/x?y=1#z', 'http://b.example:8080'],
    ['https://C.Example', 'https://c.example'],
    ['https://a.example:443/shop', 'https://a.example'],
    ['https://user:pw@a.example/', 'https://a.example'],
  ];
  for (const [input, origin] of cases) {
    it(`${input} → ${origin}`, () => {
      assert.deepEqual(parsed({ ...base, allowedOrigins: [input] }).allowedOrigins, [origin]);
    });
  }
});

describe('slugify', () => {
  const cases: Array<[string, string]> = [
    ['Café de la Lune', 'cafe-de-la-lune'],
    ['  Chez Paul & Fils!  ', 'chez-paul-fils'],
    ['Bäckerei Müller', 'backerei-muller'],
    ['100% Bio', '100-bio'],
    ['crème---brûlée', 'creme-brulee'],
    ['', 'shop'],
    ['☕🥐', 'shop'],
    ['!!!', 'shop'],
    ['a'.repeat(50), 'a'.repeat(40)],
    // Cutting at 40 characters leaves a trailing dash, which is removed.
    [`${'a'.repeat(39)} b`, 'a'.repeat(39)],
  ];
  for (const [name, slug] of cases) {
    it(`${JSON.stringify(name.length > 45 ? `${name.slice(0, 12)}…` : name)} → ${slug.length > 45 ? `${slug.slice(0, 12)}…` : slug}`, () => {
      assert.equal(slugify(name), slug);
    });
  }

  it('always yields a URL-safe slug of at most 40 characters', () => {
    for (const name of ['Le Petit Café', 'ÉÉÉ', '---', 'x'.repeat(200), 'Ünïcödé Shöp 2024', '東京ラーメン']) {
      const s = slugify(name);
      assert.match(s, /^[a-z0-9]+(-[a-z0-9]+)*$/, name);
      assert.ok(s.length <= 40, name);
    }
  });
});

describe('minorDigits', () => {
  const cases: Array<[string, number | undefined]> = [
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['XYZ', undefined],
    ['EURO', undefined],
    ['', undefined],
  ];
  for (const [currency, digits] of cases) {
    it(`${JSON.stringify(currency)} → ${digits}`, () => {
      assert.equal(minorDigits(currency), digits);
    });
  }
});
