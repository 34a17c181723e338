/**
 * Quick fixes and fix-all on the real examples: every fix the engine offers, applied as the extension applies it,
 * removes its finding and leaves text that parses; fix-all takes only safe fixes unless swaps are opted in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import type { Finding } from '../../src/core/findings';
import { applyEdits } from '../../src/engine/edits';
import { fixableCount, fixAllPlan, quickFixesOf } from '../../src/extension/logic/fixes';
import { check, checkSource, exampleFiles } from './helpers';

function parses(text: string, name: string): boolean {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, name.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0;
}

const sameFinding = (a: Finding, b: Finding) => a.ruleId === b.ruleId && a.model === b.model && a.layer === b.layer;

test('every quick fix of every example removes its finding and keeps the file parsing', () => {
  let applied = 0;
  for (const name of exampleFiles()) {
    const { text, report } = check(name);
    for (const finding of report.findings) {
      for (const fix of quickFixesOf(finding)) {
        const after = applyEdits(text, fix.edits);
        assert.ok(parses(after, name), `${name}: "${fix.title}" breaks the syntax:\n${after}`);
        const again = checkSource(after, name);
        const still = again.findings.filter((f) => sameFinding(f, finding) && (finding.layer !== undefined || f.message === finding.message));
        assert.equal(still.length, 0, `${name}: "${fix.title}" leaves ${finding.ruleId}: ${still.map((f) => f.message).join('; ')}`);
        assert.ok(again.findings.length < report.findings.length, `${name}: "${fix.title}" changes nothing`);
        applied++;
      }
    }
  }
  assert.ok(applied >= 20, `only ${applied} fixes exercised`);
});

test('one fix per finding is preferred; the examples\' fixes are swaps, except tfjs-falsy-arg', () => {
  const { report } = check('mnist-mlp-default-init.ts');
  const relu = report.findings.find((f) => f.ruleId === 'relu-needs-he')!;
  const [fix] = quickFixesOf(relu);
  assert.equal(fix.title, 'Use heUniform for the kernel of dense (layer 2)');
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.safe, false);
  assert.deepEqual(fix.edits.map((e) => e.newText), [", kernelInitializer: 'heUniform'"]);
  assert.deepEqual(quickFixesOf(report.findings.find((f) => f.ruleId === 'vanishing-signal')!), []);
  const falsy = check('falsy-minval.ts').report.findings.find((f) => f.ruleId === 'tfjs-falsy-arg')!;
  assert.equal(quickFixesOf(falsy)[0].safe, true);
});

test('fix-all applies safe fixes only, by default', () => {
  const mnist = check('mnist-mlp-default-init.ts');
  const plan = fixAllPlan(mnist.report.findings, { includeUnsafe: false });
  assert.deepEqual(plan.edits, []);
  assert.equal(plan.applied, 0);
  assert.equal(plan.skippedUnsafe, 8);

  const falsy = check('falsy-minval.ts');
  const safe = fixAllPlan(falsy.report.findings, { includeUnsafe: false });
  assert.equal(safe.applied, 1);
  const after = applyEdits(falsy.text, safe.edits);
  assert.ok(!checkSource(after, 'falsy-minval.ts').findings.some((f) => f.ruleId === 'tfjs-falsy-arg'));
  assert.match(after, /minval: Number\.MIN_VALUE/);
});

test('fix-all with initializer swaps opted in fixes the whole MLP, and the signal no longer vanishes', () => {
  const { text, report } = check('mnist-mlp-default-init.ts');
  const plan = fixAllPlan(report.findings, { includeUnsafe: true });
  assert.equal(plan.applied, 8);
  assert.equal(plan.skippedConflicts, 0);
  const after = applyEdits(text, plan.edits);
  assert.equal(after.match(/kernelInitializer: 'heUniform'/g)?.length, 8);
  assert.deepEqual(checkSource(after, 'mnist-mlp-default-init.ts').findings, []);
  // The second round has nothing left to do.
  assert.deepEqual(fixAllPlan(checkSource(after, 'mnist-mlp-default-init.ts').findings, { includeUnsafe: true }).edits, []);
});

test('fix-all on a shared initializer variable edits it once', () => {
  const { text, report } = check('random-normal-wide.js');
  const fixed = report.findings.filter((f) => f.ruleId === 'fixed-scale');
  assert.ok(fixed.length > 1);
  const plan = fixAllPlan(report.findings, { includeUnsafe: true, ruleId: 'fixed-scale' });
  const after = applyEdits(text, plan.edits);
  assert.ok(parses(after, 'random-normal-wide.js'), after);
  const again = checkSource(after, 'random-normal-wide.js');
  assert.ok(again.findings.filter((f) => f.ruleId === 'fixed-scale').length < fixed.length);
});

test('per-rule fix-all only touches that rule', () => {
  const { report } = check('he-normal-mlp.ts');
  assert.equal(fixableCount(report.findings, 'truncated-normal-shortfall'), 10);
  const plan = fixAllPlan(report.findings, { includeUnsafe: true, ruleId: 'relu-needs-he' });
  assert.deepEqual(plan.edits, []);
});

test('overlapping edits: the later fix waits', () => {
  const mk = (start: number, end: number, newText: string, safe = true): Finding => ({
    ruleId: 'r',
    severity: 'warning',
    message: 'm',
    span: { start, end },
    model: 'm',
    related: [],
    fixes: [{ title: 't', safe, intent: { kind: 'setLayerOption', layer: 0, option: 'unitForgetBias', value: true }, edits: [{ span: { start, end }, newText }] }],
  });
  const plan = fixAllPlan([mk(0, 5, 'a'), mk(3, 8, 'b'), mk(10, 10, 'c'), mk(10, 10, 'd'), mk(10, 10, 'c'), mk(20, 22, 'e', false)], { includeUnsafe: false });
  assert.deepEqual(plan.edits.map((e) => e.newText), ['a', 'c']);
  assert.equal(plan.skippedConflicts, 2);
  assert.equal(plan.skippedUnsafe, 1);
  assert.equal(plan.applied, 3);
});

test(
  'a fixed-scale fix rewrites stddev where it is written, without moving it',
  () => {
    const { text, report } = check('random-normal-wide.js');
    const f = report.findings.find((x) => x.ruleId === 'fixed-scale')!;
    const after = applyEdits(text, quickFixesOf(f)[0].edits);
    assert.match(after, /tf\.initializers\.randomNormal\(\{ mean: 0, stddev: 0\.0313, seed: 42 \}\)/);
  },
);
