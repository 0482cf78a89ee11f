import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultProgram, isTimeZone, minorDigits, programSchema, slugify, type Program, withShopIds } from '../../server/domain/program.ts';

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

describe('programSchema: a colour is exactly #rrggbb', () => {
  const colours = ['backgroundColor', 'foregroundColor', 'labelColor'] as const;
  const withColour = (field: (typeof colours)[number], value: string) => ({ ...base, design: { ...base.design, [field]: value } });

  for (const value of ['#1a2b3c', '#ABCDEF', '#000000']) {
    it(`accepts ${value}`, () => {
      for (const field of colours) assert.equal(parsed(withColour(field, value)).design[field], value);
    });
  }

  // The passes copy the colour as it is (Google's pass takes the string): nothing before or after it.
  for (const value of ['#1a2b3cXYZ', 'x#1a2b3c', '#1a2b3c4', '#1a2b3', ' #1a2b3c', '#1a2b3c\n', '1a2b3c', '##1a2b3c']) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      for (const field of colours) assert.deepEqual(issuePaths(withColour(field, value)), [`design.${field}`]);
    });
  }
});

describe('programSchema: a URL is an absolute http(s) URL', () => {
  /** Every URL field of a program, with `url` in it, and the path of its issue. */
  const fields: Array<[string, (url: string) => unknown]> = [
    ['design.logoUrl', (url) => ({ ...base, design: { ...base.design, logoUrl: url } })],
    ['googleReviewUrl', (url) => ({ ...base, googleReviewUrl: url })],
    ['websiteUrl', (url) => ({ ...base, websiteUrl: url })],
    ['allowedOrigins.0', (url) => ({ ...base, allowedOrigins: [url] })],
  ];

  for (const url of [
    'https://cafe.example/logo.png',
    'http://cafe.example',
    'HTTPS://CAFE.EXAMPLE/',
    `https://cafe.example/${'a'.repeat(1979)}`,
  ]) {
    it(`accepts ${url.length > 60 ? `a URL of ${url.length} characters` : url}`, () => {
      for (const [, program] of fields) assert.deepEqual(issuePaths(program(url)), []);
    });
  }

  for (const url of [
    'xhttps://cafe.example/logo.png', // a protocol that merely ends in "https:"
    'xhttp://cafe.example/',
    'https+x://cafe.example/',
    'httpss://cafe.example/',
    'javascript:alert(1)',
    'ftp://files.example/logo.png',
    'file:///etc/passwd',
    '//cafe.example/logo.png',
    'cafe.example',
    `https://cafe.example/${'a'.repeat(1980)}`, // 2001 characters
  ]) {
    it(`refuses ${url.length > 60 ? `a URL of ${url.length} characters` : url}`, () => {
      for (const [path, program] of fields) assert.deepEqual(issuePaths(program(url)), [path]);
    });
  }
});

