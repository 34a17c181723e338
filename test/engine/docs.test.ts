import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectedDocs, fixSentence, READMES, renderRuleTable, withRuleTable } from '../../scripts/gen-docs';
import { RULE_LIST, ruleById } from '../../src/core/rules';

const ROOT = join(__dirname, '..', '..');

test('docs/rules/*.md and the READMEs\' rule tables are generated from the rule modules and up to date (npm run docs)', () => {
  const files = expectedDocs();
  for (const r of RULE_LIST) assert.ok(files.has(`docs/rules/${r.meta.id}.md`), r.meta.id);
  for (const { path } of READMES) assert.ok(files.has(path), path);
  for (const [name, content] of files) {
    const onDisk = readFileSync(join(ROOT, name), 'utf8');
    assert.equal(onDisk, content, `${name} is stale: run npm run docs`);
  }
});

test('each README lists every rule once, with its severity and fix safety from the metadata', () => {
  for (const { path, base } of READMES) {
    const text = readFileSync(join(ROOT, path), 'utf8');
    assert.ok(text.includes(renderRuleTable(base)), path);
    for (const r of RULE_LIST) {
      const rows = text.split('\n').filter((l) => l.startsWith(`| [\`${r.meta.id}\`]`));
      assert.equal(rows.length, 1, `${path}: ${r.meta.id}`);
      const cells = rows[0].split(' | ');
      assert.equal(cells[1], r.meta.defaultSeverity);
      assert.equal(cells[2].split(' ')[0], r.meta.fix.availability === 'none' ? '–' : r.meta.fix.safety);
    }
  }
  // A table without its markers is refused rather than written somewhere else.
  assert.equal(withRuleTable('# no table here\n', 'docs/rules'), undefined);
});

test('the fix line of a rule page follows its fix metadata: tfjs-falsy-arg is safe, swaps are not, signals have none', () => {
  assert.match(fixSentence(ruleById('tfjs-falsy-arg')!.meta), /^where an edit is possible \(quick fix; safe: .*fix-all applies it\)$/);
  assert.match(fixSentence(ruleById('relu-needs-he')!.meta), /^yes \(quick fix; unsafe: it changes the model/);
  assert.match(fixSentence(ruleById('fixed-scale')!.meta), /^where an edit is possible \(quick fix; unsafe/);
  assert.equal(fixSentence(ruleById('vanishing-signal')!.meta), 'no automatic fix');
  const page = expectedDocs().get('docs/rules/truncated-normal-shortfall.md')!;
  assert.match(page, /- Yields to: \[`relu-needs-he`\]\(relu-needs-he\.md\), \[`selu-needs-lecun`\]/);
});
