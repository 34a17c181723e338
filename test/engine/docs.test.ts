import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectedDocs } from '../../scripts/gen-docs';

test('docs/rules/*.md are generated from the rule modules and up to date (npm run docs)', () => {
  for (const [name, content] of expectedDocs()) {
    const onDisk = readFileSync(join(__dirname, '..', '..', 'docs', 'rules', name), 'utf8');
    assert.equal(onDisk, content, `docs/rules/${name} is stale: run npm run docs`);
  }
});