describe('programSchema: text is trimmed', () => {
  const at = { latitude: 48.8566, longitude: 2.3522 };
  /**
   * Each trimmed text: a program with `text` there, where to read it back, and what a blank one
   * gives: refused at a path, or kept as ''.
   */
  const cases: Array<{
    field: string;
    program: (text: string) => unknown;
    read: (p: ReturnType<typeof parsed>) => unknown;
    blank: { refusedAt: string } | '';
  }> = [
    { field: 'name', program: (t) => ({ ...base, name: t }), read: (p) => p.name, blank: { refusedAt: 'name' } },
    { field: 'shortName', program: (t) => ({ ...base, shortName: t }), read: (p) => p.shortName, blank: { refusedAt: 'shortName' } },
    {
      field: 'reward.name',
      program: (t) => ({ ...base, reward: { ...base.reward, name: t } }),
      read: (p) => p.reward.name,
      blank: { refusedAt: 'reward.name' },
    },
    {
      field: 'rewards[].name',
      program: (t) => ({ ...base, type: 'points', rewards: [{ id: 'coffee', name: t, points: 50 }] }),
      read: (p) => p.rewards[0]?.name,
      blank: { refusedAt: 'rewards.0.name' },
    },
    {
      field: 'tiers[].name',
      program: (t) => ({ ...base, type: 'tiers', tiers: [{ name: t, threshold: 0, multiplier: 1 }] }),
      read: (p) => p.tiers[0]?.name,
      blank: { refusedAt: 'tiers.0.name' },
    },
    {
      field: 'tiers[].perks[]',
      program: (t) => ({ ...base, type: 'tiers', tiers: [{ name: 'Gold', threshold: 0, multiplier: 1, perks: ['Priority', t] }] }),
      read: (p) => p.tiers[0]?.perks[1],
      blank: { refusedAt: 'tiers.0.perks.1' },
    },
    { field: 'address', program: (t) => ({ ...base, address: t }), read: (p) => p.address, blank: '' },
    { field: 'terms', program: (t) => ({ ...base, terms: t }), read: (p) => p.terms, blank: '' },
    {
      field: 'locations[].name',
      program: (t) => ({ ...base, locations: [{ ...at, name: t }] }),
      read: (p) => p.locations[0]?.name,
      blank: '',
    },
    {
      field: 'locations[].address',
      program: (t) => ({ ...base, locations: [{ ...at, address: t }] }),
      read: (p) => p.locations[0]?.address,
      blank: '',
    },
    {
      field: 'locations[].relevantText',
      program: (t) => ({ ...base, locations: [{ ...at, relevantText: t }] }),
      read: (p) => p.locations[0]?.relevantText,
      blank: { refusedAt: 'locations.0.relevantText' },
    },
    {
      field: 'campaigns.birthday.message',
      program: (t) => ({ ...base, campaigns: { ...base.campaigns, birthday: { ...base.campaigns.birthday, message: t } } }),
      read: (p) => p.campaigns.birthday.message,
      blank: { refusedAt: 'campaigns.birthday.message' },
    },
    {
      field: 'campaigns.winBack.message',
      program: (t) => ({ ...base, campaigns: { ...base.campaigns, winBack: { ...base.campaigns.winBack, message: t } } }),
      read: (p) => p.campaigns.winBack.message,
      blank: { refusedAt: 'campaigns.winBack.message' },
    },
    {
      field: 'campaigns.birthday.gift.name',
      program: (t) => ({
        ...base,
        campaigns: { ...base.campaigns, birthday: { ...base.campaigns.birthday, gift: { kind: 'reward', name: t } } },
      }),
      read: (p) => (p.campaigns.birthday.gift.kind === 'reward' ? p.campaigns.birthday.gift.name : undefined),
      blank: { refusedAt: 'campaigns.birthday.gift.name' },
    },
    {
      field: 'campaigns.giving.cause',
      program: (t) => ({
        ...base,
        campaigns: { ...base.campaigns, giving: { enabled: true, cause: t, perStampMinor: 10, percentOfSpend: 0 } },
      }),
      read: (p) => p.campaigns.giving.cause,
      blank: { refusedAt: 'campaigns.giving.cause' },
    },
  ];

  for (const c of cases) {
    it(`${c.field}: '  Café  ' → 'Café'`, () => {
      assert.equal(c.read(parsed(c.program('  Café\t  '))), 'Café');
    });

    if (c.blank === '') {
      it(`${c.field}: blank → ''`, () => {
        assert.equal(c.read(parsed(c.program('   '))), '');
      });
    } else {
      const { refusedAt } = c.blank;
      it(`${c.field}: blank → refused`, () => {
        assert.deepEqual(issuePaths(c.program(' \n ')), [refusedAt]);
      });
    }
  }

  it("rewards[].id: '  cafe_1  ' → 'cafe_1' (trimmed before its pattern is checked)", () => {
    const p = parsed({ ...base, type: 'points', rewards: [{ id: '  cafe_1  ', name: 'Café', points: 50 }] });
    assert.equal(p.rewards[0]?.id, 'cafe_1');
  });

  it('a short name is measured once trimmed: 20 characters between spaces are accepted', () => {
    assert.equal(parsed({ ...base, shortName: `  ${'x'.repeat(20)}  ` }).shortName, 'x'.repeat(20));
  });
});

