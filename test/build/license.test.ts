// The licence the project is given under: the MIT text itself at the root, the one package.json
// names, and the README pointing at it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('the licence', () => {
  it('LICENSE holds the MIT text with the project’s copyright line, as package.json says', () => {
    assert.ok(existsSync('LICENSE'), 'a LICENSE file at the root');
    const text = readFileSync('LICENSE', 'utf8');
    assert.match(text, /^MIT License\n/);
    assert.match(text, /^Copyright \(c\) 2026 the fidelio contributors$/m);
    assert.match(text, /Permission is hereby granted, free of charge, to any person obtaining a copy/);
    assert.match(text, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
    assert.equal(JSON.parse(readFileSync('package.json', 'utf8')).license, 'MIT');
  });

  it('the README says so and links it', () => {
    assert.match(readFileSync('README.md', 'utf8'), /^## License\n\nMIT: see \[LICENSE\]\(LICENSE\)/m);
  });
});
