/**
 * The editor's re-check (createCheckSession: incremental parse, reuse of unchanged models) against a full check
 * of the same text: over seeded sequences of edits of every example and a generated 1,000-line file (typing,
 * deletions, pasted blocks, undo back to an earlier text), the reports must be identical.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateModelFile } from '../../bench/lint-latency';
import { checkText, createCheckSession } from '../../src/engine/check';
import { corpusFiles, rng, userEdit as edit } from '../robustness/shared';


function sameReports(name: string, texts: string[]): void {
  const session = createCheckSession();
  texts.forEach((text, step) => {
    const incremental = session.check(text, name);
    const full = checkText(text, name);
    assert.deepEqual(incremental, full, `${name}, step ${step}`);
  });
}

/** `npm run fuzz` (INITLENS_FUZZ=1) runs longer edit sequences. */
const EDITS = process.env.INITLENS_FUZZ === '1' ? 1000 : 60;

for (const { name, text } of corpusFiles()) {
  test(`${name}: a session's re-checks equal full checks over ${EDITS} seeded edits and an undo`, () => {
    const random = rng(name.length * 7919 + 11);
    const texts = [text];
    for (let i = 0; i < EDITS; i++) texts.push(edit(texts[texts.length - 1], random));
    texts.push(text, text); // undo everything, then a check of an unchanged text
    sameReports(name, texts);
  });
}

test('a generated 1,000-line file: single-character edits in one model reuse the others, with the same report', () => {
  const text = generateModelFile(1000);
  const random = rng(42);
  const texts = [text];
  for (let i = 0; i < 25; i++) {
    const prev = texts[texts.length - 1];
    // Change a units value (the model changes) or type in a comment line above a model (every later model moves).
    const units = [...prev.matchAll(/units: (\d+)/g)];
    const m = units[Math.floor(random() * units.length)];
    const at = m.index! + m[0].length - 1;
    texts.push(random() < 0.5 ? prev.slice(0, at) + String((Number(prev[at]) + 1) % 10) + prev.slice(at + 1) : prev.slice(0, at - 12) + `\n// ${i}\n` + prev.slice(at - 12));
  }
  sameReports('generated.ts', texts);
});

test('a re-check reuses the prediction of every model but the edited one', () => {
  const text = generateModelFile(300);
  const session = createCheckSession();
  const before = session.check(text, 'g.ts');
  assert.ok(before.models.length >= 3);
  // Change a layer size in the second model, and add a line above everything (all models move).
  const second = before.models[1].model.layers[2].span;
  const inSecond = text.indexOf('units: ', second.start) + 'units: '.length;
  const edited = '// edited\n' + text.slice(0, inSecond) + '9' + text.slice(inSecond);
  const after = session.check(edited, 'g.ts');
  assert.deepEqual(after, checkText(edited, 'g.ts'));
  assert.equal(after.models.length, before.models.length);
  after.models.forEach((m, i) => {
    if (i === 1) assert.notEqual(m.prediction, before.models[i].prediction);
    else assert.equal(m.prediction, before.models[i].prediction, `model ${i} reused`);
  });
});

test('options are part of what is reused: a changed severity or threshold is applied at once', () => {
  const text = corpusFiles().find((f) => f.name.endsWith('mnist-mlp-default-init.ts'))!.text;
  const session = createCheckSession();
  const base = session.check(text, 'a.ts');
  assert.ok(base.findings.some((f) => f.ruleId === 'relu-needs-he'));
  const off = session.check(text, 'a.ts', { rules: { 'relu-needs-he': 'off' } });
  assert.deepEqual(off, checkText(text, 'a.ts', { rules: { 'relu-needs-he': 'off' } }));
  assert.ok(!off.findings.some((f) => f.ruleId === 'relu-needs-he'));
  assert.deepEqual(session.check(text, 'a.ts'), base);
});