describe('programSchema: what a program from before a field leaves out', () => {
  /** The default program less the fields added since the first version of the schema. */
  const older = (): Record<string, unknown> => {
    const p: Record<string, unknown> = { ...base, reward: { name: base.reward.name }, referral: { referrerReward: 0, refereeReward: 0 } };
    for (const k of ['websiteUrl', 'address', 'terms', 'locations', 'timezone', 'campaigns']) delete p[k];
    return p;
  };

  it('parses, with no shops, no texts, Paris time, every play off', () => {
    const p = parsed(older());
    assert.deepEqual(p.locations, []);
    assert.equal(p.websiteUrl, null);
    assert.equal(p.address, null);
    assert.equal(p.terms, null);
    assert.equal(p.timezone, 'Europe/Paris');
    assert.equal(p.reward.costMinor, 0);
    assert.equal(p.referral.monthlyCap, 10);
    assert.deepEqual(p.campaigns, {
      birthday: { enabled: false, daysBefore: 0, gift: { kind: 'bonus', amount: 1 }, message: null },
      launchBonus: { enabled: false, amount: 1, from: null, to: null },
      asks: { enabled: false, kind: 'review', skipFirstVisit: true },
      winBack: { enabled: false, days: 60, message: null },
      giving: { enabled: false, cause: '', perStampMinor: 0, percentOfSpend: 0 },
    });
  });

  it('a shop given only its place has no name and no address yet', () => {
    const p = parsed({ ...older(), locations: [{ latitude: 48.8566, longitude: 2.3522 }] });
    assert.deepEqual(p.locations, [{ name: '', address: null, latitude: 48.8566, longitude: 2.3522 }]);
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

/** Each issue of `program` as the API answers it: its code, where, and what it says. */
function issuesOf(program: unknown): { code: string; path: string; message: string }[] {
  const r = programSchema.safeParse(program);
  return r.success ? [] : r.error.issues.map((i) => ({ code: i.code, path: i.path.join('.'), message: i.message }));
}

describe('programSchema: what each refusal says, where', () => {
  const shop = (id?: string) => ({ ...(id !== undefined && { id }), name: 'Shop', latitude: 48.85, longitude: 2.35 });
  const tier = (name: string, threshold: number) => ({ name, threshold, multiplier: 1, perks: [] });
  const reward = (id: string) => ({ id, name: `Reward ${id}`, points: 10, costMinor: 0 });
  const launch = (from: string | null, to: string | null, enabled = true) => ({
    ...base,
    campaigns: { ...base.campaigns, launchBonus: { enabled, amount: 2, from, to } },
  });
  const cases: [string, unknown, { code: string; path: string; message: string }[]][] = [
    [
      'a colour',
      { ...base, design: { ...base.design, labelColor: 'red' } },
      [{ code: 'invalid_format', path: 'design.labelColor', message: 'must be a colour like #1a2b3c' }],
    ],
    [
      'a URL',
      { ...base, websiteUrl: 'ftp://cafe.example' },
      [{ code: 'custom', path: 'websiteUrl', message: 'must be an absolute http(s) URL' }],
    ],
    [
      'a time zone',
      { ...base, timezone: 'Mars/Olympus' },
      [{ code: 'custom', path: 'timezone', message: 'must be a time zone like Europe/Paris' }],
    ],
    [
      'a launch date without its time',
      launch('2027-03-01', '2027-03-08T00:00:00Z'),
      [{ code: 'invalid_format', path: 'campaigns.launchBonus.from', message: 'must be a date and time like 2027-03-01T00:00:00+01:00' }],
    ],
    [
      'a currency that is not three capitals',
      { ...base, currency: 'xEUR' },
      [
        { code: 'invalid_format', path: 'currency', message: 'must be an ISO 4217 code like EUR' },
        { code: 'custom', path: 'currency', message: 'unknown currency' },
      ],
    ],
    [
      'a three-capital currency with capitals after it',
      { ...base, currency: 'EURO' },
      [
        { code: 'invalid_format', path: 'currency', message: 'must be an ISO 4217 code like EUR' },
        { code: 'custom', path: 'currency', message: 'unknown currency' },
      ],
    ],
    ['an unknown currency', { ...base, currency: 'XYZ' }, [{ code: 'custom', path: 'currency', message: 'unknown currency' }]],
    [
      'a reward id with a space',
      { ...base, rewards: [reward('free coffee')] },
      [{ code: 'invalid_format', path: 'rewards.0.id', message: 'letters, digits, - and _ only' }],
    ],
    [
      'a duplicate reward id',
      { ...base, rewards: [reward('a'), reward('a')] },
      [{ code: 'custom', path: 'rewards.1.id', message: 'duplicate reward id' }],
    ],
    [
      'a shop id in capitals',
      { ...base, locations: [shop('Rue-1')] },
      [{ code: 'invalid_format', path: 'locations.0.id', message: 'lower-case letters, digits and dashes' }],
    ],
    [
      'a duplicate shop id',
      { ...base, locations: [shop('oberkampf'), shop('bastille'), shop('oberkampf')] },
      [{ code: 'custom', path: 'locations.2.id', message: 'duplicate location id' }],
    ],
    [
      'a tiers program with no tier',
      { ...base, type: 'tiers', tiers: [] },
      [{ code: 'custom', path: 'tiers', message: 'a tiers program needs at least one tier' }],
    ],
    [
      'tiers out of order',
      { ...base, type: 'tiers', tiers: [tier('A', 0), tier('B', 500), tier('C', 100)] },
      [{ code: 'custom', path: 'tiers', message: 'tier thresholds must increase' }],
    ],
    [
      'giving turned on without a cause',
      { ...base, campaigns: { ...base.campaigns, giving: { enabled: true, cause: '  ', perStampMinor: 10, percentOfSpend: 0 } } },
      [{ code: 'custom', path: 'campaigns.giving.cause', message: 'name the cause' }],
    ],
  ];
  for (const [label, program, expected] of cases) {
    it(`${label}`, () => assert.deepEqual(issuesOf(program), expected));
  }

  describe('a launch bonus turned on needs a start before its end', () => {
    const refused = [{ code: 'custom', path: 'campaigns.launchBonus.to', message: 'a launch bonus needs a start before its end' }];
    it('no start, no end, or neither: refused', () => {
      assert.deepEqual(issuesOf(launch(null, '2027-03-08T00:00:00Z')), refused);
      assert.deepEqual(issuesOf(launch('2027-03-01T00:00:00Z', null)), refused);
      assert.deepEqual(issuesOf(launch(null, null)), refused);
    });
    it('an end at or before its start: refused; a minute after: accepted', () => {
      assert.deepEqual(issuesOf(launch('2027-03-01T00:00:00Z', '2027-03-01T00:00:00Z')), refused);
      assert.deepEqual(issuesOf(launch('2027-03-01T00:00:00+01:00', '2027-02-28T23:00:00Z')), refused, 'the same instant');
      assert.deepEqual(issuesOf(launch('2027-03-08T00:00:00Z', '2027-03-01T00:00:00Z')), refused);
      assert.deepEqual(issuesOf(launch('2027-03-01T00:00:00+01:00', '2027-03-01T00:01:00+01:00')), []);
    });
    it('turned off, it needs neither', () => {
      assert.deepEqual(issuesOf(launch(null, null, false)), []);
      assert.deepEqual(issuesOf(launch('2027-03-08T00:00:00Z', '2027-03-01T00:00:00Z', false)), []);
    });
  });
});

describe('programSchema: the edges of the numbers', () => {
  /** Whether `value` at `path` (a setter of the default program) is accepted. */
  const accepts = (set: (v: number) => unknown, value: number) => issuesOf(set(value)).length === 0;
  const campaign = (key: string, value: object) => ({ ...base, campaigns: { ...base.campaigns, [key]: value } });
  const limits: [string, (v: number) => unknown, number, number][] = [
    ['signupBonus', (v) => ({ ...base, signupBonus: v }), 0, 1e6],
    ['averageTicketMinor', (v) => ({ ...base, averageTicketMinor: v }), 1, 1e10],
    ['referral.referrerReward', (v) => ({ ...base, referral: { ...base.referral, referrerReward: v } }), 0, 1e6],
    ['referral.refereeReward', (v) => ({ ...base, referral: { ...base.referral, refereeReward: v } }), 0, 1e6],
    ['a gift bonus', (v) => campaign('birthday', { ...base.campaigns.birthday, gift: { kind: 'bonus', amount: v } }), 1, 1e6],
    ['birthday.daysBefore', (v) => campaign('birthday', { ...base.campaigns.birthday, daysBefore: v }), 0, 30],
    ['launchBonus.amount', (v) => campaign('launchBonus', { ...base.campaigns.launchBonus, amount: v }), 1, 1e6],
    ['giving.percentOfSpend', (v) => campaign('giving', { ...base.campaigns.giving, percentOfSpend: v }), 0, 100],
  ];
  for (const [field, set, min, max] of limits) {
    it(`${field}: from ${min} to ${max}, and a value between`, () => {
      assert.equal(accepts(set, min), true, `${min}`);
      assert.equal(accepts(set, max), true, `${max}`);
      assert.equal(accepts(set, Math.round((min + max) / 7) + 1), true, 'between');
      assert.equal(accepts(set, min - 1), false, `${min - 1}`);
      assert.equal(accepts(set, max + 1), false, `${max + 1}`);
    });
  }
});

describe('programSchema: a shop’s id', () => {
  const at = { name: 'Shop', latitude: 48.85, longitude: 2.35 };
  const ids = (...list: (string | undefined)[]) => ({ ...base, locations: list.map((id) => (id === undefined ? at : { ...at, id })) });
  for (const id of ['a', '7', 'rue-oberkampf', `a${'-'.repeat(39)}`, 'x'.repeat(40)]) {
    it(`accepts ${JSON.stringify(id)}`, () => assert.deepEqual(issuesOf(ids(id)), []));
  }
  for (const id of ['', '-rue', 'Rue', 'rue_1', 'rue oberkampf', 'x'.repeat(41), 'é']) {
    it(`refuses ${JSON.stringify(id)}`, () =>
      assert.deepEqual(
        issuesOf(ids(id)).map((i) => i.path),
        ['locations.0.id'],
      ));
  }
  it('shops without an id yet are not duplicates of each other', () => {
    assert.deepEqual(issuesOf(ids(undefined, undefined, 'a', undefined)), []);
  });
});

describe('programSchema: the texts in the other language', () => {
  it('are trimmed; one left out is null', () => {
    const p = parsed({ ...base, translations: { fr: { rewardName: '  Un café offert  ', terms: '  Un par jour.  ' } } });
    assert.deepEqual(p.translations, {
      en: { rewardName: null, terms: null },
      fr: { rewardName: 'Un café offert', terms: 'Un par jour.' },
    });
    assert.deepEqual(parsed({ ...base, translations: { en: { terms: 'One a day.' } } }).translations, {
      en: { rewardName: null, terms: 'One a day.' },
      fr: { rewardName: null, terms: null },
    });
  });
  it('a blank one is refused (null says "none"); the reward name to 100 characters, the terms to 2,000', () => {
    const texts = (en: object) => ({ ...base, translations: { en } });
    assert.deepEqual(
      issuesOf(texts({ rewardName: '  ' })).map((i) => i.path),
      ['translations.en.rewardName'],
    );
    assert.deepEqual(
      issuesOf(texts({ terms: '' })).map((i) => i.path),
      ['translations.en.terms'],
    );
    assert.deepEqual(issuesOf(texts({ rewardName: 'r'.repeat(100), terms: 't'.repeat(2000) })), []);
    assert.deepEqual(
      issuesOf(texts({ rewardName: 'r'.repeat(101) })).map((i) => i.path),
      ['translations.en.rewardName'],
    );
    assert.deepEqual(
      issuesOf(texts({ terms: 't'.repeat(2001) })).map((i) => i.path),
      ['translations.en.terms'],
    );
  });
});

describe('programSchema: a campaign date carries its offset', () => {
  it('accepts one with an offset or Z; refuses one without', () => {
    const launch = (from: string) => ({
      ...base,
      campaigns: { ...base.campaigns, launchBonus: { enabled: true, amount: 1, from, to: '2027-04-01T00:00:00Z' } },
    });
    assert.deepEqual(issuesOf(launch('2027-03-01T00:00:00+01:00')), []);
    assert.deepEqual(issuesOf(launch('2027-03-01T00:00:00Z')), []);
    assert.deepEqual(
      issuesOf(launch('2027-03-01T00:00:00')).map((i) => i.path),
      ['campaigns.launchBonus.from'],
    );
  });
});

describe('isTimeZone', () => {
  it('is true for a zone the runtime knows and false (not just falsy) for any other', () => {
    assert.equal(isTimeZone('Europe/Paris'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
    assert.equal(isTimeZone(''), false);
  });
});

describe('withShopIds', () => {
  const shop = (name: string, id?: string) => ({ name, latitude: 0, longitude: 0, ...(id !== undefined && { id }) });
  it('keeps the ids shops have and makes one from the name of each new shop', () => {
    assert.deepEqual(withShopIds([shop('Bastille', 'b1'), shop('Rue Oberkampf')]), [
      shop('Bastille', 'b1'),
      shop('Rue Oberkampf', 'rue-oberkampf'),
    ]);
  });
  it('a name already taken, by a kept id or a new shop, gets -2, then -3', () => {
    const out = withShopIds([shop('Rue Oberkampf'), shop('Oberkampf bis', 'rue-oberkampf'), shop('Rue  Oberkampf'), shop('rue oberkampf')]);
    assert.deepEqual(
      out.map((s) => s.id),
      ['rue-oberkampf-2', 'rue-oberkampf', 'rue-oberkampf-3', 'rue-oberkampf-4'],
    );
  });
  it('an id made from a long name keeps room for its suffix (36 characters)', () => {
    const [a, b] = withShopIds([
      shop('Boulangerie de la Place du Marché aux Fleurs'),
      shop('Boulangerie de la Place du Marché aux Fleurs'),
    ]);
    assert.equal(a!.id, 'boulangerie-de-la-place-du-marche-au');
    assert.equal(b!.id, 'boulangerie-de-la-place-du-marche-au-2');
  });
  it('leaves the shops given unchanged', () => {
    const given = [shop('Rue Oberkampf')];
    withShopIds(given);
    assert.deepEqual(given, [shop('Rue Oberkampf')]);
  });
});
