// The language of an answer: Accept-Language read with its weights, and fidelio's own messages in
// French, every one the server can throw (found in its source, so a new one without French fails here).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { acceptedLanguage } from '../../server/http/language.ts';
import { localizeMessage, message, MESSAGES } from '../../server/http/messages.ts';

describe('acceptedLanguage', () => {
  const cases: [string | undefined, 'en' | 'fr'][] = [
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['FR-ca', 'fr'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ['en;q=0.4, fr;q=0.9', 'fr'],
    ['fr;q=0.1, en', 'en'],
    ['de-DE, fr;q=0.5, en;q=0.3', 'fr'],
    ['de, it', 'en'],
    ['fr;q=0', 'en'],
    ['fr;q=0, *', 'en'],
    ['en;q=0, *;q=0.5', 'fr'],
    ['*', 'en'],
    ['en;q=0.5, fr;q=0.5', 'en'],
    ['fr;q=0.5, en;q=0.5', 'fr'],
    ['fr;q=2', 'en'],
    ['fr;q=abc, en;q=0.1', 'en'],
    ['fr ; q = 0.8 , en ; q = 0.2', 'fr'],
    ['français, fr-', 'en'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(acceptedLanguage(header), expected));
  }
});

describe('localizeMessage', () => {
  it('finds a text by its English words, fills in the parts that vary, and leaves an unknown text as it is', () => {
    assert.equal(localizeMessage('tier thresholds must increase', 'fr'), 'les seuils des niveaux doivent être croissants');
    assert.equal(localizeMessage('tier thresholds must increase', 'en'), 'tier thresholds must increase');
    assert.equal(localizeMessage('Too many attempts. Try again in 42 seconds.', 'fr'), 'Trop de tentatives. Réessayez dans 42 secondes.');
    assert.equal(
      localizeMessage('For a points program, delta must be a whole number from -1000000 to 1000000, not 0.', 'fr'),
      'Pour un programme à points, delta doit être un nombre entier de -1000000 à 1000000, sauf 0.',
    );
    // A part named twice must be the same text both times.
    assert.equal(
      localizeMessage('For a points program, delta must be a whole number from -1 to 2, not 0.', 'fr'),
      'For a points program, delta must be a whole number from -1 to 2, not 0.',
    );
    assert.equal(
      localizeMessage('The card holds 3 cashback (minor units); cannot take off 500.', 'fr'),
      'La carte a 3 de cagnotte (en centimes) ; impossible d’en retirer 500.',
    );
    assert.equal(localizeMessage('Something nobody wrote down.', 'fr'), 'Something nobody wrote down.');
    assert.equal(message('too_many_attempts', 'fr', { seconds: 5 }), 'Trop de tentatives. Réessayez dans 5 secondes.');
  });

  it('has a French text for every code, different from the English one', () => {
    for (const [code, [en, fr]] of Object.entries(MESSAGES)) {
      const french = typeof fr === 'function' ? fr({}) : fr;
      assert.ok(french.length > 0 && french !== en, code);
    }
  });

  /** The server's TypeScript files, but the table itself and the configuration's (read by whoever starts the server, in English). */
  const NOT_ANSWERS = new Set([join('server', 'http', 'messages.ts'), join('server', 'config.ts')]);
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const p = join(dir, d.name);
      if (d.isDirectory()) return sources(p);
      return d.name.endsWith('.ts') && !NOT_ANSWERS.has(p) ? [p] : [];
    });
  }

  /** A string literal (quotes or backticks) as the server would write it: each `${…}` a sample value. */
  const STRING = String.raw`('(?:[^'\\\n]|\\.)*'|\x60(?:[^\x60\\]|\\.)*\x60)`;
  const THROWN = [
    // new AppError('code', 'detail'), notFound('detail'), invalidField('path', 'message', 'detail'?)
    new RegExp(String.raw`new AppError\(\s*'[a-z_]+',\s*${STRING}`, 'g'),
    new RegExp(String.raw`\bnotFound\(\s*${STRING}`, 'g'),
    new RegExp(String.raw`\binvalidField\(\s*[^,()]+,\s*${STRING}(?:,\s*${STRING})?`, 'g'),
    new RegExp(String.raw`\bnotAnImage\(\s*${STRING}`, 'g'),
    new RegExp(String.raw`\bCsvError\(\s*${STRING}`, 'g'),
    // zod refinements: addIssue({ …, message: '…' }), .refine(…, { message }), .regex(re, '…'), .min(n, '…')
    new RegExp(String.raw`addIssue\(\{[^}]*message:\s*${STRING}`, 'g'),
    new RegExp(String.raw`\{\s*message:\s*${STRING}`, 'g'),
    new RegExp(String.raw`\.(?:regex|refine|min|max)\((?:[^()'\x60]|\([^()]*\))+,\s*${STRING}\)`, 'g'),
  ];
  /** The card rules' refusals (`detail`), which the card writes answer with. */
  const RULES = new RegExp(String.raw`\bdetail:\s*${STRING}`, 'g');
  /** Why an import refuses a line: kept with the import, put in the reader's language when read. */
  const LINE_ERRORS = [new RegExp(String.raw`\bmessage:\s*${STRING}`, 'g'), new RegExp(String.raw`\breturn\s+${STRING};`, 'g')];
  const EXTRA = new Map([
    [join('server', 'domain', 'rules.ts'), [RULES]],
    [join('server', 'domain', 'imports.ts'), LINE_ERRORS],
    [join('server', 'services', 'imports.ts'), LINE_ERRORS],
  ]);
  it('knows every message the server throws or refines with', () => {
    const missing: string[] = [];
    const found = new Set<string>();
    for (const file of sources('server')) {
      const text = readFileSync(file, 'utf8');
      const patterns = [...THROWN, ...(EXTRA.get(file) ?? [])];
      for (const re of patterns) {
        for (const m of text.matchAll(re)) {
          for (const literal of m.slice(1).filter(Boolean)) {
            const sample = literal
              .slice(1, -1)
              .replace(/\$\{[^}]*\}/g, '7')
              .replace(/\\(.)/g, '$1');
            found.add(sample);
            if (sample.length < 4 || localizeMessage(sample, 'fr') !== sample) continue;
            missing.push(`${file}: ${sample}`);
          }
        }
      }
    }
    // The search itself still finds what it looks for.
    assert.ok(
      found.has('tier thresholds must increase') &&
        found.has('No card with this serial.') &&
        found.has('the balance is negative') &&
        found.has('the same e-mail as line 7') &&
        found.size > 80,
      `${found.size} texts`,
    );
    assert.deepEqual([...new Set(missing)], [], 'messages without French in server/http/messages.ts');
  });
});
